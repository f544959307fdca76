"""Reports kept in the store, and which documents need a new one.

Each stored report carries a stamp (``dcterms:identifier`` of ``<report>#report``):
a digest of the document's catalog entry (content hash, mapper version, load time)
and of the shapes and ontology it was validated with.  A document whose stamp is
unchanged keeps its report; ``kg validate --load`` then writes nothing, so a restart
with nothing changed costs two queries.  Reports of documents no longer in the store
are dropped (the build drops them too: kg/store).
"""
from __future__ import annotations

import hashlib
from collections import Counter

from .. import iris
from ..ontology import ONTOLOGY_FILES, SHAPES_DIR
from ..store.base import report_graph_of

SH = "http://www.w3.org/ns/shacl#"
IDENTIFIER = iris.NS["dcterms"] + "identifier"
CATALOG_FACTS = [iris.BP + "contentHash", iris.BP + "mapperVersion",
                 iris.NS["prov"] + "generatedAtTime"]


def rules_digest() -> str:
    """What the reports depend on besides the documents: shapes and ontology files."""
    h = hashlib.sha256()
    for f in [*sorted(SHAPES_DIR.glob("*.ttl")), *ONTOLOGY_FILES]:
        h.update(f.read_bytes())
    return h.hexdigest()


def current_stamps(store, graphs: list[str]) -> dict[str, str]:
    """The stamp each document's report should carry now (one query)."""
    facts: dict[str, list[str]] = {g: [] for g in graphs}
    values = " ".join(f"<{p}>" for p in CATALOG_FACTS)
    for r in store.query(f"SELECT ?g ?p ?o WHERE {{ VALUES ?p {{ {values} }} "
                         f"GRAPH <{iris.catalog_graph()}> {{ ?g ?p ?o }} }}"):
        if r["g"].value in facts:
            facts[r["g"].value].append(f"{r['p'].value}={r['o'].value}")
    rules = rules_digest()
    return {g: hashlib.sha256("\n".join([rules, *sorted(f)]).encode("utf-8")).hexdigest()
            for g, f in facts.items()}


def stored_stamps(store) -> dict[str, str]:
    """{document graph: the stamp of its stored report} (one query)."""
    out = {}
    base = iris.base()
    for r in store.query(f"SELECT ?vg ?s WHERE {{ GRAPH ?vg {{ ?r <{IDENTIFIER}> ?s ; "
                         f"a <{SH}ValidationReport> }} }}"):
        vg = r["vg"].value
        if vg.startswith(base + "validation/"):
            out[base + "graph/" + vg[len(base + "validation/"):]] = r["s"].value
    return out


def to_validate(store, graphs: list[str]) -> tuple[list[str], dict[str, str], list[str]]:
    """(documents whose report is missing or stale, the stamps to write, reports of
    documents no longer in the store)."""
    now = current_stamps(store, graphs)
    kept = stored_stamps(store)
    stale = [g for g in graphs if kept.get(g) != now[g]]
    orphans = sorted(report_graph_of(g) for g in kept if g not in now)
    return stale, now, orphans


def stored_counts(store, graphs: list[str]) -> Counter:
    """Findings by severity in the stored reports of ``graphs`` (one query)."""
    wanted = {report_graph_of(g) for g in graphs}
    counts: Counter = Counter()
    for r in store.query(f"SELECT ?vg ?s (COUNT(?r) AS ?n) WHERE {{ GRAPH ?vg {{ "
                         f"?r <{SH}resultSeverity> ?s }} }} GROUP BY ?vg ?s"):
        if r["vg"].value in wanted:
            counts[r["s"].value.rsplit("#", 1)[-1]] += int(r["n"].value)
    return counts
