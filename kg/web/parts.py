"""Pieces shared by the page modules: the rows of a constant query with values bound
(never pasted), where this server shows an IRI (the one place a base IRI is cut off
an IRI), a term's label, and the cells of a table: text is escaped when the
template renders it; a `Link` is rendered as a link by the template."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Variable

from .. import iris
from ..store import Store

LABEL = NamedNode(iris.NS["rdfs"] + "label")


def store_folder(store: Store) -> Path | None:
    """The folder of a store that has one (capability ``local_folder``), else None."""
    if not store.capabilities.local_folder or store.path is None:
        return None
    return Path(store.path)


def rows(store: Store, query: str, **values) -> list[dict]:
    """Solutions as {name: text} ("" when unbound); ``values`` are bound as
    substitutions, so the query must project each of them."""
    subs = {Variable(k): v for k, v in values.items()}
    return solutions(store.query(query, substitutions=subs or None))


def solutions(result) -> list[dict]:
    """A SELECT result as {name: text} rows ("" when unbound)."""
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in result]


def under_base(iri: str, base: str) -> str | None:
    """The local path (``/doc/a``) of an IRI minted under the base, else None.

    >>> under_base("http://x/doc/a", "http://x/"), under_base("http://y/doc/a", "http://x/")
    ('/doc/a', None)
    """
    return iri[len(base) - 1:] if iri.startswith(base) else None


def relative(iri: str, base: str) -> str:
    """An IRI shown without the base it was minted under (``graph/a``), else whole.

    >>> relative("http://x/graph/a", "http://x/"), relative("urn:x", "http://x/")
    ('graph/a', 'urn:x')
    """
    local = under_base(iri, base)
    return local[1:] if local is not None else iri


def href(iri: str, base: str) -> str:
    """The local URL of an IRI minted under the base (this server serves it), else the
    IRI itself if it is http(s), else "": IRIs come from the data, and a
    ``javascript:`` or ``data:`` one must never become a link.

    >>> href("http://x/doc/a/project/7", "http://x/")
    '/doc/a/project/7'
    >>> href("https://example.org/y", "http://x/"), href("javascript:alert(1)", "http://x/")
    ('https://example.org/y', '')
    """
    local = under_base(iri, base)
    if local is not None:
        return local
    return iri if iri.lower().startswith(("http://", "https://")) else ""


def local_href(iri: str, base: str) -> str:
    """Where this server shows an IRI: under the base, a concept, an ontology term
    (an anchor of /ontology), else the IRI itself if it is http(s), else "" (no link).

    >>> local_href("https://w3id.org/bpkg/ontology#Project", "http://x/")
    '/ontology#Project'
    """
    local = under_base(iri, base)
    if local is not None:
        return local
    if iri.startswith(iris.BPC):
        return "/concept/" + iri[len(iris.BPC):]
    if iri == iris.ONTOLOGY:
        return "/ontology"
    if iri.startswith(iris.BP):
        return "/ontology#" + iri[len(iris.BP):]
    return href(iri, base)  # the IRI itself if http(s), else ""


def label(store: Store, term) -> str:
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


@dataclass(frozen=True)
class Link:
    """A table cell or a piece of a page that links to an IRI; the template escapes
    its text and its URL, and shows the text alone when the IRI may not be a link."""
    iri: str
    text: str = ""
    title: str = ""  # a tooltip (the IRI itself on the query page)
    terms: bool = False  # ontology terms and concepts link to their pages here

    def url(self, base: str) -> str:
        """Where the link goes on a server whose data is minted under ``base``."""
        return local_href(self.iri, base) if self.terms else href(self.iri, base)

    @property
    def shown(self) -> str:
        return self.text or self.iri

