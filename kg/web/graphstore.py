"""SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/):
loaders read and write whole graphs over HTTP.

A graph is named indirectly (``/rdf-graphs/service?graph=IRI`` or ``?default``,
§4.2) or directly by its own URL under ``/rdf-graphs/`` (§4.1).  A POST to the
service without a graph creates one under ``/rdf-graphs/`` and says where
(``Location``, §5.5).  Bodies are parsed whole before the store is touched, so bad
RDF changes nothing, and each write is one store transaction (see
``Store.put_graph``).  Graphs that ``kg build`` owns are refused: writing
them over HTTP would leave the catalog describing a graph that is no longer the
pure function of its document that it claims to be.
"""
from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP

from pyoxigraph import NamedNode, RdfFormat, Triple, parse

from .. import iris
from ..store import Store
from . import errors, formats
from .media import PAYLOADS, RDF_FORMATS, bare, negotiate

SERVICE = "/rdf-graphs/service"
DIRECT = "/rdf-graphs/"
MULTIPART = "multipart/form-data"


@dataclass(frozen=True)
class RequestedGraph:
    """The graph a request is about; ``graph=None`` is the default graph."""
    graph: str | None


def requested_graph(params: dict[str, list[str]], direct_iri: str | None) -> RequestedGraph | None:
    """The graph named by the request, or None for the service itself."""
    graphs, default = params.get("graph", []), "default" in params
    if direct_iri is not None:
        graphs, default = [direct_iri], False
    if len(graphs) + default > 1:
        raise errors.bad_request("name one graph: either ?graph=IRI (once) or ?default")
    if default:
        return RequestedGraph(None)
    if not graphs:
        return None
    try:
        return RequestedGraph(NamedNode(graphs[0]).value)
    except ValueError as e:
        raise errors.bad_request(
            f"the graph must be named by an absolute IRI, not {graphs[0]!r}: {e}") from None


def new_graph_iri(base_url: str) -> str:
    """A fresh graph named by its own URL, so GET on the Location reads it."""
    return base_url.rstrip("/") + DIRECT + uuid.uuid4().hex


def _charset_ok(content_type: str) -> bool:
    m = re.search(r";\s*charset=([^;\s]+)", content_type, re.I)
    return m is None or m.group(1).strip('"').lower() in ("utf-8", "utf8")


def _parse_one(content_type: str, body: bytes, base: str | None,
               filename: str | None = None) -> list[Triple]:
    media = bare(content_type)
    fmt = PAYLOADS.get(media)
    if fmt is None and not media and filename:
        fmt = RdfFormat.from_extension(filename.rsplit(".", 1)[-1]) if "." in filename else None
    if fmt is None or fmt not in PAYLOADS.values():
        raise errors.unsupported_media_type(
            f"a graph must be sent as one of {', '.join(PAYLOADS)} (or {MULTIPART} of them), "
            f"not {media or 'no type'!r}" + (f" (part {filename!r})" if filename else ""))
    if not _charset_ok(content_type):
        raise errors.unsupported_media_type("RDF bodies must be UTF-8")
    try:
        return [q.triple for q in parse(body, format=fmt, base_iri=base, without_named_graphs=True)]
    except SyntaxError as e:
        raise errors.bad_request(f"the body is not valid {fmt.name}: {e}") from None
    except (ValueError, OSError) as e:
        raise errors.bad_request(f"the body cannot be read as {fmt.name}: {e}") from None


def parse_payload(content_type: str | None, body: bytes, base: str | None) -> list[Triple]:
    """The triples of a request body (one RDF document, or multipart/form-data parts
    merged, §5.5); 415 for a type that is not RDF, 400 with the parser's message."""
    content_type = content_type or ""
    if bare(content_type) != MULTIPART:
        return _parse_one(content_type, body, base)
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n" + body)
    if not message.is_multipart() or not message.get_boundary():
        raise errors.bad_request(f"the {MULTIPART} body has no parts (check the boundary)")
    triples: list[Triple] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        triples += _parse_one(part.get("content-type", ""),
                              payload if isinstance(payload, bytes) else b"", base,
                              part.get_filename())
    return triples


def owned_by_build(graph: str, base: str) -> bool:
    """The catalog, the ontology, the registry and shared graphs, and the document and
    validation graphs."""
    return (graph in (iris.catalog_graph(base), iris.ONTOLOGY, iris.registry_graph(base),
                      iris.shared_graph(base))
            or graph.startswith((base + "graph/", base + "validation/")))


class GraphStore:
    """The protocol's operations on one store; writes are serialised so the 201/204
    answer matches what the write found."""

    def __init__(self, store: Store, base: str):
        self.store, self.base = store, base
        self._lock = threading.Lock()

    def read(self, t: RequestedGraph, accept: str | None, fmt: str | None) -> tuple[str, bytes]:
        """GET/HEAD §5.2: the graph in the negotiated RDF format; 404 if missing."""
        media = negotiate(accept, list(RDF_FORMATS), fmt)
        if not self.store.has_graph(t.graph):
            raise errors.not_found(f"no graph <{t.graph}> in this store")
        return media, formats.write_rdf(self.store.graph_triples(t.graph), media, iris.NS)

    def check_writable(self, t: RequestedGraph) -> None:
        if t.graph is not None and owned_by_build(t.graph, self.base):
            raise errors.forbidden(
                f"<{t.graph}> is written by kg build (document and validation graphs, the "
                "ontology, the catalog): change the source and rebuild; load other data into "
                "graphs of your own")

    def put(self, t: RequestedGraph, triples: list[Triple]) -> int:
        """PUT §5.3: replace; 201 if the graph is new, else 204."""
        self.check_writable(t)
        with self._lock:
            existed = t.graph is None or self.store.has_graph(t.graph)
            self.store.put_graph(t.graph, triples)
        return 204 if existed else 201

    def post(self, t: RequestedGraph, triples: list[Triple]) -> int:
        """POST §5.5: merge; 201 if the graph is new, else 204."""
        self.check_writable(t)
        with self._lock:
            existed = t.graph is None or self.store.has_graph(t.graph)
            self.store.add_to_graph(t.graph, triples)
        return 204 if existed else 201

    def delete(self, t: RequestedGraph) -> int:
        """DELETE §5.4: 204, or 404 for a graph that is not there."""
        self.check_writable(t)
        with self._lock:
            if not self.store.has_graph(t.graph):
                raise errors.not_found(f"no graph <{t.graph}> to delete")
            self.store.drop_graph(t.graph)
        return 204
