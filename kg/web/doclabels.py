"""A document's name for people: its publisher, fiscal year and kind of disclosure
(保定白沟新城行政审批局 2022年 单位预算信息公开), not the file name it was built from
(001_4e0ae0666194d0d6), which stays in its IRI."""
from __future__ import annotations

from pyoxigraph import NamedNode

from .. import iris
from ..store import EmbeddedStore
from .parts import rows

LABEL = (f"PREFIX bp: <{iris.BP}> PREFIX rdfs: <{iris.NS['rdfs']}> "
         f"PREFIX skos: <{iris.NS['skos']}> PREFIX dct: <http://purl.org/dc/terms/> "
         """SELECT ?d ?publisher ?year ?kind WHERE { ?d a bp:Disclosure .
  OPTIONAL { ?d dct:publisher/rdfs:label ?publisher }
  OPTIONAL { ?d bp:fiscalYear ?year }
  OPTIONAL { ?d bp:disclosureKind/skos:prefLabel ?kind FILTER (LANG(?kind) = "zh") } } LIMIT 1""")


def document_label(store: EmbeddedStore, iri: str) -> str | None:
    """``publisher year年 kind`` of a disclosure, or None if ``iri`` is not one."""
    found = rows(store, LABEL, d=NamedNode(iri))
    if not found:
        return None
    r = found[0]
    parts = [r["publisher"], f"{r['year']}年" if r["year"] else "", r["kind"]]
    return " ".join(p for p in parts if p) or None


def labeller(store: EmbeddedStore):
    """``document_label`` remembered per page (a table names one document many times);
    falls back to the document's file name."""
    known: dict[str, str] = {}

    def name(iri: str) -> str:
        if iri not in known:
            known[iri] = document_label(store, iri) or iri.rsplit("/", 1)[-1]
        return known[iri]
    return name
