"""A document's name for people (保定白沟新城行政审批局 2022年单位预算信息公开), not the
file name it was built from (001_4e0ae0666194d0d6), which stays in its IRI.  The
mapper stores the name as the disclosure's rdfs:label (kg/map/labels.py); pages
read it from there."""
from __future__ import annotations

from pyoxigraph import NamedNode

from ..store import Store
from .parts import LABEL


def document_label(store: Store, iri: str) -> str | None:
    """The stored label of a document (one index lookup), or None if it has none."""
    found = store.quads_for_pattern(NamedNode(iri), LABEL, None, None)
    return next((q.object.value for q in found), None)


def labeller(store: Store):
    """``document_label`` remembered per page (a table names one document many times);
    falls back to the document's file name."""
    known: dict[str, str] = {}

    def name(iri: str) -> str:
        if iri not in known:
            known[iri] = document_label(store, iri) or iri.rsplit("/", 1)[-1]
        return known[iri]
    return name
