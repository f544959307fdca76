"""The HTML page of one resource: its facts, what links to it, where it was printed,
the type-specific summary (kg/web/pages.py) and its other formats."""
from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup
from pyoxigraph import Literal, NamedNode, Triple

from .. import iris
from ..store import Store
from .media import RDF_SUFFIXES
from .pages import summary
from .parts import Link, curie, label, local_href, relative, under_base
from .templates import page, render

DERIVED = NamedNode(iris.NS["prov"] + "wasDerivedFrom")
#: rows of a page's "linked from" table; the rest is counted, not listed
MAX_LINKED_FROM = 200


def _term(store: Store, term, base: str):
    """A cell for a term: a link (labelled under the base, else a CURIE), or a literal
    with its language."""
    if isinstance(term, NamedNode):
        text = label(store, term) if under_base(term.value, base) is not None else curie(term.value)
        return Link(term.value, text, terms=True)
    if isinstance(term, Literal) and term.language:
        return Markup('{} <small lang="en">@{}</small>').format(term.value, term.language)
    return term.value


def document_graph(iri: str, base: str) -> str | None:
    """The named graph read from the document an IRI was minted in (a document, its
    parts, its source text), else None.

    >>> document_graph("http://x/doc/a/project/1", "http://x/")
    'http://x/graph/a'
    """
    for kind in ("doc/", "source/"):
        if iri.startswith(base + kind):
            return base + "graph/" + iri[len(base + kind):].split("/", 1)[0]
    return None


def _printed_at(store: Store, out: list[Triple]) -> list[tuple[str, str]]:
    """(source, where in it) of each span the resource was read from; a .docx/HTML
    span is labelled with its table, row, cell."""
    found = []
    for span in (t.object for t in out if t.predicate == DERIVED):
        if not isinstance(span, NamedNode):
            continue
        lines = {q.predicate.value.rsplit("#", 1)[1]: q.object.value
                 for q in store.quads_for_pattern(span, None, None, None)}
        if "firstLine" in lines:
            at = lines.get("label") or f"lines {lines['firstLine']}–{lines['lastLine']}"
            found.append((span.value.rsplit("/source/", 1)[-1], at))
    return found


def resource_html(store: Store, iri: str, out: list[Triple], inc: list[Triple], base: str) -> str:
    kinds = {t.object.value for t in out
             if t.predicate.value == iris.NS["rdf"] + "type" and isinstance(t.object, NamedNode)}
    here = local_href(iri, base)
    graph = document_graph(iri, base)
    more = len(inc) - MAX_LINKED_FROM
    body = render(
        "resource.html", base, iri=iri, here=here, formats=RDF_SUFFIXES,
        graph=graph and (local_href(graph, base), relative(graph, base)),
        printed=_printed_at(store, out), summary=summary(store, iri, kinds, base),
        facts=[(curie(t.predicate.value), _term(store, t.object, base)) for t in out],
        linked_from=[(_term(store, t.subject, base), curie(t.predicate.value))
                     for t in inc[:MAX_LINKED_FROM]],
        more=more, ask=quote(f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }}") if more > 0 else "")
    return page(label(store, NamedNode(iri)), body, here)
