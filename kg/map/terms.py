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
        # kept as an attribute: the next lookup of the term is found without calling this
        # (the mapper looks terms up about a million times per thousand documents)
        node = self[name]
        setattr(self, name, node)
        return node

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
    ``seen`` avoids emitting a node (a span, a directive) twice.

    A quad is kept as a tuple of terms, and made a pyoxigraph ``Quad`` only when
    asked (``quads``): a build needs only its N-Quads text (``nquads``), which is
    written from the terms' own N-Triples form, byte for byte what pyoxigraph's
    serialiser writes, without building a ``Quad`` (a large share of the mapping
    time, benchmarks/stages.py)."""

    def __init__(self, graph: str, shared: str | None = None, locations: list[str] | None = None):
        self.graph = NamedNode(graph)
        self.shared = NamedNode(shared) if shared else self.graph
        self.rows: list[tuple] = []
        self.seen: set[str] = set()
        #: where each location number is, for a source without lines (.docx, HTML)
        self.locations = locations or []

    def add(self, s: NamedNode, p: NamedNode, o) -> None:
        if o is not None:
            self.rows.append((s, p, o, self.graph))

    def share(self, s: NamedNode, p: NamedNode, o) -> None:
        """A triple true of ``s`` whatever document mentions it (its type, its key)."""
        if o is not None:
            self.rows.append((s, p, o, self.shared))

    def first_time(self, key: str) -> bool:
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    @property
    def quads(self) -> list[Quad]:
        """Every quad added, in order (repeats included)."""
        return [Quad(*row) for row in self.rows]

    def nquads(self) -> tuple[bytes, int]:
        """The N-Quads text of the distinct quads, in the order first added, and their
        number: what ``serialize(dict.fromkeys(self.quads), RdfFormat.N_QUADS)`` writes."""
        own, shared, graph = str(self.graph), str(self.shared), self.graph
        lines = dict.fromkeys(f"{s} {p} {o} {own if g is graph else shared} .\n"
                              for s, p, o, g in self.rows)
        return "".join(lines).encode("utf-8"), len(lines)
