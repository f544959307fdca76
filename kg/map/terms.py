"""RDF terms for the mapper: namespaces as attribute access, typed literals, and a
collector of quads for one named graph.  pyoxigraph terms, because the store and
the canonical N-Quads dump both speak them natively (rdflib is used in tests).
"""
from __future__ import annotations

from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad

from ..iris import NS

XSD = NS["xsd"]
_DEC = NamedNode(XSD + "decimal")
_INT = NamedNode(XSD + "integer")
_BOOL = NamedNode(XSD + "boolean")


class Namespace:
    """``BP.budget`` → NamedNode('https://w3id.org/bpkg/ontology#budget')."""

    def __init__(self, iri: str):
        self._iri = iri
        self._cache: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        return self[name]

    def __getitem__(self, name: str) -> NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = NamedNode(self._iri + name)
        return node


BP, BPC = Namespace(NS["bp"]), Namespace(NS["bpc"])
RDF, RDFS = Namespace(NS["rdf"]), Namespace(NS["rdfs"])
DCT, ORG, PROV = Namespace(NS["dcterms"]), Namespace(NS["org"]), Namespace(NS["prov"])
OA, ELI, SCHEMA = Namespace(NS["oa"]), Namespace(NS["eli"]), Namespace(NS["schema"])
A = RDF.type


def zh(text: str) -> Literal:
    """Printed Chinese text: kept as a @zh literal."""
    return Literal(text, language="zh")


def plain(text: str) -> Literal:
    return Literal(text)


def dec(value: Decimal) -> Literal:
    return Literal(format(value, "f"), datatype=_DEC)


def integer(value: int) -> Literal:
    return Literal(str(int(value)), datatype=_INT)


def boolean(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=_BOOL)


class Quads:
    """Collects the quads of one document: its own graph, and (``share``) the shared
    graph for a node's description that is a function of its IRI alone, so every
    document that mentions the node writes the same triple to the same graph.
    ``seen`` avoids emitting a node (a span, a directive) twice."""

    def __init__(self, graph: str, shared: str | None = None):
        self.graph = NamedNode(graph)
        self.shared = NamedNode(shared) if shared else self.graph
        self.quads: list[Quad] = []
        self.seen: set[str] = set()

    def add(self, s: NamedNode, p: NamedNode, o) -> None:
        if o is not None:
            self.quads.append(Quad(s, p, o, self.graph))

    def share(self, s: NamedNode, p: NamedNode, o) -> None:
        """A triple true of ``s`` whatever document mentions it (its type, its key)."""
        if o is not None:
            self.quads.append(Quad(s, p, o, self.shared))

    def first_time(self, key: str) -> bool:
        if key in self.seen:
            return False
        self.seen.add(key)
        return True
