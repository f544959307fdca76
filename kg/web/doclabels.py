"""A document's name for people (保定白沟新城行政审批局 2022年单位预算信息公开), not the
file name it was built from (001_4e0ae0666194d0d6), which stays in its IRI.  The
mapper stores the name as the disclosure's rdfs:label (kg/map/labels.py); pages
read it from there."""
from __future__ import annotations

from pyoxigraph import NamedNode

from .. import iris
from ..store import EmbeddedStore
from .parts import rows

LABEL = (f"PREFIX bp: <{iris.BP}> PREFIX rdfs: <{iris.NS['rdfs']}> "
         "SELECT ?label WHERE { ?d a bp:Disclosure ; rdfs:label ?label } LIMIT 1")


def document_label(store: EmbeddedStore, iri: str) -> str | None:
    """The stored label of a disclosure, or None if ``iri`` is not one or has none."""
    found = rows(store, LABEL, d=NamedNode(iri))
    return found[0]["label"] if found else None


def labeller(store: EmbeddedStore):
    """``document_label`` remembered per page (a table names one document many times);
    falls back to the document's file name."""
    known: dict[str, str] = {}

    def name(iri: str) -> str:
        if iri not in known:
            known[iri] = document_label(store, iri) or iri.rsplit("/", 1)[-1]
        return known[iri]
    return name
