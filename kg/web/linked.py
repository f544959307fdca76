"""Linked data: every IRI minted under the base dereferences here, and the concept
IRIs under ``/concept/``, as HTML for people and Turtle / JSON-LD / N-Triples /
RDF/XML for machines (``Vary: Accept``, a stable URL per format: ``…/project/1.ttl``,
and ``Link: rel=alternate`` to the others).  A resource's RDF holds what it says and
what points at it (a directive names the projects citing it), and the dataset it
belongs to.  Reads only; the triples come from the store, the HTML is built from
them (kg/web/resource_pages.py)."""
from __future__ import annotations

import functools

from pyoxigraph import NamedNode, Triple

from .. import iris
from ..ontology import ontology_quads
from ..store import Store
from . import errors
from .formats import write_rdf
from .media import PAGE_OFFERS, negotiate, split_suffix
from .resource_pages import resource_html

IN_DATASET = NamedNode(iris.NS["void"] + "inDataset")
#: most incoming triples in a resource's RDF (the answer stays bounded for a node
#: every document points at; the SPARQL endpoint has them all)
MAX_INCOMING_RDF = 10000


def resource_iri(path: str, base: str) -> str:
    """The IRI a local path stands for: ``/concept/x`` is a concept, the rest is
    under the base."""
    if path.startswith("/concept/"):
        return iris.BPC + path[len("/concept/"):]
    return base + path.lstrip("/")


def describe(store: Store, iri: str) -> tuple[list[Triple], list[Triple]]:
    """(triples about the resource, triples pointing at it), deduplicated over graphs;
    a concept's description comes with the ontology."""
    node = NamedNode(iri)
    out = {q.triple for q in store.quads_for_pattern(node, None, None, None)}
    inc = {q.triple for q in store.quads_for_pattern(None, None, node, None)}
    if iri.startswith(iris.BPC):
        out |= {t for t in ontology_triples() if t.subject == node}
    return sorted(out, key=str), sorted(inc, key=str)


def dereference(store: Store, path: str, accept: str | None, base: str,
                fmt: str | None = None) -> tuple[str, bytes]:
    """(media type, body) for a request path under the base, e.g. ``/doc/x/project/1``."""
    path, fixed = split_suffix(path)
    iri = resource_iri(path, base)
    out, inc = describe(store, iri)
    if not out and not inc:
        raise errors.not_found(f"nothing is known about <{iri}>")
    media = fixed or negotiate(accept, PAGE_OFFERS, fmt)
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
    return write_rdf(triples, media, iris.NS)
