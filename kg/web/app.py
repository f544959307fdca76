"""The application: routers per protocol (kg/web/routers/), one error handler,
settings passed in.

    create_app(store) → FastAPI app;  ``kg serve`` runs it with uvicorn.
"""
from __future__ import annotations

import json
import sys
import traceback

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from .. import __version__, config, iris
from ..queries import catalog
from ..store import Store
from . import errors, query_pages
from .caching import Revalidation
from .guard import Guard, script_hashes, security_headers
from .media import wants_html
from .routers import graph_store, html_pages, linked_data, named_queries, sparql_protocol
from .state import Settings, Warmer, Web
from .templates import render
from .workers import lanes_for

__all__ = ["Settings", "create_app", "factory", "problem_response"]


def problem_response(request: Request, p: errors.HTTPProblem) -> Response:
    """The one place errors are rendered: HTML for browsers, else JSON (plain text
    for clients that only take text)."""
    if wants_html(request.headers.get("accept")):
        body = render("error.html", status=p.status, title=p.title, detail=p.detail)
        return Response(body, p.status, media_type="text/html; charset=utf-8", headers=p.headers)
    accept = request.headers.get("accept", "")
    if "text/plain" in accept and "json" not in accept:
        return Response(f"{p.status} {p.title}: {p.detail}\n", p.status, media_type="text/plain",
                        headers=p.headers)
    return Response(json.dumps(p.to_json(), ensure_ascii=False), p.status,
                    media_type="application/json", headers=p.headers)


def _handle_errors(app: FastAPI, scripts: list[str]) -> None:
    async def problem(request: Request, p: Exception) -> Response:
        assert isinstance(p, errors.HTTPProblem)
        return problem_response(request, p)

    async def unexpected(request: Request, e: Exception) -> Response:  # logged, never sent
        print(f"kg serve: {request.method} {request.url.path} failed:\n"
              + "".join(traceback.format_exception(e)), file=sys.stderr)
        response = problem_response(request, errors.internal())
        response.headers.update(security_headers(scripts))  # sent past the Guard
        return response

    async def routing(request: Request, e: Exception) -> Response:  # 404, 405 from routing
        assert isinstance(e, StarletteHTTPException)
        title = {404: "not found", 405: "method not allowed"}.get(e.status_code, "error")
        detail = f"no page at {request.url.path}" if e.status_code == 404 else str(e.detail)
        response = problem_response(request, errors.HTTPProblem(e.status_code, title, detail))
        response.headers.update(e.headers or {})  # a 405's Allow
        return response

    app.add_exception_handler(errors.HTTPProblem, problem)
    app.add_exception_handler(Exception, unexpected)
    app.add_exception_handler(StarletteHTTPException, routing)


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_config()
    lanes = lanes_for(store, settings.quick_workers, settings.query_workers,
                      settings.query_queue, settings.quick_query_seconds,
                      settings.worker_start_seconds)
    web = Web(store, settings, store.base_iri or iris.base(), lanes, Warmer(store))
    app = FastAPI(title="kg: budget-performance knowledge graph", version=__version__,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = web  # handlers get it through the WebDep dependency (kg/web/state.py)
    app.state.snapshots = web.warmer  # whoever needs to know when the snapshots are made
    app.add_middleware(CORSMiddleware, allow_origins=["*"],
                       allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
                       allow_headers=["*"], expose_headers=["X-Result-Truncated", "Retry-After"])
    scripts = script_hashes(query_pages.query_page(catalog(), None, None, {}, None, None))
    app.add_middleware(Guard, max_header_bytes=settings.max_header_kb * 1024,
                       refuse=lambda scope: problem_response(
                           Request(scope), errors.headers_too_large(settings.max_header_kb)),
                       scripts=scripts)
    app.add_middleware(Revalidation, store=store)  # ETag / Last-Modified / 304 by store version
    app.add_middleware(GZipMiddleware, minimum_size=64 * 1024)  # large results and pages
    app.router.on_startup.append(lanes.start)
    app.router.on_shutdown.append(lanes.close)
    _handle_errors(app, scripts)
    for module in (html_pages, sparql_protocol, named_queries, linked_data, graph_store):
        app.include_router(module.router)
    return app


def factory() -> FastAPI:
    """App factory for ``uvicorn --factory`` with several worker processes: each opens
    the store read-only from the ``KG_STORE`` setting."""
    from ..store import open_store
    return create_app(open_store(str(config.get("store")), read_only=True))
