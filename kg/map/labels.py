"""A document's name for people, made from what it printed: its publisher, fiscal
year and printed title (保定白沟新城行政审批局 2022年单位预算信息公开), or the name of
its kind when it printed no title (保定白沟新城党群工作部 2026年 绩效目标公开).  The
mapper stores it as the disclosure's rdfs:label, so pages and query results name a
document by it rather than by its file name (002_d83939c0e0da9114)."""
from __future__ import annotations

from functools import lru_cache

from pyoxigraph import Literal, NamedNode

from .. import iris
from ..ontology import ontology_quads
from ..records import Disclosure

PREF_LABEL = NamedNode(iris.NS["skos"] + "prefLabel")


@lru_cache(maxsize=1)
def kind_names() -> dict[str, str]:
    """Disclosure kind (``unit_budget``…) → its Chinese name in the concept schemes."""
    prefix = iris.BPC + "disclosure-"
    return {q.subject.value[len(prefix):]: q.object.value for q in ontology_quads()
            if q.predicate == PREF_LABEL and isinstance(q.subject, NamedNode)
            and q.subject.value.startswith(prefix)
            and isinstance(q.object, Literal) and q.object.language == "zh"}


def document_label(d: Disclosure) -> str | None:
    """``publisher [year年] title`` (the year only when the title does not print it),
    or ``publisher year年 kind`` for a document without a printed title; None when
    none of these was read.

    >>> from types import SimpleNamespace as S
    >>> unit = S(name="平乡县发展和改革局")
    >>> document_label(S(publisher=unit, year=2021, title="2021年部门预算信息公开情况说明",
    ...                  kind="department_budget"))
    '平乡县发展和改革局 2021年部门预算信息公开情况说明'
    >>> document_label(S(publisher=unit, year=2026, title=None, kind="performance_targets"))
    '平乡县发展和改革局 2026年 绩效目标公开'
    """
    title = d.title.strip() if d.title else None
    year = f"{d.year}年" if d.year and not (title and str(d.year) in title) else None
    kind = None if title else kind_names().get(d.kind)
    parts = [d.publisher.name if d.publisher else None, year, title or kind]
    return " ".join(p for p in parts if p) or None
