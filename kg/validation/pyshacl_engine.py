"""The reference engine: pySHACL on each document's view, in Python.  Slow, and
the one the compiled engine (engine.py) is tested against: both give the same
findings.  Also the home of what both report (`GraphReport`) and of the shapes and
ontology as rdflib graphs."""
from __future__ import annotations

import functools
import itertools
import os
from collections import deque
from dataclasses import dataclass

import rdflib
from pyoxigraph import NamedNode, RdfFormat, Triple, serialize
from pyshacl import validate as shacl_validate
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from .. import config, iris
from ..errors import KgError
from ..ontology import ONTOLOGY_FILES, SHAPES_DIR
from ..store import Store
from ..store.base import report_graph_of
from ..workers import worker_pool
from .findings import (
    DESCRIBING,
    Finding,
    computed_value,
    line_number,
    location,
    messages,
    printed,
    report_triples,
    summed,
)
from .query import SEVERITY

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


class _ParsedOnce(rdflib.Graph):
    """A graph whose SPARQL query texts are parsed once: pySHACL asks a SPARQL
    constraint once per focus node, the same text with ``$this`` bound, and rdflib
    would parse it every time (most of pySHACL's time on a document)."""

    def query(self, query_object, processor="sparql", result="sparql",
              initNs=None, initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
        if isinstance(query_object, str) and initNs is None:
            query_object = _parsed(query_object, tuple(sorted(self.namespaces())))
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


@functools.lru_cache(maxsize=512)
def _parsed(text: str, namespaces: tuple) -> Query:
    """A query text parsed as ``rdflib.Graph.query`` would (the graph's prefixes known)."""
    return prepareQuery(text, initNs=dict(namespaces))


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph,
                   name: str = "") -> GraphReport:
    """Validate one document graph with pySHACL; findings come back as data, never raised."""
    mixed = _ParsedOnce()  # data + ontology: class and concept hierarchies visible
    for prefix, namespace in {*data.namespaces(), *ontology.namespaces()}:
        mixed.bind(prefix, namespace)
    mixed += data
    mixed += ontology
    # in place: ``mixed`` is this call's own graph, not worth pySHACL's copy
    _, report, text = shacl_validate(mixed, shacl_graph=shapes, advanced=True,
                                     inference="none", allow_warnings=True, inplace=True)
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


def document_view(store: Store, graph: str) -> list[Triple]:
    """A document's graph plus the shared graph's descriptions of the nodes it reaches
    (a cited directive's type and code, a unit's name…, and what those reach in
    turn), so the shapes see what the mapper emitted for this document alone."""
    own = [q.triple for q in store.quads(graph)]
    shared = iris.shared_graph(store.base_iri)
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


def graph_to_rdflib(store: Store, graph: str) -> rdflib.Graph:
    triples = document_view(store, graph)
    g = rdflib.Graph()
    g.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    return g


def pyshacl_reports(store: Store, graphs: list[str], shapes: rdflib.Graph, ontology: rdflib.Graph,
                    workers: int | None = None, progress=None) -> list[GraphReport]:
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
