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

import itertools
import os
import time
from collections import deque
from dataclasses import dataclass, field

import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, serialize
from pyshacl import validate as shacl_validate
from rdflib.namespace import RDF, SH

from . import config, iris
from .errors import KgError
from .ontology import ONTOLOGY_FILES, SHAPES_DIR
from .store import EmbeddedStore
from .store.base import report_graph_of
from .validation.findings import (
    Finding,
    computed_value,
    line_number,
    location,
    messages,
    printed,
    report_triples,
    summed,
)
from .validation.query import SEVERITY, Fallback

BP = rdflib.Namespace(iris.BP)
PROV = rdflib.Namespace(iris.NS["prov"])


@dataclass
class GraphReport:
    graph: str
    findings: list[Finding]

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    @property
    def report(self) -> rdflib.Graph:
        """The report as an rdflib graph (what ``--format turtle`` prints)."""
        g = rdflib.Graph()
        data = serialize(report_triples(results_graph_iri(self.graph), self.findings),
                         format=RdfFormat.N_TRIPLES)
        return g.parse(data=data, format="nt")


def load_shapes() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in sorted(SHAPES_DIR.glob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def load_ontology() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in ONTOLOGY_FILES:
        g.parse(f, format="turtle")
    return g


def _own_messages(report: rdflib.Graph, shapes: rdflib.Graph, result) -> dict:
    """The shape's own messages by language (pySHACL reports only one of them): the
    SPARQL constraint's, else the shape's."""
    for node in (report.value(result, SH.sourceConstraint), report.value(result, SH.sourceShape)):
        found = {getattr(m, "language", None): str(m)
                 for m in (shapes.objects(node, SH.message) if node is not None else ())}
        if found:
            return found
    return {}


def _named_shape(shapes: rdflib.Graph, shape) -> str:
    """A property shape's node shape (property shapes are blank nodes here)."""
    if isinstance(shape, rdflib.BNode):
        parent = next(shapes.subjects(SH.property, shape), None)
        if parent is not None:
            return str(parent)
    return str(shape)


def _facts(data: rdflib.Graph, focus) -> tuple[dict, list]:
    """The focus node's printed labels and its source spans, as the compiled engine
    reads them (kg/validation/findings.py decides from both)."""
    from .validation.findings import DESCRIBING
    props = {p: [str(o) for o in data.objects(focus, rdflib.URIRef(p))] for p in DESCRIBING}
    spans = []
    for span in data.objects(focus, PROV.wasDerivedFrom):
        firsts: list[rdflib.term.Node | None] = [*data.objects(span, BP.firstLine)] or [None]
        lasts: list[rdflib.term.Node | None] = [*data.objects(span, BP.lastLine)] or [None]
        names: list[rdflib.term.Node | None] = [
            n for src in data.objects(span, rdflib.URIRef(iris.NS["oa"] + "hasSource"))
            for n in data.objects(src, BP.fileName)] or [None]
        spans += [(str(n) if n is not None else None,
                   line_number(str(f) if f is not None else None),
                   line_number(str(la) if la is not None else None))
                  for f in firsts for la in lasts for n in names]
    return {p: v for p, v in props.items() if v}, spans


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph,
                   name: str = "") -> GraphReport:
    """Validate one document graph with pySHACL; findings come back as data, never raised."""
    mixed = data + ontology  # class and concept hierarchies visible to the shapes
    _, report, text = shacl_validate(mixed, shacl_graph=shapes, advanced=True,
                                     inference="none", allow_warnings=True)
    if not isinstance(report, rdflib.Graph):  # the shapes themselves are broken
        raise KgError(f"shapes in {SHAPES_DIR} cannot be used: {text}")
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        result_path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        path = str(result_path) if isinstance(result_path, rdflib.URIRef) else None
        constraint = report.value(result, SH.sourceConstraint)
        select = shapes.value(constraint, SH.select) if constraint is not None else None
        text, nt = computed_value(summed(None if select is None else str(select)),
                                  str(value) if value is not None else None,
                                  value.n3() if value is not None else None)
        zh, en = messages(_own_messages(report, shapes, result), component, path, text)
        props, spans = _facts(data, focus)
        file, first, last = location(spans)
        findings.append(Finding(
            SEVERITY.get(rdflib.URIRef(str(report.value(result, SH.resultSeverity))),
                         "Violation"),
            _named_shape(shapes, report.value(result, SH.sourceShape)), str(focus), path,
            text, printed(props), zh, en, file, first, last, component, nt))
    findings.sort(key=Finding.sort_key)
    return GraphReport(name, findings)


def document_view(store: EmbeddedStore, graph: str) -> list[Triple]:
    """A document's graph plus the shared graph's descriptions of the nodes it reaches
    (a cited directive's type and code, a unit's name…, and what those reach in
    turn), so the shapes see what the mapper emitted for this document alone."""
    own = [q.triple for q in store.quads(graph)]
    shared = iris.shared_graph()
    if not store.has_graph(shared):
        return own
    out, seen = list(own), set()
    frontier = {t.object for t in own if isinstance(t.object, NamedNode)}
    while frontier:
        seen |= frontier
        found = store.describe_in(shared, sorted(frontier, key=str))
        out.extend(found)
        frontier = {t.object for t in found if isinstance(t.object, NamedNode)} - seen
    return out


def graph_to_rdflib(store: EmbeddedStore, graph: str) -> rdflib.Graph:
    triples = document_view(store, graph)
    g = rdflib.Graph()
    g.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    return g


def document_graphs(store: EmbeddedStore) -> list[str]:
    prefix = iris.base() + "graph/"
    return [g for g in store.named_graphs() if g.startswith(prefix)]


ENGINES = ("sparql", "pyshacl")


@dataclass
class Validation:
    """The reports of one run, and the shapes the compiled engine left to pySHACL
    (once for the run: they are the same for every document)."""
    reports: list[GraphReport]
    fallbacks: list[Fallback] = field(default_factory=list)


def validate_store(store: EmbeddedStore, graphs: list[str] | None = None,
                   workers: int | None = None, engine: str = "sparql",
                   shapes: rdflib.Graph | None = None, progress=None,
                   ontology: rdflib.Graph | None = None) -> list[GraphReport]:
    """Every document graph (or those in ``graphs``) validated, in input order, by
    ``engine``: ``sparql`` (compiled, in the store) or ``pyshacl`` (the reference)."""
    return validate_documents(store, graphs, workers, engine, shapes, progress, ontology).reports


def validate_documents(store: EmbeddedStore, graphs: list[str] | None = None,
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
    return Validation(_pyshacl_store(store, graphs, shapes, ontology, workers, progress))


def _pyshacl_store(store, graphs, shapes, ontology, workers, progress) -> list[GraphReport]:
    """pySHACL is slow on each document, so with several graphs the work
    runs in ``workers`` processes (setting ``workers``; 0 = one per core): this
    process reads each document's view from the store and hands it over as N-Triples."""
    if workers is None:
        workers = int(str(config.get("workers"))) or os.cpu_count() or 1
    global _SHAPES, _ONTOLOGY
    _SHAPES, _ONTOLOGY = shapes, ontology  # before forking: shared
    views = ((g, serialize(document_view(store, g), format=RdfFormat.N_TRIPLES) or b"")
             for g in graphs)
    out = []
    if workers <= 1 or len(graphs) < 4:
        for v in views:
            out.append(_validate_view(v))
            if progress:
                progress(len(out), len(graphs))
        return out
    from .pipeline import worker_pool
    with worker_pool(min(workers, len(graphs))) as pool:
        # a sliding window: a few views in flight, never the whole store in memory
        waiting = deque(pool.apply_async(_validate_view, (v,))
                        for v in itertools.islice(views, workers * 4))
        while waiting:
            out.append(waiting.popleft().get())
            if progress:
                progress(len(out), len(graphs))
            following = next(views, None)
            if following is not None:
                waiting.append(pool.apply_async(_validate_view, (following,)))
    return out


_SHAPES: rdflib.Graph | None = None
_ONTOLOGY: rdflib.Graph | None = None


def _validate_view(view: tuple[str, bytes]) -> GraphReport:
    """In a worker: one document's view (N-Triples) → its report."""
    name, data = view
    assert _SHAPES is not None and _ONTOLOGY is not None, "set before the workers start"
    g = rdflib.Graph()
    g.parse(data=data, format="nt")
    return validate_graph(g, _SHAPES, _ONTOLOGY, name)


def results_graph_iri(graph: str) -> str:
    """Where a document's validation report is kept when loaded into the store."""
    return report_graph_of(graph)


def load_reports(store: EmbeddedStore, reports: list[GraphReport], batch: int = 200,
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
            store.replace_graphs(items, iris.catalog_graph())
            items = []
    if items:
        store.replace_graphs(items, iris.catalog_graph())


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
    graphs = document_graphs(store)
    todo, stamps, orphans = graphs, None, list[str]()
    if load:
        stale, stamps, orphans = stored.to_validate(store, graphs)
        for vg in orphans:
            store.drop_graph(vg)
        todo = graphs if everything else stale
    # each parsed once per command (none where the store holds no document)
    shapes, ontology = (load_shapes(), load_ontology()) if graphs else (None, None)
    run = validate_documents(store, todo, engine=engine, shapes=shapes, ontology=ontology,
                             progress=progress)
    if load and (run.reports or orphans):
        load_reports(store, run.reports, stamps=stamps)
        store.flush()
    fresh = {r.graph: r for r in run.reports}
    unchanged = [g for g in graphs if g not in fresh]
    kept = stored.stored_findings(store, unchanged, ontology) if unchanged else {}
    reports = [fresh[g] if g in fresh else GraphReport(g, kept[g]) for g in graphs]
    fallbacks = run.fallbacks
    if not todo and shapes is not None and ontology is not None and engine == "sparql":
        # nothing validated: the shapes the kept reports left to pySHACL
        from .validation.engine import fallbacks_of
        fallbacks = fallbacks_of(store, shapes, ontology)
    out = summary(reports)
    out.update(graphs=len(graphs), validated=len(todo), unchanged=len(unchanged),
               engine=engine, seconds=round(time.perf_counter() - started, 3),
               by_shape=by_shape(reports), fallbacks=[f.__dict__ for f in fallbacks])
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
