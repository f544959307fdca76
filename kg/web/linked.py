"""Linked data: every IRI minted under the base dereferences here, and the concept
IRIs under ``/concept/``, as HTML for people and Turtle / JSON-LD / N-Triples /
RDF/XML for machines (``Vary: Accept``, a stable URL per format: ``…/project/1.ttl``,
and ``Link: rel=alternate`` to the others).  A resource's RDF holds what it says and
what points at it (a directive names the projects citing it), and the dataset it
belongs to.  Reads only; the triples come from the store, the HTML is built from
them."""
from __future__ import annotations

import functools
import html

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from .. import iris
from ..ontology import ontology_quads
from ..store import EmbeddedStore
from . import errors, parts
from .negotiation import negotiate

RDF_MEDIA = {"text/turtle": RdfFormat.TURTLE, "application/ld+json": RdfFormat.JSON_LD,
             "application/n-triples": RdfFormat.N_TRIPLES, "application/rdf+xml": RdfFormat.RDF_XML}
SUFFIXES = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
            ".rdf": "application/rdf+xml", ".html": "text/html"}
OFFERS = ["text/html", "text/turtle", "application/ld+json", "application/n-triples",
          "application/rdf+xml"]
IN_DATASET = NamedNode(iris.NS["void"] + "inDataset")
#: most incoming triples in a resource's RDF (the answer stays bounded for a node
#: every document points at; the SPARQL endpoint has them all)
MAX_INCOMING_RDF = 10000
LABEL = NamedNode(iris.NS["rdfs"] + "label")
DERIVED = NamedNode(iris.NS["prov"] + "wasDerivedFrom")
#: rows of a page's "linked from" table; the rest is counted, not listed
MAX_LINKED_FROM = 200


def split_suffix(path: str) -> tuple[str, str | None]:
    for suffix, media in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], media
    return path, None


def alternates(path: str) -> list[tuple[str, str]]:
    """(URL, media type) of each representation of the page at ``path`` (no suffix)."""
    return [(path + suffix, media) for suffix, media in SUFFIXES.items()]


def link_header(path: str) -> str:
    """The HTTP ``Link`` header naming the other representations."""
    return ", ".join(f'<{url}>; rel="alternate"; type="{media}"' for url, media in alternates(path))


def resource_iri(path: str, base: str) -> str:
    """The IRI a local path stands for: ``/concept/x`` is a concept, the rest is
    under the base."""
    if path.startswith("/concept/"):
        return iris.BPC + path[len("/concept/"):]
    return base + path.lstrip("/")


def describe(store: EmbeddedStore, iri: str) -> tuple[list[Triple], list[Triple]]:
    """(triples about the resource, triples pointing at it), deduplicated over graphs;
    a concept's description comes with the ontology."""
    node = NamedNode(iri)
    out = {q.triple for q in store.quads_for_pattern(node, None, None, None)}
    inc = {q.triple for q in store.quads_for_pattern(None, None, node, None)}
    if iri.startswith(iris.BPC):
        out |= {t for t in ontology_triples() if t.subject == node}
    return sorted(out, key=str), sorted(inc, key=str)


def label(store: EmbeddedStore, term) -> str:
    """A term's rdfs:label (a document's is its publisher, year and title), else its value."""
    if isinstance(term, NamedNode):
        for q in store.quads_for_pattern(term, LABEL, None, None):
            return q.object.value
        return term.value
    return term.value


def curie(iri: str) -> str:
    """``prefix:local`` for an IRI in a known namespace, else the IRI."""
    for prefix, ns in iris.NS.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _link(store: EmbeddedStore, term, base: str) -> str:
    if isinstance(term, NamedNode):
        href = local_href(term.value, base)  # "" for a non-http(s) IRI: never a link
        text = label(store, term) if term.value.startswith(base) else curie(term.value)
        return f'<a href="{html.escape(href)}">{html.escape(text)}</a>' if href else html.escape(text)
    lang = f' <small lang="en">@{term.language}</small>' if isinstance(term, Literal) and term.language else ""
    return f"{html.escape(term.value)}{lang}"


def local_href(iri: str, base: str) -> str:
    """Where this server shows an IRI: under the base, a concept, an ontology term
    (an anchor of /ontology), else the IRI itself if it is http(s), else "" (no link).

    >>> local_href("https://w3id.org/bpkg/ontology#Project", "http://x/")
    '/ontology#Project'
    """
    if iri.startswith(base):
        return iri[len(base) - 1:]
    if iri.startswith(iris.BPC):
        return "/concept/" + iri[len(iris.BPC):]
    if iri == iris.ONTOLOGY:
        return "/ontology"
    if iri.startswith(iris.BP):
        return "/ontology#" + iri[len(iris.BP):]
    return parts.href(iri, base)  # the IRI itself if http(s), else ""


def page(title: str, body: str, alternates_of: str | None = None) -> str:
    """A page; ``alternates_of`` (a path) adds <link rel=alternate> to its RDF."""
    links = "".join(f'<link rel="alternate" type="{m}" href="{html.escape(u)}">'
                    for u, m in alternates(alternates_of) if m != "text/html") if alternates_of else ""
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width">{links}'
            f"<title>{html.escape(title)}</title><style>"
            "body{font-family:sans-serif;max-width:70em;margin:1em auto;padding:0 1em}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;"
            "vertical-align:top;text-align:left}nav a{margin-right:1em}</style></head><body>"
            '<nav><a href="/">首页 home</a><a href="/sparql">SPARQL</a><a href="/queries/">'
            '查询 queries</a><a href="/dataset">数据集 dataset</a></nav>'
            f"<h1>{html.escape(title)}</h1>{body}</body></html>")


def resource_html(store: EmbeddedStore, iri: str, out, inc, base: str) -> str:
    rows = "".join(f"<tr><th>{html.escape(curie(t.predicate.value))}</th>"
                   f"<td>{_link(store, t.object, base)}</td></tr>" for t in out)
    back = "".join(f"<tr><td>{_link(store, t.subject, base)}</td>"
                   f"<th>{html.escape(curie(t.predicate.value))}</th></tr>"
                   for t in inc[:MAX_LINKED_FROM])
    if len(inc) > MAX_LINKED_FROM:  # a directive cited 10,000 times: the page stays small
        from urllib.parse import quote
        ask = quote(f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }}")
        back += (f"<tr><td colspan=2>… {len(inc) - MAX_LINKED_FROM} more: "
                 f'<a href="/query?query={ask}">query them all</a></td></tr>')
    spans = [t.object for t in out if t.predicate == DERIVED]
    where = ""
    for span in spans:
        lines = {q.predicate.value.rsplit("#", 1)[1]: q.object.value
                 for q in store.quads_for_pattern(span, None, None, None)}
        if "firstLine" in lines:  # a .docx/HTML span is labelled with its table, row, cell
            at = lines.get("label") or f"lines {lines['firstLine']}–{lines['lastLine']}"
            where += (f"<p>印于 printed at: {html.escape(span.value.rsplit('/source/', 1)[-1])} "
                      f"{html.escape(at)}</p>")
    from .pages import summary
    kinds = {t.object.value for t in out if t.predicate.value == iris.NS["rdf"] + "type"}
    specific = summary(store, iri, kinds)
    here = local_href(iri, base)
    formats = " ".join(f'<a href="{html.escape(here)}{s}">{s[1:]}</a>'
                       for s in (".ttl", ".jsonld", ".nt", ".rdf"))
    graph = document_graph(iri, base)
    in_graph = f' · 命名图 named graph: <a href="{html.escape(local_href(graph, base))}">' \
               f'{html.escape(graph[len(base):])}</a>' if graph else ""
    return page(label(store, NamedNode(iri)),
                f"<p><code>{html.escape(iri)}</code> · {formats}{in_graph}</p>{where}{specific}"
                f"<h2>事实 facts</h2><table>{rows}</table>"
                f"<h2>引用它的 linked from</h2><table>{back}</table>", here)


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


def dereference(store: EmbeddedStore, path: str, accept: str | None, base: str,
                fmt: str | None = None) -> tuple[str, bytes]:
    """(media type, body) for a request path under the base, e.g. ``/doc/x/project/1``."""
    path, fixed = split_suffix(path)
    iri = resource_iri(path, base)
    out, inc = describe(store, iri)
    if not out and not inc:
        raise errors.not_found(f"nothing is known about <{iri}>")
    media = fixed or negotiate(accept, OFFERS, fmt)
    if media == "text/html":
        return media, resource_html(store, iri, out, inc, base).encode()
    dataset = Triple(NamedNode(iri), IN_DATASET, NamedNode(base + "dataset"))
    return media, render_rdf(out + inc[:MAX_INCOMING_RDF] + [dataset], media)


@functools.lru_cache(maxsize=1)
def _ontology() -> tuple[Triple, ...]:
    return tuple(q.triple for q in ontology_quads())


def ontology_triples() -> list[Triple]:
    """The ontology and its concept schemes (read once)."""
    return list(_ontology())


def render_rdf(triples, media: str) -> bytes:
    """Triples in one of the RDF offers; Turtle gets the project's prefixes."""
    kw = {"prefixes": iris.NS} if media == "text/turtle" else {}
    return serialize(triples, format=RDF_MEDIA[media], **kw)
