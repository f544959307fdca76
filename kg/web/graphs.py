"""Named graphs as linked data: ``/graph/<doc>`` (what was read from one document),
``/validation/<doc>`` (its SHACL report, once loaded), ``/catalog`` (import
metadata), ``/shared/nodes`` and ``/registry/issuers``.  Their RDF is the graph's
content (the Graph Store Protocol at /rdf-graphs/ serves the same for writing
clients); their HTML page says what the graph is and lists its subjects."""
from __future__ import annotations

from urllib.parse import quote

from pyoxigraph import NamedNode, Triple

from ..store import Store
from . import errors
from .linked import IN_DATASET, render_rdf
from .media import PAGE_OFFERS, RDF_SUFFIXES, negotiate, split_suffix
from .parts import label, local_href, relative
from .templates import page, render

#: local paths of named graphs: prefixes (one graph per document) and single graphs
PREFIXES = ("/graph/", "/validation/")
SINGLE = ("/catalog", "/shared/nodes", "/registry/issuers")
KIND = {"/graph/": "文件图 document graph: everything read from one document",
        "/validation/": "校验报告 validation report of one document (SHACL)",
        "/catalog": "导入目录 import catalog: one entry per document graph",
        "/shared/nodes": "共享节点 shared nodes: what every document says alike about a "
                         "directive, unit, policy…",
        "/registry/issuers": "发文机关登记 issuer registry: agencies and their code prefixes"}
MAX_SUBJECTS = 300


def is_graph_path(path: str) -> bool:
    path = split_suffix(path)[0]
    return path in SINGLE or any(path.startswith(p) and len(path) > len(p) for p in PREFIXES)


def graph_view(store: Store, path: str, accept: str | None, base: str,
               fmt: str | None = None) -> tuple[str, bytes]:
    """(media type, body) of the named graph at a local path."""
    path, fixed = split_suffix(path)
    iri = base + path.lstrip("/")
    if not store.has_graph(iri):
        raise errors.not_found(f"there is no named graph <{iri}>")
    media = fixed or negotiate(accept, PAGE_OFFERS, fmt)
    triples = store.graph_triples(iri)
    if media != "text/html":
        in_dataset = Triple(NamedNode(iri), IN_DATASET, NamedNode(base + "dataset"))
        return media, render_rdf(triples + [in_dataset], media)
    return media, _html(store, iri, path, triples, base).encode()


def _html(store: Store, iri: str, path: str, triples: list[Triple], base: str) -> str:
    kind = next((v for k, v in KIND.items()
                 if path == k or (k.endswith("/") and path.startswith(k))), "")
    subjects = sorted({t.subject for t in triples if isinstance(t.subject, NamedNode)}, key=str)
    more = len(subjects) - MAX_SUBJECTS
    return page(f"命名图 named graph: {path.lstrip('/')}", render(
        "graph.html", iri=iri, path=path, kind=kind, triples=len(triples), subjects=len(subjects),
        formats=RDF_SUFFIXES,
        doc=path.split("/", 2)[2] if path.startswith(PREFIXES) else "",
        listed=[(local_href(s.value, base), label(store, s), relative(s.value, base))
                for s in subjects[:MAX_SUBJECTS]],
        more=more, ask=quote(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        if more > 0 else ""), path)
