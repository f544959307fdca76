"""What every handler may need, made once by ``create_app`` and handed to the
routers as a FastAPI dependency (``web: WebDep``): the store, the settings, the
base IRI, the query lanes, the snapshot warmer; and the request helpers the
protocols share (body with a size limit, the writer's token, running a query)."""
from __future__ import annotations

import hmac
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .. import config
from ..results import materialise_reports
from ..store import Store
from . import errors
from .dumps import Dumps
from .graphstore import GraphStore
from .media import link_header
from .sparql import Limits, SparqlRequest, execute
from .workers import QueryPool, ThreadLanes


@dataclass
class Settings:
    limits: Limits
    write_token: str = ""
    quick_workers: int = 2  # worker processes and queue: kg/web/workers.py
    query_workers: int = 2
    query_queue: int = 16
    quick_query_seconds: float = 0.5
    max_header_kb: int = 16
    worker_start_seconds: float = 30.0

    @classmethod
    def from_config(cls) -> Settings:
        def number(name: str) -> float:
            return float(str(config.get(name)))

        def whole(name: str) -> int:
            return int(number(name))
        return cls(Limits(timeout=number("query_timeout"), max_rows=whole("max_rows"),
                          max_bytes=whole("max_request_kb") * 1024,
                          allow_service=bool(config.get("allow_service")),
                          max_query_kb=whole("max_query_kb"),
                          max_query_depth=whole("max_query_depth")),
                   str(config.get("write_token")), whole("quick_workers"), whole("query_workers"),
                   whole("query_queue"), number("quick_query_seconds"), whole("max_header_kb"),
                   number("worker_start_seconds"))


class Warmer:
    """Keeps the whole-graph reports' snapshots current in a background thread: at
    start (a store validated or built with snapshots off has none) and after each
    write through this app.  Until a report's snapshot is made it is answered live."""

    def __init__(self, store: Store):
        self.store = store
        self.wanted = threading.Event()
        self.idle = threading.Event()
        if store.capabilities.snapshots and config.get("snapshots"):
            threading.Thread(target=self._loop, name="kg-snapshots", daemon=True).start()
            self.wanted.set()
        else:
            self.idle.set()

    def request(self) -> None:
        self.idle.clear()
        self.wanted.set()

    def _loop(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            try:
                materialise_reports(self.store)
            except Exception as e:  # the reports are still answered live
                print(f"kg serve: computing report snapshots failed: {e}", file=sys.stderr)
            if not self.wanted.is_set():
                self.idle.set()


@dataclass
class Web:
    """The app's parts, one per app (tests run several apps in one process)."""
    store: Store
    settings: Settings
    base: str  # the base IRI the store's data was minted under
    lanes: QueryPool | ThreadLanes
    warmer: Warmer
    graph_store: GraphStore = field(init=False)
    dumps: Dumps = field(init=False)

    def __post_init__(self) -> None:
        self.graph_store = GraphStore(self.store, self.base)
        self.dumps = Dumps(self.store)

    @property
    def limits(self) -> Limits:
        return self.settings.limits

    def require_writer(self, request: Request) -> None:
        """Writes (Update, Graph Store PUT/POST/DELETE) need the write token."""
        token = self.settings.write_token
        if not token:
            raise errors.the_server_is_read_only()
        if self.store.read_only:
            raise errors.forbidden("the store is open read-only (kg serve --workers N > 1 opens "
                                   "it so): writes need a single worker")
        scheme, _, sent = request.headers.get("authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(sent.strip().encode(),
                                                                 token.encode()):
            raise errors.forbidden("writes need the write token: send 'Authorization: Bearer "
                                   "<token>' (setting write_token)")

    async def run(self, req: SparqlRequest, accept: str | None, bindings: dict | None = None,
                  bom: bool = False) -> Response:
        """Execute in a query worker (kg/web/workers.py); past the timeout the client
        gets a 503 and the worker is stopped."""
        limits = self.limits
        # size and depth before any parser (the rest in execute), off the event loop
        await run_in_threadpool(limits.check, req.query or "", False, True)
        known_as = f"{req.query}\n{bindings}\n{req.default_graphs}\n{req.named_graphs}"
        media, body, headers = await self.lanes.run(execute, (req, accept, limits, bindings),
                                                    limits.timeout, known_as)
        headers["Vary"] = "Accept"
        if bom and media == "text/csv":  # Excel reads UTF-8 CSV right only with a BOM
            body = b"\xef\xbb\xbf" + body
        return Response(body, 200, media_type=with_charset(media), headers=headers)


def web(request: Request) -> Web:
    """The dependency: this app's `Web`."""
    return request.app.state.web


WebDep = Annotated[Web, Depends(web)]


def route(router: APIRouter, path: str, endpoint: Callable[..., Any],
          methods: tuple[str, ...] = ("GET",)) -> None:
    """Add a route; a GET route answers HEAD too."""
    wanted = [*methods, "HEAD"] if "GET" in methods and "HEAD" not in methods else list(methods)
    router.add_api_route(path, endpoint, methods=wanted, include_in_schema=False)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) past ``limit`` bytes before it is all read."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise errors.too_large(f"the body is {declared} bytes; at most {limit} are read")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise errors.too_large(f"the body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def url_params(request: Request) -> dict[str, list[str]]:
    """The URL's parameters, each with all its values."""
    params: dict[str, list[str]] = {}
    for k, v in request.query_params.multi_items():
        params.setdefault(k, []).append(v)
    return params


def fmt(request: Request) -> str | None:
    """The ``format`` (or ``output``) parameter, for clients that cannot set Accept."""
    return request.query_params.get("format") or request.query_params.get("output")


def raw_path(request: Request) -> str:
    """The path as sent (percent-encoded): part of an IRI."""
    raw = request.scope.get("raw_path", b"").decode("ascii", "replace").split("?")[0]
    return raw or request.url.path


def with_charset(media: str) -> str:
    """A text media type says its charset (UTF-8, all we write)."""
    return media + ("; charset=utf-8" if media.startswith("text/") else "")


def described(media: str, body: bytes, path: str) -> Response:
    """A linked-data answer: Vary, and Link to the other representations."""
    return Response(body, media_type=with_charset(media),
                    headers={"Vary": "Accept", "Link": link_header(path)})


HTML = "text/html; charset=utf-8"
