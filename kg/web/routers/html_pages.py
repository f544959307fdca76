"""The pages people browse: home (or the endpoint's links as JSON), search, the
issuers and their portfolios, and the query page (run in the query lanes behind the
gate, a page of rows at a time)."""
from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ... import __version__
from ...queries import QueryError, catalog
from .. import errors, issuers, pages, query_pages
from ..media import negotiate
from ..sparql import rows_for_page
from ..state import HTML, WebDep, route

router = APIRouter()


async def home(request: Request, web: WebDep) -> Response:
    media = negotiate(request.headers.get("accept"), ["text/html", "application/json"])
    if media == "text/html":
        body = await run_in_threadpool(pages.home, web.store)
        return Response(body, media_type=HTML, headers={"Vary": "Accept"})
    return Response(json.dumps({"sparql": "/sparql", "queries": "/queries/", "query_page": "/query",
                                "dataset": "/dataset", "base": web.base,
                                "version": __version__}),
                    media_type="application/json", headers={"Vary": "Accept"})


async def search(request: Request, web: WebDep) -> Response:
    body = await run_in_threadpool(pages.search, web.store, request.query_params.get("q", ""),
                                   web.base)
    return Response(body, media_type=HTML)


async def issuers_page(web: WebDep) -> Response:
    body = await run_in_threadpool(issuers.issuers_page, web.store, web.base)
    return Response(body, media_type=HTML)


async def portfolio_page(request: Request, web: WebDep) -> Response:
    body = await run_in_threadpool(issuers.portfolio_page, web.store,
                                   request.path_params["code"], web.base)
    return Response(body, media_type=HTML)


async def query_page(request: Request, web: WebDep) -> Response:
    """The query page: free SPARQL (``query``) or a named query (``name`` and its
    parameters), a page of rows from ``first``."""
    query, name = request.query_params.get("query"), request.query_params.get("name")
    named = catalog()
    chosen = named.get(name) if name else None
    if name and chosen is None:
        raise errors.not_found(f"no named query {name!r}; see /queries/")
    values = {k: v for k, v in request.query_params.items() if k not in ("name", "first", "query")}
    sent = request.query_params.get("first", "0")
    first = int(sent) if sent.isdigit() else 0
    shown = error = None
    text = chosen.text if chosen else query
    limits = web.limits
    if chosen is None and query:
        if len(query.encode()) > limits.max_bytes:
            raise errors.too_large("the query is too long")
        await run_in_threadpool(limits.check, query, False, True)  # size, depth
    if text and (chosen is None or values or not chosen.params):
        try:
            bindings = chosen.bindings({k: v for k, v in values.items() if v}, web.base) \
                if chosen else None
            shown = await web.lanes.run(rows_for_page, (text, bindings, first, limits, web.base),
                                        limits.timeout, text + repr(sorted(values.items())))
        except (QueryError, SyntaxError, ValueError, OSError, RuntimeError) as e:
            error = str(e)
    body = query_pages.query_page(named, query, chosen, values, shown, error, web.base)
    return Response(body, 400 if error else 200, media_type=HTML)


route(router, "/", home)
route(router, "/search", search)
route(router, "/issuers", issuers_page)
route(router, "/issuers/{code}", portfolio_page)
route(router, "/query", query_page)
