"""Named queries over HTTP: /queries/ lists them (JSON, or a page for a browser),
/queries/NAME runs one with its parameters bound as values, never pasted."""
from __future__ import annotations

import json
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...queries import QueryError, catalog
from .. import errors, query_pages
from ..media import wants_html
from ..sparql import SparqlRequest
from ..state import HTML, WebDep, fmt, route

router = APIRouter()


async def query_list(request: Request) -> Response:
    named = catalog()
    if wants_html(request.headers.get("accept")) and not fmt(request):  # a browser: a page
        return Response(query_pages.queries_list(named), media_type=HTML,
                        headers={"Vary": "Accept"})
    listing = [{"name": q.name, "title": q.title, "description": q.description,
                "columns": q.columns, "parameters": [p.__dict__ for p in q.params],
                "url": f"/queries/{q.name}"} for q in named.values()]
    return Response(json.dumps(listing, ensure_ascii=False), media_type="application/json")


async def named_query(request: Request, web: WebDep) -> Response:
    name = request.path_params["name"]
    named = catalog()
    if name not in named:
        raise errors.not_found(f"no named query {name!r}; see /queries/")
    q = named[name]
    params = {k: v for k, v in request.query_params.items()
              if k not in ("format", "output", "bom")}
    if wants_html(request.headers.get("accept")) and not fmt(request):  # a browser: the page
        return RedirectResponse("/query?" + urlencode({"name": name, **params}), 303)
    try:
        bindings = q.bindings(params, web.base)
    except QueryError as e:
        raise errors.bad_request(str(e)) from None
    req = SparqlRequest(query=q.text, fmt=fmt(request))
    return await web.run(req, request.headers.get("accept"), bindings,
                         bom=request.query_params.get("bom") == "1")


route(router, "/queries/", query_list)
route(router, "/queries/{name}", named_query)
