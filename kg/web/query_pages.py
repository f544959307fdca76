"""The query pages for browsers: /query (an editor with the named queries as
examples, or one named query with a form for its parameters), its results a page
at a time with IRIs shown as labelled links, and the list of named queries.
Works without JavaScript; a small inline script only fills the editor."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup
from pyoxigraph import BlankNode, NamedNode, QuerySolutions

from ..format_registry import RESULT_NAMES
from ..queries import NamedQuery
from ..store import Store
from .parts import Link, label, under_base
from .templates import page, render

PAGE_ROWS = 100  # rows shown at once; the rest is a click (or a download) away


@dataclass
class Shown:
    """One page of a SELECT's answer: each cell text, a `Link` or markup."""
    names: list[str]
    rows: list[list]
    total: int  # rows counted (up to the row cap)
    capped: bool  # the answer has more rows than the cap
    first: int = 0  # 0-based index of the first row shown


def _cell(store: Store, term, base: str, labels: dict):
    """A cell: an IRI as a labelled link (the IRI as its tooltip), else the term's text."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        if term.value not in labels:
            labels[term.value] = label(store, term) if under_base(term.value, base) is not None \
                else term.value
        return Link(term.value, labels[term.value], title=term.value, terms=True)
    if isinstance(term, BlankNode):
        return "_:" + term.value
    if term.language:
        return Markup("{} <small>@{}</small>").format(term.value, term.language)
    return term.value


def run(store: Store, text: str, bindings: dict | None, first: int, max_rows: int,
        base: str) -> Shown:
    """Run a SELECT and keep rows ``first`` … ``first + PAGE_ROWS``, counting the
    rest up to ``max_rows`` (the rows past the page are counted, never rendered)."""
    res = store.query(text, substitutions=bindings or None)
    if not isinstance(res, QuerySolutions):
        raise ValueError("the query page shows SELECT results; use /sparql for ASK and CONSTRUCT")
    names = [v.value for v in res.variables]
    rows: list[list] = []
    total, capped, labels = 0, False, dict[str, str]()
    for solution in res:
        if total == max_rows:
            capped = True
            break
        if first <= total < first + PAGE_ROWS:
            rows.append([_cell(store, solution[n], base, labels) for n in names])
        total += 1
    return Shown(names, rows, total, capped, first)


def query_page(named: dict[str, NamedQuery], query: str | None, chosen: NamedQuery | None,
               values: dict[str, str], shown: Shown | None, error: str | None,
               base: str | None = None) -> str:
    """The whole page: the form (editor, or a named query's parameters) and a page
    of results with download links."""
    if chosen is not None:
        title = f"查询 query: {chosen.title}"
        def target(extra):
            return f"/queries/{chosen.name}?" + urlencode({**values, **extra})

        def here(first):
            return "/query?" + urlencode({"name": chosen.name, **values, "first": first})
    else:
        title = "SPARQL 查询 query"

        def target(extra):
            return "/sparql?" + urlencode({"query": query or "", **extra})

        def here(first):
            return "/query?" + urlencode({"query": query or "", "first": first})
    pager = None
    if shown is not None and not error:
        last = shown.first + len(shown.rows)
        pager = {"from": shown.first + 1 if shown.rows else 0, "to": last,
                 "previous": here(max(shown.first - PAGE_ROWS, 0)) if shown.first > 0 else "",
                 "next": here(last) if last < shown.total else ""}
    body = render("query.html", base, named=named, query=query or "", chosen=chosen, values=values,
                  shown=shown, error=error, pager=pager,
                  downloads=[(f, target({"format": f})) for f in RESULT_NAMES])
    return page(title, body)


def queries_list(named: dict[str, NamedQuery]) -> str:
    return page("命名查询 named queries", render("queries.html", named=named))
