"""Pieces shared by the page modules: the rows of a constant query with values bound
(never pasted), a link to a resource on this server, a table.  Links escape their
text; table cells are markup the caller escaped or built with ``a``."""
from __future__ import annotations

import html

from pyoxigraph import Variable

from .. import iris
from ..store import EmbeddedStore


def rows(store: EmbeddedStore, query: str, **values) -> list[dict]:
    """Solutions as {name: text} ("" when unbound); ``values`` are bound as
    substitutions, so the query must project each of them."""
    subs = {Variable(k): v for k, v in values.items()}
    res = store.query(query, substitutions=subs or None)
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in res]


def href(iri: str, base: str | None = None) -> str:
    """The local URL of an IRI minted under the base (this server serves it), else the
    IRI itself.

    >>> href("http://x/doc/a/project/7", "http://x/")
    '/doc/a/project/7'
    >>> href("https://example.org/y", "http://x/")
    'https://example.org/y'
    """
    base = base or iris.base()
    return iri[len(base) - 1:] if iri.startswith(base) else iri


def a(iri: str, text: str) -> str:
    return f'<a href="{html.escape(href(iri))}">{html.escape(text or iri)}</a>'


def table(headers: list[str], rows: list[list[str]], id: str = "") -> str:
    """A table of cells already escaped (or built with ``a``)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    ident = f' id="{html.escape(id)}"' if id else ""
    return f"<table{ident}><tr>{head}</tr>{body}</table>"
