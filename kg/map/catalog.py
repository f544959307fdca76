"""The catalog graph's statements about the graphs a build writes: a document graph's
entry (where it came from, which file, its content hash, which mapper, when) and the
marker of which mapper wrote the shared graph.  Import metadata is kept here, out of
the document's own graph, so that graph stays a pure function of the document
(byte-identical on rebuild); the time comes in as an argument, so this stays pure."""
from __future__ import annotations

from datetime import datetime

from pyoxigraph import Literal, NamedNode, Quad, Triple

from .. import iris
from .terms import BP, PROV, XSD, A, plain


def catalog_entry(graph: str, key: str, file_name: str, sha256: str, mapper: str,
                  loaded_at: datetime, base: str) -> list[Quad]:
    """The catalog entry of the document graph ``graph`` (document ``key``): written
    last, it marks the graph complete (kg/store/embedded.py)."""
    at = loaded_at.replace(microsecond=0).isoformat()
    facts: list[tuple[NamedNode, NamedNode | Literal]] = [
        (A, BP.DocumentGraph),
        (BP.documentGraphOf, NamedNode(iris.document(key, base))),
        (PROV.wasDerivedFrom, NamedNode(iris.source(key, base))),
        (BP.fileName, plain(file_name)),
        (BP.contentHash, plain(sha256)),
        (BP.mapperVersion, plain(mapper)),
        (PROV.generatedAtTime, Literal(at, datatype=XSD.dateTime)),
    ]
    g, catalog = NamedNode(graph), NamedNode(iris.catalog_graph(base))
    return [Quad(g, p, o, catalog) for p, o in facts]


def mapper_marker(graph: str, mapper: str) -> Triple:
    """Which mapper wrote ``graph`` (the shared graph: a new mapper starts it afresh)."""
    return Triple(NamedNode(graph), BP.mapperVersion, plain(mapper))
