"""The lineage of one directive: which projects cite it, in which units and
documents, and which indicators rest on it, as one tree.  Read from the store with
the ``directive-lineage`` named query (so the CLI, the site and SPARQL users get the
same answer), shaped here, drawn by ``kg lineage`` and by the site's diagram."""
from __future__ import annotations

from dataclasses import dataclass, field

from .domain.docnumbers import parse_document_number
from .queries import QueryError
from .results import run
from .store import Store

RELATION_LABELS = {"named-after": "named after it", "basis": "indicator basis cites it",
                   "mention": "mentions it"}


@dataclass
class IndicatorLink:
    iri: str
    name: str
    target: str
    line: int


@dataclass
class ProjectLink:
    iri: str
    name: str
    budget: str  # 万元, as stored; "" when the table prints none
    document: str
    unit: str
    unit_name: str
    relations: dict[str, list[int]] = field(default_factory=dict)  # relation → lines
    indicators: list[IndicatorLink] = field(default_factory=list)


@dataclass
class Lineage:
    number: str  # canonical
    directive: str | None  # IRI; None when no loaded document cites it
    projects: list[ProjectLink]
    other: list[tuple[str, str, int]]  # (document, relation, line): cited outside projects
    labels: dict[str, str] = field(default_factory=dict)  # document IRI → its label

    @property
    def units(self) -> list[tuple[str, str]]:
        return list(dict.fromkeys((p.unit, p.unit_name) for p in self.projects))


def _value(row, name: str) -> str:
    term = row[name]
    return term.value if term is not None else ""


def lineage(store: Store, number: str) -> Lineage:
    """The lineage of ``number`` (any spelling); QueryError when it is not a number."""
    parsed = parse_document_number(number)
    if parsed is None:
        raise QueryError(f"{number!r} is not a document number such as 保财社〔2025〕87号")
    rows = list(run(store, "directive-lineage", {"number": number}))
    projects: dict[str, ProjectLink] = {}
    other, directive = [], None
    labels: dict[str, str] = {}
    for r in rows:
        directive = _value(r, "directive")
        if _value(r, "documentLabel"):
            labels[_value(r, "document")] = _value(r, "documentLabel")
        line, relation = int(_value(r, "line")), _value(r, "relation")
        if r["project"] is None:
            other.append((_value(r, "document"), relation, line))
            continue
        p = projects.setdefault(_value(r, "project"), ProjectLink(
            _value(r, "project"), _value(r, "projectName"), _value(r, "budget"),
            _value(r, "document"), _value(r, "unit"), _value(r, "unitName")))
        lines = p.relations.setdefault(relation, [])
        if line not in lines:
            lines.append(line)
        indicator = _value(r, "indicator")
        if r["indicator"] is not None and all(i.iri != indicator for i in p.indicators):
            p.indicators.append(IndicatorLink(_value(r, "indicator"), _value(r, "indicatorName"),
                                              _value(r, "target"), line))
    return Lineage(parsed.canonical, directive, list(projects.values()), other, labels)


def _doc_name(iri: str, labels: dict[str, str]) -> str:
    """A document as people name it (publisher, year, title), with its file's stem."""
    stem = iri.rsplit("/", 1)[-1]
    return f"{labels[iri]} ({stem})" if iri in labels else stem


def render_tree(lin: Lineage) -> str:
    """The lineage as a text tree: directive → projects (unit, document, budget, how
    and where it is cited) → indicators (target, line).

    >>> print(render_tree(Lineage("保财社〔2025〕1号", None, [], [])))
    保财社〔2025〕1号: no loaded document cites it
    """
    if lin.directive is None:
        return f"{lin.number}: no loaded document cites it"
    n, u = len(lin.projects), len(lin.units)
    out = [f"{lin.number}  ({n} project{'s' * (n != 1)} in {u} unit{'s' * (u != 1)})"]
    for i, p in enumerate(lin.projects):
        last = i == len(lin.projects) - 1 and not lin.other
        stem, pad = ("└── ", "    ") if last else ("├── ", "│   ")
        budget = f"  {p.budget}万元" if p.budget else ""
        out.append(f"{stem}{p.name}{budget}")
        out.append(f"{pad}unit {p.unit_name or '?'} · document {_doc_name(p.document, lin.labels)}")
        for rel, lines in p.relations.items():
            out.append(f"{pad}{RELATION_LABELS.get(rel, rel)}: line {', '.join(map(str, lines))}")
        for k, ind in enumerate(p.indicators):
            mark = "└── " if k == len(p.indicators) - 1 else "├── "
            target = f"  {ind.target}" if ind.target else ""
            out.append(f"{pad}{mark}{ind.name}{target}  (line {ind.line})")
    for k, (doc, rel, line) in enumerate(lin.other):
        mark = "└── " if k == len(lin.other) - 1 else "├── "
        relation = RELATION_LABELS.get(rel, rel)
        out.append(f"{mark}{_doc_name(doc, lin.labels)}: {relation} (line {line})")
    return "\n".join(out)
