"""Shapes → findings.  Each document's named graph is validated on its own (with the
ontology mixed in, so class hierarchies and SKOS hierarchies are visible), and every
finding is located: focus node, source file and lines, the printed value.

Two engines give the same findings: ``sparql`` (the default) runs the shapes compiled
to SPARQL in the store, every document at once (kg/validation/); ``pyshacl`` runs
pySHACL on each document's view in Python, the reference the other is tested against.

Violations are structural (a mapper bug or a broken document); warnings and infos are
findings about what was published.  Only violations make ``kg validate`` fail.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import rdflib
from pyoxigraph import NamedNode, Quad

from . import iris
from .errors import KgError
from .store import Store
from .validation.findings import report_triples
from .validation.pyshacl_engine import (  # noqa: F401  (kg.validate's public names)
    GraphReport,
    document_view,
    graph_to_rdflib,
    load_ontology,
    load_shapes,
    pyshacl_reports,
    results_graph_iri,
    validate_graph,
)
from .validation.query import Fallback


def document_graphs(store: Store) -> list[str]:
    prefix = iris.base(store.base_iri) + "graph/"
    return [g for g in store.named_graphs() if g.startswith(prefix)]


ENGINES = ("sparql", "pyshacl")


@dataclass
class Validation:
    """The reports of one run, and the shapes the compiled engine left to pySHACL
    (once for the run: they are the same for every document)."""
    reports: list[GraphReport]
    fallbacks: list[Fallback] = field(default_factory=list)


def validate_store(store: Store, graphs: list[str] | None = None,
                   workers: int | None = None, engine: str = "sparql",
                   shapes: rdflib.Graph | None = None, progress=None,
                   ontology: rdflib.Graph | None = None) -> list[GraphReport]:
    """Every document graph (or those in ``graphs``) validated, in input order, by
    ``engine``: ``sparql`` (compiled, in the store) or ``pyshacl`` (the reference)."""
    return validate_documents(store, graphs, workers, engine, shapes, progress, ontology).reports


def validate_documents(store: Store, graphs: list[str] | None = None,
                       workers: int | None = None, engine: str = "sparql",
                       shapes: rdflib.Graph | None = None, progress=None,
                       ontology: rdflib.Graph | None = None) -> Validation:
    """`validate_store`, with the shapes that fell back to pySHACL."""
    if engine not in ENGINES:
        raise KgError(f"no validation engine {engine!r}: use one of {', '.join(ENGINES)}")
    graphs = graphs if graphs is not None else document_graphs(store)
    if not graphs:  # nothing to validate: no shapes parsed, nothing compiled
        return Validation([])
    shapes = shapes if shapes is not None else load_shapes()
    ontology = ontology if ontology is not None else load_ontology()
    if engine == "sparql":
        from .validation.engine import validate_graphs
        found, fallbacks = validate_graphs(store, graphs, shapes, ontology, progress=progress)
        return Validation([GraphReport(g, found[g]) for g in graphs], fallbacks)
    return Validation(pyshacl_reports(store, graphs, shapes, ontology, workers, progress))


def load_reports(store: Store, reports: list[GraphReport], batch: int = 200,
                 stamps: dict[str, str] | None = None) -> None:
    """Keep each report in the store as its own graph (replacing an older one), in
    batches of ``batch`` graphs: one store write each, not one per document.
    ``stamps`` records what each report was made from (kg/validation/stored.py)."""
    items: list[tuple[str, list[Quad] | bytes, list[Quad]]] = []
    for r in reports:
        target = results_graph_iri(r.graph)
        stamp = (stamps or {}).get(r.graph)
        items.append((target, [Quad(t.subject, t.predicate, t.object, NamedNode(target))
                               for t in report_triples(target, r.findings, stamp)], []))
        if len(items) == batch:
            store.replace_graphs(items, iris.catalog_graph(store.base_iri))
            items = []
    if items:
        store.replace_graphs(items, iris.catalog_graph(store.base_iri))


def summary(reports: list[GraphReport]) -> dict:
    return {"graphs": len(reports),
            "violations": sum(r.count("Violation") for r in reports),
            "warnings": sum(r.count("Warning") for r in reports),
            "infos": sum(r.count("Info") for r in reports),
            "conforms": all(r.conforms for r in reports)}


def by_shape(reports: list[GraphReport]) -> dict[str, dict[str, int]]:
    """{shape: {severity: findings}}, shapes by their local name."""
    out: dict[str, dict[str, int]] = {}
    for f in (f for r in reports for f in r.findings):
        counts = out.setdefault(f.shape.rsplit("#", 1)[-1], {})
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return dict(sorted(out.items()))


def validate_command(store, engine: str = "sparql", load: bool = False, everything: bool = False,
                     progress=None) -> tuple[list[GraphReport], dict]:
    """What ``kg validate`` does.  With ``load``, only documents whose stored report is
    missing or stale are validated (all with ``everything``), their reports replaced,
    reports of removed documents dropped; every document's findings are returned (the
    unchanged ones read from their stored reports)."""
    from .validation import stored
    started = time.perf_counter()
    phases: dict[str, float] = {}  # where the time went, for the summary

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        phases[name] = round(now - since, 3)
        return now

    graphs = document_graphs(store)
    todo, stamps, orphans = graphs, None, list[str]()
    if load:
        stale, stamps, orphans = stored.to_validate(store, graphs)
        for vg in orphans:
            store.drop_graph(vg)
        todo = graphs if everything else stale
    # each parsed once per command (none where the store holds no document)
    shapes, ontology = (load_shapes(), load_ontology()) if graphs else (None, None)
    t = lap("documents listed, shapes read", started)
    run = validate_documents(store, todo, engine=engine, shapes=shapes, ontology=ontology,
                             progress=progress)
    t = lap("validated", t)
    if load and (run.reports or orphans):
        load_reports(store, run.reports, stamps=stamps)
        store.flush()
        t = lap("reports written", t)
    fresh = {r.graph: r for r in run.reports}
    unchanged = [g for g in graphs if g not in fresh]
    kept = stored.stored_findings(store, unchanged, ontology) if unchanged else {}
    if unchanged:
        t = lap("kept reports read", t)
    reports = [fresh[g] if g in fresh else GraphReport(g, kept[g]) for g in graphs]
    fallbacks = run.fallbacks
    if not todo and shapes is not None and ontology is not None and engine == "sparql":
        # nothing validated: the shapes the kept reports left to pySHACL
        from .validation.engine import fallbacks_of
        fallbacks = fallbacks_of(store, shapes, ontology)
    out = summary(reports)
    out.update(graphs=len(graphs), validated=len(todo), unchanged=len(unchanged),
               engine=engine, seconds=round(time.perf_counter() - started, 3),
               by_shape=by_shape(reports), fallbacks=[f.__dict__ for f in fallbacks],
               phases=phases)
    return reports, out


def summary_lines(s: dict) -> list[str]:
    """The end of ``kg validate``: findings by shape, what fell back to pySHACL, totals."""
    lines = ["by shape:"] if s["by_shape"] else []
    for shape, counts in s["by_shape"].items():
        lines.append(f"  {shape:28} " + ", ".join(f"{n} {sev.lower()}{'s' * (n != 1)}" for sev, n in
                                                   sorted(counts.items())))
    for f in s["fallbacks"]:
        lines.append(f"validated by pySHACL (not compiled): {f['shape']}: {f['reason']}")
    kept = f" ({s['validated']} validated, {s['unchanged']} unchanged since their stored " \
           f"report)" if s["unchanged"] else ""
    lines.append(f"{s['graphs']} documents{kept}: {s['violations']} violations, "
                 f"{s['warnings']} warnings, {s['infos']} infos ({s['engine']} engine, "
                 f"{s['seconds']:.1f} s)")
    return lines
