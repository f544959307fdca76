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
    IRI itself if it is http(s), else "": IRIs come from the data, and a
    ``javascript:`` or ``data:`` one must never become a link.

    >>> href("http://x/doc/a/project/7", "http://x/")
    '/doc/a/project/7'
    >>> href("https://example.org/y", "http://x/"), href("javascript:alert(1)", "http://x/")
    ('https://example.org/y', '')
    """
    base = base or iris.base()
    if iri.startswith(base):
        return iri[len(base) - 1:]
    return iri if iri.lower().startswith(("http://", "https://")) else ""


def a(iri: str, text: str) -> str:
    """A link to the IRI, or its text alone when it may not be a link (see ``href``)."""
    url = href(iri)
    return f'<a href="{html.escape(url)}">{html.escape(text or iri)}</a>' if url \
        else html.escape(text or iri)


def table(headers: list[str], rows: list[list[str]], id: str = "") -> str:
    """A table of cells already escaped (or built with ``a``)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    ident = f' id="{html.escape(id)}"' if id else ""
    return f"<table{ident}><tr>{head}</tr>{body}</table>"
