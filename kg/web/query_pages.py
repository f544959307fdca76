"""The query pages for browsers: /query (an editor with the named queries as
examples, or one named query with a form for its parameters), its results a page
at a time with IRIs shown as labelled links, and the list of named queries.
Works without JavaScript; a small inline script only fills the editor."""
from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlencode

from pyoxigraph import BlankNode, NamedNode, QuerySolutions

from ..queries import NamedQuery
from ..store import EmbeddedStore
from .linked import label, local_href, page
from .parts import table

PAGE_ROWS = 100  # rows shown at once; the rest is a click (or a download) away


@dataclass
class Shown:
    """One page of a SELECT's answer, its cells already HTML."""
    names: list[str]
    rows: list[list[str]]
    total: int  # rows counted (up to the row cap)
    capped: bool  # the answer has more rows than the cap
    first: int = 0  # 0-based index of the first row shown


def _cell(store: EmbeddedStore, term, base: str, labels: dict) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        if term.value not in labels:
            labels[term.value] = label(store, term) if term.value.startswith(base) else term.value
        href = local_href(term.value, base)
        if not href:  # urn:, mailto:, javascript:… are never links
            return html.escape(term.value)
        return f'<a href="{html.escape(href)}" title="{html.escape(term.value)}">{html.escape(labels[term.value])}</a>'
    if isinstance(term, BlankNode):
        return html.escape("_:" + term.value)
    lang = f' <small>@{html.escape(term.language)}</small>' if term.language else ""
    return html.escape(term.value) + lang


def run(store: EmbeddedStore, text: str, bindings: dict | None, first: int, max_rows: int,
        base: str) -> Shown:
    """Run a SELECT and keep rows ``first`` … ``first + PAGE_ROWS``, counting the
    rest up to ``max_rows`` (the rows past the page are counted, never rendered)."""
    res = store.query(text, substitutions=bindings or None)
    if not isinstance(res, QuerySolutions):
        raise ValueError("the query page shows SELECT results; use /sparql for ASK and CONSTRUCT")
    names = [v.value for v in res.variables]
    rows, total, capped, labels = [], 0, False, {}
    for solution in res:
        if total == max_rows:
            capped = True
            break
        if first <= total < first + PAGE_ROWS:
            rows.append([_cell(store, solution[n], base, labels) for n in names])
        total += 1
    return Shown(names, rows, total, capped, first)


def _pager(shown: Shown, link) -> str:
    last = shown.first + len(shown.rows)
    more = "+" if shown.capped else ""
    parts = [f"第 {shown.first + 1 if shown.rows else 0}–{last} 行 rows of {shown.total:,}{more}"]
    if shown.first > 0:
        parts.append(f'<a id="previous" href="{html.escape(link(max(shown.first - PAGE_ROWS, 0)))}">← 上一页 previous</a>')
    if last < shown.total:
        parts.append(f'<a id="next" href="{html.escape(link(last))}">下一页 next →</a>')
    return '<p class="pager">' + " · ".join(parts) + "</p>"


def editor(named: dict[str, NamedQuery], query: str | None) -> str:
    options = "".join(f'<option value="{html.escape(q.text)}">{html.escape(n)} — '
                      f"{html.escape(q.title)}</option>" for n, q in named.items())
    return ('<form action="/query" method="get">'
            f'<p><label>示例 examples <select id="examples"><option value="">—</option>{options}'
            '</select></label></p>'
            f'<p><textarea name="query" id="query" rows="14" cols="100">{html.escape(query or "")}'
            '</textarea></p><p><button type="submit" id="run">运行 run</button></p></form>'
            "<script>document.getElementById('examples').onchange=function(){"
            "document.getElementById('query').value=this.value};</script>")


def parameters_form(q: NamedQuery, values: dict[str, str]) -> str:
    fields = "".join(
        f'<p><label>{html.escape(p.name)} <input name="{html.escape(p.name)}" id="param-{html.escape(p.name)}" '
        f'size="50" value="{html.escape(values.get(p.name, ""))}" placeholder="{html.escape(p.help)}"></label> '
        f"<small>{html.escape(p.type)}: {html.escape(p.help)}</small></p>" for p in q.params)
    return (f'<p>{html.escape(q.description)}</p><form action="/query" method="get">'
            f'<input type="hidden" name="name" value="{html.escape(q.name)}">{fields}'
            '<p><button type="submit" id="run">运行 run</button></p></form>'
            f'<details><summary>SPARQL</summary><pre>{html.escape(q.text)}</pre></details>')


def query_page(named: dict[str, NamedQuery], query: str | None, chosen: NamedQuery | None,
               values: dict[str, str], shown: Shown | None, error: str | None) -> str:
    """The whole page: the form (editor, or a named query's parameters) and a page
    of results with download links."""
    if chosen is not None:
        title, form = f"查询 query: {chosen.title}", parameters_form(chosen, values)
        target = lambda extra: f"/queries/{chosen.name}?" + urlencode({**values, **extra})
        here = lambda first: "/query?" + urlencode({"name": chosen.name, **values, "first": first})
    else:
        title, form = "SPARQL 查询 query", editor(named, query)
        target = lambda extra: "/sparql?" + urlencode({"query": query or "", **extra})
        here = lambda first: "/query?" + urlencode({"query": query or "", "first": first})
    out = ""
    if error:
        out = f'<p class="error">{html.escape(error)}</p>'
    elif shown is not None:
        links = " ".join(f'<a href="{html.escape(target({"format": f}))}">{f}</a>' for f in ("csv", "tsv", "json", "xml"))
        capped = f" (capped at {shown.total:,}: download for all)" if shown.capped else ""
        out = (f"<p>{shown.total:,} rows{capped} · 下载 download: {links}</p>" + _pager(shown, here)
               + table(shown.names, shown.rows, "results"))
    return page(title, form + out)


def queries_list(named: dict[str, NamedQuery]) -> str:
    rows = [[f'<a href="/query?name={html.escape(q.name)}">{html.escape(q.name)}</a>', html.escape(q.title),
             html.escape(", ".join(p.name for p in q.params)),
             f'<a href="/queries/{html.escape(q.name)}?format=csv">csv</a>'] for q in named.values()]
    return page("命名查询 named queries", "<p>每个查询也是一个网址 each query is also a URL: "
                "<code>/queries/NAME?param=value&amp;format=csv</code></p>"
                + table(["名称 name", "标题 title", "参数 parameters", "下载 download"], rows, "queries"))
