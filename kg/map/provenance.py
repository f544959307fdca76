"""Source spans as Web Annotation specific resources with RFC 5147 line selectors,
so every fact answers "where was this printed?" (document, first and last line).

The selector is the RFC 5147 fragment IRI of the source text itself
(``<source>#line=46,132`` = lines 47–132), so it needs no triples of its own: a span
costs five triples, and there is one for almost every fact."""
from __future__ import annotations

from pyoxigraph import NamedNode

from .. import iris
from ..records import Span
from .terms import BP, OA, PROV, A, Quads, integer


def span_node(q: Quads, doc_id: str, span: Span, base: str) -> NamedNode:
    """The span resource (emitted once per graph): source, selector, lines."""
    iri = iris.span(doc_id, span.first, span.last, base)
    node = NamedNode(iri)
    if q.first_time(iri):
        source = iris.source(doc_id, base)
        q.add(node, A, BP.SourceSpan)
        q.add(node, OA.hasSource, NamedNode(source))
        # RFC 5147 counts line boundaries from 0: lines 47..132 are line=46,132
        q.add(node, OA.hasSelector, NamedNode(f"{source}#line={span.first - 1},{span.last}"))
        q.add(node, BP.firstLine, integer(span.first))
        q.add(node, BP.lastLine, integer(span.last))
    return node


def derived(q: Quads, node: NamedNode, doc_id: str, span: Span | None, base: str) -> None:
    """``node prov:wasDerivedFrom <span>``."""
    if span is not None:
        q.add(node, PROV.wasDerivedFrom, span_node(q, doc_id, span, base))
