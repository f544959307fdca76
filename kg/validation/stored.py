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

from .. import iris
from ..ontology import ONTOLOGY_FILES, SHAPES_DIR
from ..store.base import report_graph_of
from .findings import Finding

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
                         f"GRAPH <{iris.catalog_graph(store.base_iri)}> {{ ?g ?p ?o }} }}"):
        if r["g"].value in facts:
            facts[r["g"].value].append(f"{r['p'].value}={r['o'].value}")
    rules = rules_digest()
    return {g: hashlib.sha256("\n".join([rules, *sorted(f)]).encode("utf-8")).hexdigest()
            for g, f in facts.items()}


def stored_stamps(store) -> dict[str, str]:
    """{document graph: the stamp of its stored report} (one query)."""
    out = {}
    base = iris.base(store.base_iri)
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


def stored_findings(store, graphs: list[str], ontology) -> dict[str, list[Finding]]:
    """The findings kept in the stored reports of ``graphs``, located and worded as
    when they were made (where printed and the source lines are read again from the
    documents, which are unchanged)."""
    from .engine import Row, findings_of, view_of
    from .query import Check
    found: dict[str, list[Finding]] = {g: [] for g in graphs}
    by_report = {report_graph_of(g): g for g in graphs}
    rows = []
    for start in range(0, len(graphs), 500):
        values = " ".join(f"<{report_graph_of(g)}>" for g in graphs[start:start + 500])
        for r in store.query(
                f"SELECT ?vg ?focus ?sev ?shape ?comp ?path ?value ?zh ?en WHERE {{ "
                f"VALUES ?vg {{ {values} }} GRAPH ?vg {{ ?r <{SH}focusNode> ?focus ; "
                f"<{SH}resultSeverity> ?sev ; <{SH}sourceShape> ?shape ; "
                f"<{SH}resultMessage> ?zh, ?en "
                f'FILTER(lang(?zh) = "zh" && lang(?en) = "en") '
                f"OPTIONAL {{ ?r <{SH}sourceConstraintComponent> ?comp }} "
                f"OPTIONAL {{ ?r <{SH}resultPath> ?path }} "
                f"OPTIONAL {{ ?r <{SH}value> ?value }} }} }}"):
            got = {k: r[k].value if r[k] is not None else None
                   for k in ("vg", "focus", "sev", "shape", "comp", "path", "zh", "en")}
            check = Check(str(got["shape"]), (got["comp"] or "").rsplit("#", 1)[-1],
                          str(got["sev"]).rsplit("#", 1)[-1], got["path"],
                          {"zh": got["zh"], "en": got["en"]}, "")
            rows.append(Row(check, by_report[str(got["vg"])], str(got["focus"]), r["value"]))
    for g, fs in findings_of(store, view_of(store, ontology), rows).items():
        found[g] = sorted(fs, key=Finding.sort_key)
    return found
