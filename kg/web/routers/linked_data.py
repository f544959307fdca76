"""Linked data: every IRI minted under the base and the concepts dereference here
(kg/web/linked.py), and the named graphs, /ontology, /dataset and the dumps, each
in the negotiated format with ``Link`` to the others."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from pyoxigraph import NamedNode
from starlette.concurrency import run_in_threadpool

from .. import errors, graphs, linked, vocab_pages
from ..media import DUMPS, split_suffix
from ..state import HTML, WebDep, described, fmt, raw_path, route
from ..templates import page, render

router = APIRouter()
#: the kinds of resource minted under the base (and, second, by the lineage mapping)
RESOURCES = ("doc", "unit", "region", "directive", "source",
             "agency", "policy", "series", "fund", "text", "concept")
GRAPHS = ("/graph/{rest:path}", "/validation/{rest:path}", "/catalog{rest:path}",
          "/shared/{rest:path}", "/registry/{rest:path}")


async def dataset(request: Request, web: WebDep) -> Response:
    server = str(request.base_url).rstrip("/")
    media, body = await run_in_threadpool(vocab_pages.dataset_view, web.store, request.url.path,
                                          request.headers.get("accept"), web.base, server,
                                          fmt(request))
    return described(media, body, "/dataset")


async def ontology(request: Request, web: WebDep) -> Response:
    media, body = await run_in_threadpool(vocab_pages.ontology_view, request.url.path,
                                          request.headers.get("accept"), web.base, fmt(request))
    return described(media, body, "/ontology")


async def named_graph(request: Request, web: WebDep) -> Response:
    path = raw_path(request)
    if not graphs.is_graph_path(path):
        raise errors.not_found(f"no page at {request.url.path}")
    media, body = await run_in_threadpool(graphs.graph_view, web.store, path,
                                          request.headers.get("accept"), web.base, fmt(request))
    return described(media, body, split_suffix(path)[0])


async def dumps() -> Response:
    return Response(page("数据下载 dumps", render("dumps.html", names=sorted(DUMPS))),
                    media_type=HTML)


async def dump_file(request: Request, web: WebDep) -> Response:
    name = request.path_params["name"]
    gzipped = "gzip" in request.headers.get("accept-encoding", "")
    path = await run_in_threadpool(web.dumps.file, name, gzipped)
    headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"} if gzipped else {}
    return FileResponse(path, media_type=DUMPS[name], headers=headers)


async def resource(request: Request, web: WebDep) -> Response:
    path = raw_path(request)  # the IRI is the path as sent (percent-encoded)
    try:  # the path is part of an IRI: a bad escape or a brace is the client's error
        NamedNode(web.base + path.lstrip("/"))
    except ValueError as e:
        raise errors.bad_request(f"{path} names no resource: it is not "
                                 f"a valid IRI path ({e})") from None
    media, body = await run_in_threadpool(linked.dereference, web.store, path,
                                          request.headers.get("accept"), web.base, fmt(request))
    return described(media, body, split_suffix(path)[0])


route(router, "/dataset", dataset)
route(router, "/dataset{suffix:path}", dataset)
route(router, "/ontology", ontology)
route(router, "/ontology{suffix:path}", ontology)
route(router, "/dumps/", dumps)
route(router, "/dumps/{name}", dump_file)
for kind in RESOURCES:
    route(router, f"/{kind}/{{rest:path}}", resource)
for path in GRAPHS:
    route(router, path, named_graph)
