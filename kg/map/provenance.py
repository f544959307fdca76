"""Source spans as Web Annotation specific resources with RFC 5147 line selectors,
so every fact answers "where was this printed?" (document, first and last line)."""
from __future__ import annotations

from pyoxigraph import NamedNode

from .. import iris
from ..records import Span
from .terms import BP, DCT, OA, PROV, RDF, A, Quads, integer, plain

RFC5147 = NamedNode("http://tools.ietf.org/rfc/rfc5147")


def span_node(q: Quads, doc_id: str, span: Span, base: str) -> NamedNode:
    """The span resource (emitted once per graph): source, selector, lines."""
    iri = iris.span(doc_id, span.first, span.last, base)
    node = NamedNode(iri)
    if q.first_time(iri):
        sel = NamedNode(iri + "/selector")
        q.add(node, A, BP.SourceSpan)
        q.add(node, OA.hasSource, NamedNode(iris.source(doc_id, base)))
        q.add(node, OA.hasSelector, sel)
        q.add(node, BP.firstLine, integer(span.first))
        q.add(node, BP.lastLine, integer(span.last))
        q.add(sel, A, OA.FragmentSelector)
        q.add(sel, DCT.conformsTo, RFC5147)
        # RFC 5147 counts line boundaries from 0: lines 47..132 are line=46,132
        q.add(sel, RDF.value, plain(f"line={span.first - 1},{span.last}"))
    return node


def derived(q: Quads, node: NamedNode, doc_id: str, span: Span | None, base: str) -> None:
    """``node prov:wasDerivedFrom <span>``."""
    if span is not None:
        q.add(node, PROV.wasDerivedFrom, span_node(q, doc_id, span, base))
