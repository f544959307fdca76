"""SPARQL 1.1 Graph Store HTTP Protocol at /rdf-graphs/ (kg/web/graphstore.py does
the work): reads are public, writes need the token; the body is read (size limit)
and parsed before the store is touched."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .. import errors, graphstore
from ..state import Web, WebDep, raw_path, read_body, route, url_params

router = APIRouter()
METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")


async def graph_store(request: Request, web: WebDep) -> Response:
    if request.method not in ("GET", "HEAD"):
        web.require_writer(request)
    direct = None
    if request.url.path != graphstore.SERVICE:  # direct: the graph is named by this URL
        direct = str(request.base_url).rstrip("/") + raw_path(request)
    graph = graphstore.requested_graph(url_params(request), direct)
    if request.method in ("GET", "HEAD"):
        if graph is None:
            raise errors.bad_request("name a graph: ?graph=IRI or ?default")
        media, body = await run_in_threadpool(web.graph_store.read, graph,
                                              request.headers.get("accept"),
                                              request.query_params.get("format"))
        charset = "; charset=utf-8" if media in ("text/turtle", "application/n-triples") else ""
        return Response(body, media_type=media + charset, headers={"Vary": "Accept"})
    if graph is None and request.method != "POST":
        raise errors.bad_request(f"{request.method} needs a graph: ?graph=IRI or ?default")
    if graph is not None:
        web.graph_store.check_writable(graph)  # before reading a body that would be refused
    if request.method == "DELETE" and graph is not None:  # (a DELETE always names one)
        status = await run_in_threadpool(web.graph_store.delete, graph)
        web.warmer.request()
        return Response(status_code=status)
    return await _write(request, web, graph)


async def _write(request: Request, web: Web,
                 graph: graphstore.RequestedGraph | None) -> Response:
    """PUT (replace) or POST (merge); a POST to the service makes a new graph (§5.5)."""
    headers = {}
    if graph is None:
        graph = graphstore.RequestedGraph(graphstore.new_graph_iri(str(request.base_url)))
        headers["Location"] = graph.graph or ""
    body = await read_body(request, web.limits.max_bytes)
    triples = await run_in_threadpool(graphstore.parse_payload,
                                      request.headers.get("content-type"), body,
                                      graph.graph or str(request.url).split("?")[0])
    write = web.graph_store.put if request.method == "PUT" else web.graph_store.post
    status = await run_in_threadpool(write, graph, triples)
    web.warmer.request()
    return Response(status_code=status, headers=headers)


route(router, graphstore.SERVICE, graph_store, METHODS)
route(router, graphstore.DIRECT + "{rest:path}", graph_store, METHODS)
