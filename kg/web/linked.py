"""Linked data: every IRI minted under the base dereferences here, as HTML for
people and Turtle / JSON-LD / N-Triples for machines (``Vary: Accept``, and a stable
URL per format: ``…/project/1.ttl``); plus the dataset description (VoID + DCAT),
dumps and the ontology.  Reads only; the triples come from the store, the HTML is
built from them."""
from __future__ import annotations

import html
from datetime import datetime, timezone

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from .. import __version__, iris
from ..ontology import ontology_quads
from ..store import EmbeddedStore
from . import errors
from .negotiation import negotiate

RDF_MEDIA = {"text/turtle": RdfFormat.TURTLE, "application/ld+json": RdfFormat.JSON_LD,
             "application/n-triples": RdfFormat.N_TRIPLES}
SUFFIXES = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
            ".html": "text/html"}
OFFERS = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]
LABEL = NamedNode(iris.NS["rdfs"] + "label")
DERIVED = NamedNode(iris.NS["prov"] + "wasDerivedFrom")
#: rows of a page's "linked from" table; the rest is counted, not listed
MAX_LINKED_FROM = 200


def split_suffix(path: str) -> tuple[str, str | None]:
    for suffix, media in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], media
    return path, None


def describe(store: EmbeddedStore, iri: str) -> tuple[list[Triple], list[Triple]]:
    """(triples about the resource, triples pointing at it), deduplicated over graphs."""
    node = NamedNode(iri)
    out = {q.triple for q in store.quads_for_pattern(node, None, None, None)}
    inc = {q.triple for q in store.quads_for_pattern(None, None, node, None)}
    return sorted(out, key=str), sorted(inc, key=str)


def label(store: EmbeddedStore, term) -> str:
    if isinstance(term, NamedNode):
        for q in store.quads_for_pattern(term, LABEL, None, None):
            return q.object.value
        from .doclabels import document_label  # a document has no label of its own
        return document_label(store, term.value) or term.value
    return term.value


def _short(iri: str) -> str:
    for prefix, ns in iris.NS.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _link(store: EmbeddedStore, term, base: str) -> str:
    if isinstance(term, NamedNode):
        href = term.value[len(base) - 1:] if term.value.startswith(base) else term.value
        text = label(store, term) if term.value.startswith(base) else _short(term.value)
        return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'
    lang = f' <small lang="en">@{term.language}</small>' if isinstance(term, Literal) and term.language else ""
    return f"{html.escape(term.value)}{lang}"


def page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width">'
            f"<title>{html.escape(title)}</title><style>"
            "body{font-family:sans-serif;max-width:70em;margin:1em auto;padding:0 1em}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;"
            "vertical-align:top;text-align:left}nav a{margin-right:1em}</style></head><body>"
            '<nav><a href="/">首页 home</a><a href="/sparql">SPARQL</a><a href="/queries/">'
            '查询 queries</a><a href="/dataset">数据集 dataset</a></nav>'
            f"<h1>{html.escape(title)}</h1>{body}</body></html>")


def resource_html(store: EmbeddedStore, iri: str, out, inc, base: str) -> str:
    rows = "".join(f"<tr><th>{html.escape(_short(t.predicate.value))}</th>"
                   f"<td>{_link(store, t.object, base)}</td></tr>" for t in out)
    back = "".join(f"<tr><td>{_link(store, t.subject, base)}</td>"
                   f"<th>{html.escape(_short(t.predicate.value))}</th></tr>"
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
        if "firstLine" in lines:
            where += (f"<p>印于 printed at: {html.escape(span.value.rsplit('/source/', 1)[-1])} "
                      f"lines {lines['firstLine']}–{lines['lastLine']}</p>")
    from .pages import summary
    kinds = {t.object.value for t in out if t.predicate.value == iris.NS["rdf"] + "type"}
    specific = summary(store, iri, kinds)
    formats = " ".join(f'<a href="{html.escape(iri[len(base) - 1:])}{s}">{s[1:]}</a>'
                       for s in (".ttl", ".jsonld", ".nt"))
    return page(label(store, NamedNode(iri)),
                f"<p><code>{html.escape(iri)}</code> · {formats}</p>{where}{specific}"
                f"<h2>事实 facts</h2><table>{rows}</table>"
                f"<h2>引用它的 linked from</h2><table>{back}</table>")


def dereference(store: EmbeddedStore, path: str, accept: str | None, base: str) -> tuple[str, bytes]:
    """(media type, body) for a request path under the base, e.g. ``/doc/x/project/1``."""
    path, fixed = split_suffix(path)
    iri = base + path.lstrip("/")
    out, inc = describe(store, iri)
    if not out and not inc:
        raise errors.not_found(f"nothing is known about <{iri}>")
    media = fixed or negotiate(accept, OFFERS)
    if media == "text/html":
        return media, resource_html(store, iri, out, inc, base).encode()
    return media, render_rdf(out, media)


def dataset_triples(store: EmbeddedStore, base: str, endpoint: str) -> list[Triple]:
    """VoID + DCAT description of the whole graph: figures computed from the store."""
    V, D, DCT = iris.NS["void"], iris.NS["dcat"], iris.NS["dcterms"]
    ds = NamedNode(base + "dataset")
    n = lambda v: Literal(str(v), datatype=NamedNode(iris.NS["xsd"] + "integer"))
    graphs = [g for g in store.named_graphs() if "/graph/" in g]
    triples = store.triple_count()
    t = [
        (ds, NamedNode(iris.NS["rdf"] + "type"), NamedNode(V + "Dataset")),
        (ds, NamedNode(iris.NS["rdf"] + "type"), NamedNode(D + "Dataset")),
        (ds, NamedNode(DCT + "title"), Literal("预算绩效目标公开知识图谱", language="zh")),
        (ds, NamedNode(DCT + "title"), Literal("Budget performance disclosures knowledge graph", language="en")),
        (ds, NamedNode(DCT + "license"), NamedNode("https://creativecommons.org/licenses/by/4.0/")),
        (ds, NamedNode(DCT + "publisher"), Literal("kg " + __version__)),
        (ds, NamedNode(DCT + "modified"), Literal(datetime.now(timezone.utc).date().isoformat(),
                                                  datatype=NamedNode(iris.NS["xsd"] + "date"))),
        (ds, NamedNode(V + "triples"), n(triples)),
        (ds, NamedNode(V + "sparqlEndpoint"), NamedNode(endpoint)),
        (ds, NamedNode(V + "vocabulary"), NamedNode(iris.BP)),
        (ds, NamedNode(V + "uriSpace"), Literal(base)),
        (ds, NamedNode(V + "dataDump"), NamedNode(base + "dumps/dump.nq")),
        (ds, NamedNode(V + "dataDump"), NamedNode(base + "dumps/dump.ttl")),
    ]
    for g in graphs:
        t.append((ds, NamedNode(V + "subset"), NamedNode(g)))
    for g in graphs[:3]:
        doc = g.replace("/graph/", "/doc/", 1)
        t.append((ds, NamedNode(V + "exampleResource"), NamedNode(doc)))
    return [Triple(*x) for x in t]


def ontology_triples() -> list[Triple]:
    return [q.triple for q in ontology_quads()]


def render_rdf(triples, media: str) -> bytes:
    """Triples in one of the RDF offers; Turtle gets the project's prefixes."""
    kw = {"prefixes": iris.NS} if media == "text/turtle" else {}
    return serialize(triples, format=RDF_MEDIA[media], **kw)


def dump(store: EmbeddedStore, name: str) -> tuple[str, bytes]:
    if name == "dump.nq":
        return "application/n-quads", store.canonical_nquads()
    if name == "dump.ttl":
        triples = sorted({q.triple for q in store.quads()}, key=str)
        return "text/turtle", serialize(triples, format=RdfFormat.TURTLE, prefixes=iris.NS)
    raise errors.not_found(f"no dump {name!r}; there are dump.nq and dump.ttl")

