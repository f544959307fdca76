"""Source spans as Web Annotation specific resources, so every fact answers "where
was this printed?" (document, first and last location).

In a text source a location is a line, and the selector is the RFC 5147 fragment
IRI of the source text itself (``<source>#line=46,132`` = lines 47–132), so it needs
no triples of its own: a span costs five triples, and there is one for almost every
fact.  In a .docx or HTML source a location is a paragraph in document order; the
selector ``<source>#paragraph=35,40`` (paragraphs 35 to 40, counted from 1) is a
``bp:LayoutSelector`` naming where they are (``table 1, row 8, cell 1, paragraph 1``),
and the span is labelled with those places for people."""
from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from .. import iris
from ..read.model import place
from ..records import Span
from .terms import BP, OA, PROV, RDFS, A, Quads, integer, plain


def span_node(q: Quads, doc_id: str, span: Span, base: str) -> NamedNode:
    """The span resource (emitted once per graph): source, selector, locations."""
    iri = iris.span(doc_id, span.first, span.last, base)
    node = NamedNode(iri)
    if q.first_time(iri):
        source = iris.source(doc_id, base)
        q.add(node, A, BP.SourceSpan)
        q.add(node, OA.hasSource, NamedNode(source))
        if q.locations:
            q.add(node, OA.hasSelector, layout_selector(q, node, source, span))
        else:  # RFC 5147 counts line boundaries from 0: lines 47..132 are line=46,132
            q.add(node, OA.hasSelector, NamedNode(f"{source}#line={span.first - 1},{span.last}"))
        q.add(node, BP.firstLine, integer(span.first))
        q.add(node, BP.lastLine, integer(span.last))
    return node


def layout_selector(q: Quads, span_iri: NamedNode, source: str, span: Span) -> NamedNode:
    """The selector of a span of paragraphs, naming the table, row, cell and paragraph
    of its first and last location; the span gets them as its label."""
    sel = NamedNode(f"{source}#paragraph={span.first},{span.last}")
    first, last = place(q.locations, span.first), place(q.locations, span.last)
    q.add(sel, A, BP.LayoutSelector)
    q.add(sel, BP.firstLocation, plain(first))
    q.add(sel, BP.lastLocation, plain(last))
    q.add(span_iri, RDFS.label, Literal(span_label(first, last), language="en"))
    return sel


def span_label(first: str, last: str) -> str:
    """First and last place, the parts they share said once.

    >>> span_label("table 1, row 9, cell 1, paragraph 1", "table 1, row 9, cell 6, paragraph 1")
    'table 1, row 9, cell 1, paragraph 1 – cell 6, paragraph 1'
    >>> span_label("paragraph 3", "paragraph 3")
    'paragraph 3'
    """
    if first == last:
        return first
    a, b = first.split(", "), last.split(", ")
    same = 0
    while same < min(len(a), len(b)) - 1 and a[same] == b[same]:
        same += 1
    return f"{first} – {', '.join(b[same:])}"


def derived(q: Quads, node: NamedNode, doc_id: str, span: Span | None, base: str) -> None:
    """``node prov:wasDerivedFrom <span>``."""
    if span is not None:
        q.add(node, PROV.wasDerivedFrom, span_node(q, doc_id, span, base))
