"""The application: one routing table, one error handler, settings passed in.

    create_app(store) → FastAPI app;  ``kg serve`` runs it with uvicorn.
"""
from __future__ import annotations

import hmac
import html
import json
import sys
import threading
import traceback
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, RedirectResponse, Response
from pyoxigraph import NamedNode
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from .. import __version__, config, iris
from ..queries import QueryError, catalog
from ..results import materialise_reports
from ..store import EmbeddedStore
from . import errors, graphs, graphstore, issuers, linked, pages, query_pages, vocab_pages
from .caching import Revalidation
from .dumps import MEDIA as DUMP_MEDIA, Dumps
from .guard import Guard, script_hashes, security_headers
from .negotiation import negotiate, parse_accept
from .sparql import Limits, SparqlRequest, execute, from_parts, rows_for_page
from .update import with_dataset
from .workers import lanes_for

SD = "http://www.w3.org/ns/sparql-service-description#"


@dataclass
class Settings:
    limits: Limits
    write_token: str = ""
    quick_workers: int = 2  # worker processes and queue: kg/web/workers.py
    query_workers: int = 2
    query_queue: int = 16
    quick_query_seconds: float = 0.5
    max_header_kb: int = 16

    @classmethod
    def from_config(cls) -> "Settings":
        return cls(Limits(timeout=float(config.get("query_timeout")),
                          max_rows=int(config.get("max_rows")),
                          max_bytes=int(config.get("max_request_kb")) * 1024,
                          allow_service=bool(config.get("allow_service")),
                          max_query_kb=int(config.get("max_query_kb")),
                          max_query_depth=int(config.get("max_query_depth"))),
                   str(config.get("write_token")),
                   int(config.get("quick_workers")), int(config.get("query_workers")),
                   int(config.get("query_queue")), float(config.get("quick_query_seconds")),
                   int(config.get("max_header_kb")))


def _wants_html(request: Request) -> bool:
    best = parse_accept(request.headers.get("accept"))
    return bool(best) and best[0][0] in ("text/html", "application/xhtml+xml")


def problem_response(request: Request, p: errors.HTTPProblem) -> Response:
    """The one place errors are rendered: HTML for browsers, else JSON (plain text
    for clients that only take text)."""
    if _wants_html(request):
        body = (f"<!doctype html><meta charset=utf-8><title>{p.status} {html.escape(p.title)}</title>"
                f"<h1>{p.status} {html.escape(p.title)}</h1><p>{html.escape(p.detail)}</p>")
        return Response(body, p.status, media_type="text/html; charset=utf-8", headers=p.headers)
    accept = request.headers.get("accept", "")
    if "text/plain" in accept and "json" not in accept:
        return Response(f"{p.status} {p.title}: {p.detail}\n", p.status, media_type="text/plain",
                        headers=p.headers)
    return Response(json.dumps(p.to_json(), ensure_ascii=False), p.status,
                    media_type="application/json", headers=p.headers)


async def _body(request: Request, limit: int) -> bytes:
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


def service_description(endpoint: str, store: EmbeddedStore, writable: bool = False) -> str:
    """The endpoint's SPARQL 1.1 Service Description; Update is advertised only
    when this server accepts writes (setting write_token)."""
    graphs = "".join(f"      sd:namedGraph [ sd:name <{g}> ] ;\n" for g in store.named_graphs())
    languages = "sd:SPARQL11Query, sd:SPARQL11Update" if writable else "sd:SPARQL11Query"
    return f"""@prefix sd: <{SD}> .
<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage {languages} ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>,
    <http://www.w3.org/ns/formats/SPARQL_Results_XML>, <http://www.w3.org/ns/formats/SPARQL_Results_CSV>,
    <http://www.w3.org/ns/formats/SPARQL_Results_TSV>, <http://www.w3.org/ns/formats/Turtle>,
    <http://www.w3.org/ns/formats/N-Triples>, <http://www.w3.org/ns/formats/JSON-LD>,
    <http://www.w3.org/ns/formats/RDF_XML> ;
  sd:defaultDataset [ a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ] ;
{graphs}  ] .
"""


class Warmer:
    """Keeps the whole-graph reports' snapshots current in a background thread: at
    start (a store validated or built with snapshots off has none) and after each
    write through this app.  Until a report's snapshot is made it is answered live."""

    def __init__(self, store: EmbeddedStore):
        self.store = store
        self.wanted = threading.Event()
        self.idle = threading.Event()
        if getattr(store, "snapshots", None) is not None and config.get("snapshots"):
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


def create_app(store: EmbeddedStore, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_config()
    limits = settings.limits
    warmer = Warmer(store)
    app = FastAPI(title="kg: budget-performance knowledge graph", version=__version__,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(CORSMiddleware, allow_origins=["*"],
                       allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
                       allow_headers=["*"], expose_headers=["X-Result-Truncated", "Retry-After"])
    scripts = script_hashes(query_pages.query_page(catalog(), None, None, {}, None, None))
    app.add_middleware(Guard, max_header_bytes=settings.max_header_kb * 1024,
                       refuse=lambda scope: problem_response(
                           Request(scope), errors.headers_too_large(settings.max_header_kb)),
                       scripts=scripts)
    app.state.snapshots = warmer  # whoever needs to know when the snapshots are made
    app.add_middleware(Revalidation, store=store)  # ETag / Last-Modified / 304 by store version
    app.add_middleware(GZipMiddleware, minimum_size=64 * 1024)  # large results and pages
    lanes = lanes_for(store, settings.quick_workers, settings.query_workers,
                      settings.query_queue, settings.quick_query_seconds)
    app.router.on_startup.append(lanes.start)
    app.router.on_shutdown.append(lanes.close)

    @app.exception_handler(errors.HTTPProblem)
    async def _problem(request: Request, p: errors.HTTPProblem):
        return problem_response(request, p)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, e: Exception):  # logged here, never sent
        print(f"kg serve: {request.method} {request.url.path} failed:\n"
              + "".join(traceback.format_exception(e)), file=sys.stderr)
        response = problem_response(request, errors.internal())
        response.headers.update(security_headers(scripts))  # sent past the Guard
        return response

    @app.exception_handler(StarletteHTTPException)
    async def _routing(request: Request, e: StarletteHTTPException):  # 404, 405 from routing
        title = {404: "not found", 405: "method not allowed"}.get(e.status_code, "error")
        detail = f"no page at {request.url.path}" if e.status_code == 404 else str(e.detail)
        response = problem_response(request, errors.HTTPProblem(e.status_code, title, detail))
        response.headers.update(e.headers or {})  # a 405's Allow
        return response

    async def run(req: SparqlRequest, accept: str | None, bindings: dict | None = None,
                  bom: bool = False) -> Response:
        """Execute in a query worker (kg/web/workers.py); past the timeout the client
        gets a 503 and the worker is stopped."""
        # size and depth before any parser (the rest in execute), off the event loop
        await run_in_threadpool(limits.check, req.query or "", False, True)
        known_as = f"{req.query}\n{bindings}\n{req.default_graphs}\n{req.named_graphs}"
        media, body, headers = await lanes.run(execute, (req, accept, limits, bindings),
                                               limits.timeout, known_as)
        headers["Vary"] = "Accept"
        if bom and media == "text/csv":  # Excel reads UTF-8 CSV right only with a BOM
            body = b"\xef\xbb\xbf" + body
        charset = "; charset=utf-8" if media.startswith("text/") else ""
        return Response(body, 200, media_type=media + charset, headers=headers)

    async def sparql(request: Request) -> Response:
        body = await _body(request, limits.max_bytes) if request.method == "POST" else b""
        params: dict[str, list[str]] = {}
        for k, v in request.query_params.multi_items():
            params.setdefault(k, []).append(v)
        req = from_parts(request.method, params, request.headers.get("content-type"), body)
        req.base = str(request.url).split("?")[0]
        if req.update is not None:
            return await update(request, req)
        if request.method == "GET" and _wants_html(request) and not req.fmt:  # a browser
            return RedirectResponse("/query" + (f"?{urlencode({'query': req.query})}" if req.query else ""), 303)
        if req.query is None:
            endpoint = str(request.url).split("?")[0]
            media = negotiate(request.headers.get("accept"), ["text/turtle"], req.fmt) \
                if request.headers.get("accept") else "text/turtle"
            return Response(service_description(endpoint, store, bool(settings.write_token)),
                            media_type=media,
                            headers={"Vary": "Accept"})
        return await run(req, request.headers.get("accept"),
                         bom=request.query_params.get("bom") == "1")

    def require_writer(request: Request) -> None:
        """Writes (Update, Graph Store PUT/POST/DELETE) need the write token."""
        token = settings.write_token
        if not token:
            raise errors.the_server_is_read_only()
        if store.read_only:
            raise errors.forbidden("the store is open read-only (kg serve --workers N > 1 opens it "
                                   "so): writes need a single worker")
        scheme, _, sent = request.headers.get("authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(sent.strip().encode(),
                                                                 token.encode()):
            raise errors.forbidden("writes need the write token: send 'Authorization: Bearer "
                                   "<token>' (setting write_token)")

    async def update(request: Request, req: SparqlRequest) -> Response:
        require_writer(request)
        await run_in_threadpool(limits.check, req.update or "", True)
        text = with_dataset(req.update or "", req.using_graphs, req.using_named_graphs)
        try:
            await run_in_threadpool(store.update, text, base_iri=req.base)
        except SyntaxError as e:
            raise errors.bad_request(f"malformed update: {e}") from None
        except (OSError, ValueError, RuntimeError) as e:
            raise errors.bad_request(f"the update failed, nothing was written: {e}") from None
        warmer.request()
        return Response(status_code=204)

    gsp = graphstore.GraphStore(store, iris.base())

    async def graph_store(request: Request) -> Response:
        """Graph Store Protocol: reads are public, writes need the token; the body is
        read (size limit) and parsed before the store is touched."""
        if request.method not in ("GET", "HEAD"):
            require_writer(request)
        direct = None
        if request.url.path != graphstore.SERVICE:  # direct: the graph is named by this URL
            raw = request.scope.get("raw_path", b"").decode("ascii", "replace").split("?")[0]
            direct = str(request.base_url).rstrip("/") + (raw or request.url.path)
        params: dict[str, list[str]] = {}
        for k, v in request.query_params.multi_items():
            params.setdefault(k, []).append(v)
        target = graphstore.target(params, direct)
        if request.method in ("GET", "HEAD"):
            if target is None:
                raise errors.bad_request("name a graph: ?graph=IRI or ?default")
            media, body = await run_in_threadpool(gsp.read, target, request.headers.get("accept"),
                                                  request.query_params.get("format"))
            charset = "; charset=utf-8" if media in ("text/turtle", "application/n-triples") else ""
            return Response(body, media_type=media + charset, headers={"Vary": "Accept"})
        if target is None and request.method != "POST":
            raise errors.bad_request(f"{request.method} needs a graph: ?graph=IRI or ?default")
        if target is not None:
            gsp.check_writable(target)  # before reading a body that would be refused anyway
        if request.method == "DELETE":
            status = await run_in_threadpool(gsp.delete, target)
            warmer.request()
            return Response(status_code=status)
        headers = {}
        if target is None:  # POST to the service: a new graph (§5.5)
            target = graphstore.Target(graphstore.new_graph_iri(str(request.base_url)))
            headers["Location"] = target.graph
        body = await _body(request, limits.max_bytes)
        triples = await run_in_threadpool(graphstore.parse_payload, request.headers.get("content-type"),
                                          body, target.graph or str(request.url).split("?")[0])
        write = gsp.put if request.method == "PUT" else gsp.post
        status = await run_in_threadpool(write, target, triples)
        warmer.request()
        return Response(status_code=status, headers=headers)

    async def query_list(request: Request) -> Response:
        named = catalog()
        if _wants_html(request) and not fmt(request):  # a browser: the list as a page
            return Response(query_pages.queries_list(named), media_type="text/html; charset=utf-8",
                            headers={"Vary": "Accept"})
        listing = [{"name": q.name, "title": q.title, "description": q.description,
                    "columns": q.columns, "parameters": [p.__dict__ for p in q.params],
                    "url": f"/queries/{q.name}"} for q in named.values()]
        return Response(json.dumps(listing, ensure_ascii=False), media_type="application/json")

    async def named_query(request: Request) -> Response:
        name = request.path_params["name"]
        named = catalog()
        if name not in named:
            raise errors.not_found(f"no named query {name!r}; see /queries/")
        q = named[name]
        params = {k: v for k, v in request.query_params.items() if k not in ("format", "output", "bom")}
        if _wants_html(request) and not fmt(request):  # a browser: the query page, paged
            return RedirectResponse("/query?" + urlencode({"name": name, **params}), 303)
        try:
            bindings = q.bindings(params)
        except QueryError as e:
            raise errors.bad_request(str(e)) from None
        req = SparqlRequest(query=q.text, fmt=fmt(request))
        return await run(req, request.headers.get("accept"), bindings,
                         bom=request.query_params.get("bom") == "1")

    async def home(request: Request) -> Response:
        media = negotiate(request.headers.get("accept"), ["text/html", "application/json"])
        if media == "text/html":
            body = await run_in_threadpool(pages.home, store)
            return Response(body, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})
        return Response(json.dumps({"sparql": "/sparql", "queries": "/queries/", "query_page": "/query",
                                    "dataset": "/dataset", "base": iris.base(), "version": __version__}),
                        media_type="application/json", headers={"Vary": "Accept"})

    async def search(request: Request) -> Response:
        body = await run_in_threadpool(pages.search, store, request.query_params.get("q", ""))
        return Response(body, media_type="text/html; charset=utf-8")

    async def issuers_page(request: Request) -> Response:
        body = await run_in_threadpool(issuers.issuers_page, store)
        return Response(body, media_type="text/html; charset=utf-8")

    async def portfolio_page(request: Request) -> Response:
        body = await run_in_threadpool(issuers.portfolio_page, store, request.path_params["code"])
        return Response(body, media_type="text/html; charset=utf-8")

    async def query_page(request: Request) -> Response:
        """The query page: free SPARQL (``query``) or a named query (``name`` and its
        parameters), a page of rows from ``first``; run in the query lanes behind the gate."""
        query, name = request.query_params.get("query"), request.query_params.get("name")
        named = catalog()
        chosen = named.get(name) if name else None
        if name and chosen is None:
            raise errors.not_found(f"no named query {name!r}; see /queries/")
        values = {k: v for k, v in request.query_params.items() if k not in ("name", "first", "query")}
        first = request.query_params.get("first", "0")
        first = int(first) if first.isdigit() else 0
        shown = error = None
        text = chosen.text if chosen else query
        if chosen is None and query:
            if len(query.encode()) > limits.max_bytes:
                raise errors.too_large("the query is too long")
            await run_in_threadpool(limits.check, query, False, True)  # size, depth
        if text and (chosen is None or values or not chosen.params):
            try:
                bindings = chosen.bindings({k: v for k, v in values.items() if v}) if chosen else None
                shown = await lanes.run(rows_for_page, (text, bindings, first, limits, iris.base()),
                                        limits.timeout, text + repr(sorted(values.items())))
            except (QueryError, SyntaxError, ValueError, OSError, RuntimeError) as e:
                error = str(e)
        body = query_pages.query_page(named, query, chosen, values, shown, error)
        return Response(body, 400 if error else 200, media_type="text/html; charset=utf-8")

    def fmt(request: Request) -> str | None:
        return request.query_params.get("format") or request.query_params.get("output")

    def described(media: str, body: bytes, path: str) -> Response:
        """A linked-data answer: Vary, and Link to the other representations."""
        charset = "; charset=utf-8" if media.startswith("text/") else ""
        return Response(body, media_type=media + charset,
                        headers={"Vary": "Accept", "Link": linked.link_header(path)})

    async def dataset(request: Request) -> Response:
        server = str(request.base_url).rstrip("/")
        media, body = await run_in_threadpool(vocab_pages.dataset_view, store, request.url.path,
                                              request.headers.get("accept"), iris.base(), server, fmt(request))
        return described(media, body, "/dataset")

    async def ontology(request: Request) -> Response:
        media, body = await run_in_threadpool(vocab_pages.ontology_view, request.url.path,
                                              request.headers.get("accept"), iris.base(), fmt(request))
        return described(media, body, "/ontology")

    async def named_graph(request: Request) -> Response:
        path = request.scope.get("raw_path", b"").decode("ascii", "replace").split("?")[0] or request.url.path
        if not graphs.is_graph_path(path):
            raise errors.not_found(f"no page at {request.url.path}")
        media, body = await run_in_threadpool(graphs.graph_view, store, path, request.headers.get("accept"),
                                              iris.base(), fmt(request))
        return described(media, body, linked.split_suffix(path)[0])

    async def dumps(request: Request) -> Response:
        links = "".join(f'<li><a href="/dumps/{n}">{n}</a></li>' for n in ("dump.nq", "dump.ttl"))
        return Response(linked.page("数据下载 dumps", f"<ul>{links}</ul>"),
                        media_type="text/html; charset=utf-8")

    dump_files = Dumps(store)

    async def dump_file(request: Request) -> Response:
        name = request.path_params["name"]
        gzipped = "gzip" in request.headers.get("accept-encoding", "")
        path = await run_in_threadpool(dump_files.file, name, gzipped)
        headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"} if gzipped else {}
        return FileResponse(path, media_type=DUMP_MEDIA[name], headers=headers)

    async def resource(request: Request) -> Response:
        raw = request.scope.get("raw_path", b"").decode("ascii", "replace").split("?")[0]
        try:  # the path is part of an IRI: a bad escape or a brace is the client's error
            NamedNode(iris.base() + (raw or request.url.path).lstrip("/"))
        except ValueError as e:
            raise errors.bad_request(f"{raw or request.url.path} names no resource: it is not "
                                     f"a valid IRI path ({e})") from None
        media, body = await run_in_threadpool(  # the IRI is the path as sent (percent-encoded)
            linked.dereference, store, raw or request.url.path, request.headers.get("accept"),
            iris.base(), fmt(request))
        return described(media, body, linked.split_suffix(raw or request.url.path)[0])

    # the routing table
    for path, endpoint, methods in [
        ("/", home, ["GET"]),
        ("/search", search, ["GET"]),
        ("/issuers", issuers_page, ["GET"]),
        ("/issuers/{code}", portfolio_page, ["GET"]),
        ("/query", query_page, ["GET"]),
        ("/sparql", sparql, ["GET", "POST"]),
        ("/sparql/", sparql, ["GET", "POST"]),
        ("/queries/", query_list, ["GET"]),
        ("/queries/{name}", named_query, ["GET"]),
        ("/dataset", dataset, ["GET"]),
        ("/dataset{suffix:path}", dataset, ["GET"]),
        ("/ontology", ontology, ["GET"]),
        ("/ontology{suffix:path}", ontology, ["GET"]),
        ("/dumps/", dumps, ["GET"]),
        ("/dumps/{name}", dump_file, ["GET"]),
        (graphstore.SERVICE, graph_store, ["GET", "HEAD", "PUT", "POST", "DELETE"]),
        (graphstore.DIRECT + "{rest:path}", graph_store, ["GET", "HEAD", "PUT", "POST", "DELETE"]),
        *[(f"/{kind}/{{rest:path}}", resource, ["GET"])
          for kind in ("doc", "unit", "region", "directive", "source")],
        *[(f"/{kind}/{{rest:path}}", resource, ["GET"])  # minted by the lineage mapping
          for kind in ("agency", "policy", "series", "fund", "text", "concept")],
        *[(path, named_graph, ["GET"]) for path in ("/graph/{rest:path}", "/validation/{rest:path}",
                                                    "/catalog{rest:path}", "/shared/{rest:path}",
                                                    "/registry/{rest:path}")],
    ]:
        methods = methods + ["HEAD"] if "GET" in methods and "HEAD" not in methods else methods
        app.add_api_route(path, endpoint, methods=methods, include_in_schema=False)
    return app


def factory() -> FastAPI:
    """App factory for ``uvicorn --factory`` with several worker processes: each opens
    the store read-only from the ``KG_STORE`` setting."""
    from ..store import open_store
    return create_app(open_store(str(config.get("store")), read_only=True))
