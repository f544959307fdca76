"""RDF terms for the mapper: closed namespaces as attribute access, typed literals, and
a collector of quads for one named graph.  pyoxigraph terms, because the store and
the canonical N-Quads dump both speak them natively (rdflib is used in tests).

A namespace holds only the terms the ontology declares (``ontology/*.ttl``: its own
classes, properties and concepts, and the terms it reuses from other vocabularies),
plus the few standard terms in ``STANDARD_TERMS``; any other name raises, so a
misspelt term fails where it is used instead of minting a new IRI.
"""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad

from ..iris import NS
from ..ontology import declared_terms

#: Terms used beside the ontology's own that it does not declare (RDF, RDFS and XSD
#: built-ins, and the registry's dcterms:source).
STANDARD_TERMS = {
    "rdf": ("type",),
    "rdfs": ("label",),
    "xsd": ("decimal", "integer", "boolean", "dateTime"),
    "dcterms": ("source",),
    "void": ("uriSpace",),  # the base IRI a store's data is minted under (kg/store/base.py)
}


class UnknownTerm(AttributeError, KeyError):
    """A name that is not a term of the namespace (a typo, or a term to declare): an
    AttributeError for ``BP.name``, a KeyError for ``BPC[name]``."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class ClosedNamespace:
    """``BP.budget`` → NamedNode('https://w3id.org/bpkg/ontology#budget'); ``BP.buget``
    and ``BPC["level1-typo"]`` raise ``UnknownTerm``."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.iri = NS[prefix]
        names = {t[len(self.iri):] for t in declared_terms()
                 if t.startswith(self.iri) and "/" not in t[len(self.iri):]}
        names.update(STANDARD_TERMS.get(prefix, ()))
        self._terms = {name: NamedNode(self.iri + name) for name in sorted(names)}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self[name]
        # kept as an attribute: the next lookup of the term is found without calling this
        # (the mapper looks terms up about a million times per thousand documents)
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> NamedNode:
        node = self._terms.get(name)
        if node is None:
            raise UnknownTerm(f"{self.prefix}:{name} is not a term of the ontology "
                              "(ontology/*.ttl) nor of STANDARD_TERMS")
        return node

    def __contains__(self, name: object) -> bool:
        return name in self._terms

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)


BP, BPC = ClosedNamespace("bp"), ClosedNamespace("bpc")
RDF, RDFS, XSD = ClosedNamespace("rdf"), ClosedNamespace("rdfs"), ClosedNamespace("xsd")
DCT, ORG, PROV = ClosedNamespace("dcterms"), ClosedNamespace("org"), ClosedNamespace("prov")
VOID = ClosedNamespace("void")
OA, ELI, SCHEMA = ClosedNamespace("oa"), ClosedNamespace("eli"), ClosedNamespace("schema")
A = RDF.type
_DEC, _INT, _BOOL = XSD.decimal, XSD.integer, XSD.boolean


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
