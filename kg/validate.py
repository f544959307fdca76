"""Shapes → findings.  Each document's named graph is validated on its own (with the
ontology mixed in, so class hierarchies and SKOS hierarchies are visible), and every
finding is located: focus node, source file and lines, the printed value.

Violations are structural (a mapper bug or a broken document); warnings and infos are
findings about what was published.  Only violations make ``kg validate`` fail.
"""
from __future__ import annotations

import itertools
import os
from collections import deque
from dataclasses import dataclass

import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse, serialize
from pyshacl import validate as shacl_validate
from rdflib.namespace import RDF, SH

from . import config, iris
from .errors import KgError
from .ontology import ONTOLOGY_FILES, SHAPES_DIR
from .store import EmbeddedStore

BP = rdflib.Namespace(iris.BP)
PROV = rdflib.Namespace(iris.NS["prov"])
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
class Finding:
    severity: str
    shape: str
    focus: str
    path: str | None
    value: str | None
    printed: str | None
    message_zh: str
    message_en: str
    file: str | None
    first_line: int | None
    last_line: int | None

    def __str__(self) -> str:
        where = f"{self.file}:{self.first_line}" if self.file else self.focus
        printed = f"  「{self.printed}」" if self.printed else ""
        return (f"{where}: {self.severity}: {self.message_zh} / {self.message_en}{printed}"
                f"  <{self.focus}>")


@dataclass
class GraphReport:
    graph: str
    findings: list[Finding]
    report: rdflib.Graph

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)


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


def _messages(report: rdflib.Graph, shapes: rdflib.Graph, result, value) -> tuple[str, str]:
    """The shape's own messages in both languages (pySHACL reports one), with
    ``{?value}`` filled in; pySHACL's generic message where a shape has none."""
    found = {}
    for node in (report.value(result, SH.sourceConstraint), report.value(result, SH.sourceShape)):
        for m in shapes.objects(node, SH.message) if node is not None else ():
            found.setdefault(getattr(m, "language", None), str(m))
        if found:
            break
    generic = str(report.value(result, SH.resultMessage) or "")
    zh, en = found.get("zh", generic), found.get("en", generic)
    text = "" if value is None else str(value)
    return zh.replace("{?value}", text), en.replace("{?value}", text)


def _printed(data: rdflib.Graph, focus) -> str | None:
    """What was printed for the focus node, so a reader can find it in the document."""
    if (focus, BP.rowNumber, None) in data:
        parts = [data.value(focus, p) for p in (BP.level1Label, BP.level2Label, BP.level3,
                                                 BP.targetPrinted)]
        return " / ".join(str(p) for p in parts if p is not None)
    for p in (rdflib.RDFS.label, BP.text, BP.printedText):
        v = data.value(focus, p)
        if v is not None:
            return str(v)
    return None


def _locate(data: rdflib.Graph, focus) -> tuple[str | None, int | None, int | None]:
    for span in data.objects(focus, PROV.wasDerivedFrom):
        first = data.value(span, BP.firstLine)
        last = data.value(span, BP.lastLine)
        source = data.value(span, rdflib.URIRef(iris.NS["oa"] + "hasSource"))
        name = data.value(source, BP.fileName) if source is not None else None
        return (str(name) if name else None, int(first) if first else None,
                int(last) if last else None)
    return None, None, None


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph, ontology: rdflib.Graph,
                   name: str = "") -> GraphReport:
    """Validate one document graph; findings come back as data, never raised."""
    mixed = data + ontology  # class and concept hierarchies visible to the shapes
    _, report, text = shacl_validate(mixed, shacl_graph=shapes, advanced=True,
                                     inference="none", allow_warnings=True)
    if not isinstance(report, rdflib.Graph):  # the shapes themselves are broken
        raise KgError(f"shapes in {SHAPES_DIR} cannot be used: {text}")
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        zh, en = _messages(report, shapes, result, value)
        file, first, last = _locate(data, focus)
        findings.append(Finding(
            SEVERITIES.get(report.value(result, SH.resultSeverity), "Violation"),
            str(report.value(result, SH.sourceShape)), str(focus),
            str(path) if isinstance(path, rdflib.URIRef) else None,
            str(value) if value is not None else None, _printed(data, focus),
            zh, en, file, first, last))
    findings.sort(key=lambda f: (f.file or "", f.first_line or 0, f.severity, f.message_en))
    return GraphReport(name, findings, report)


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


def validate_store(store: EmbeddedStore, graphs: list[str] | None = None,
                   workers: int | None = None) -> list[GraphReport]:
    """Every document graph validated, in input order.  pySHACL costs 1-2 s per
    generated document, so with several graphs the work runs in ``workers``
    processes (setting ``workers``; 0 = one per core): this process reads each
    document's view from the store and hands it over as N-Triples."""
    graphs = graphs or document_graphs(store)
    if workers is None:
        workers = int(config.get("workers")) or os.cpu_count() or 1
    global _SHAPES, _ONTOLOGY
    _SHAPES, _ONTOLOGY = load_shapes(), load_ontology()  # before forking: shared
    views = ((g, serialize(document_view(store, g), format=RdfFormat.N_TRIPLES))
             for g in graphs)
    if workers <= 1 or len(graphs) < 4:
        return [_report(_validate_view(v)) for v in views]
    from .pipeline import worker_pool
    out = []
    with worker_pool(min(workers, len(graphs))) as pool:
        # a sliding window: a few views in flight, never the whole store in memory
        waiting = deque(pool.apply_async(_validate_view, (v,))
                        for v in itertools.islice(views, workers * 4))
        while waiting:
            out.append(_report(waiting.popleft().get()))
            v = next(views, None)
            if v is not None:
                waiting.append(pool.apply_async(_validate_view, (v,)))
    return out


_SHAPES: rdflib.Graph | None = None
_ONTOLOGY: rdflib.Graph | None = None


def _validate_view(view: tuple[str, bytes]) -> tuple[str, list[Finding], bytes]:
    """In a worker: one document's view (N-Triples) → findings and the report."""
    name, data = view
    g = rdflib.Graph()
    g.parse(data=data, format="nt")
    r = validate_graph(g, _SHAPES, _ONTOLOGY, name)
    return name, r.findings, r.report.serialize(format="nt", encoding="utf-8")


def _report(result: tuple[str, list[Finding], bytes]) -> GraphReport:
    name, findings, data = result
    report = rdflib.Graph()
    report.parse(data=data, format="nt")
    return GraphReport(name, findings, report)


def results_graph_iri(graph: str) -> str:
    """Where a document's validation report is kept when loaded into the store."""
    return graph.replace("/graph/", "/validation/", 1)


def load_reports(store: EmbeddedStore, reports: list[GraphReport], batch: int = 200) -> None:
    """Keep each report in the store as its own graph (replacing an older one), in
    batches of ``batch`` graphs: one store write each, not one per document."""
    items = []
    for r in reports:
        target = results_graph_iri(r.graph)
        data = r.report.serialize(format="nt", encoding="utf-8")
        items.append((target, [Quad(t.subject, t.predicate, t.object, NamedNode(target))
                               for t in parse(data, format=RdfFormat.N_TRIPLES)], []))
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


