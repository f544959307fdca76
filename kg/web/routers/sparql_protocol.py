"""SPARQL 1.1 Protocol at /sparql: queries (GET, POST), updates (POST, with the write
token), the Service Description for a request with neither, and a browser sent to
the query page."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ...store import Store
from .. import errors
from ..media import negotiate, wants_html
from ..sparql import SparqlRequest, from_parts
from ..state import Web, WebDep, read_body, route, url_params
from ..update import with_dataset

SD = "http://www.w3.org/ns/sparql-service-description#"
router = APIRouter()


def service_description(endpoint: str, store: Store, writable: bool = False) -> str:
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


async def sparql(request: Request, web: WebDep) -> Response:
    body = await read_body(request, web.limits.max_bytes) if request.method == "POST" else b""
    req = from_parts(request.method, url_params(request), request.headers.get("content-type"),
                     body)
    req.base = str(request.url).split("?")[0]
    if req.update is not None:
        return await update(request, web, req)
    accept = request.headers.get("accept")
    if request.method == "GET" and wants_html(accept) and not req.fmt:  # a browser
        query = f"?{urlencode({'query': req.query})}" if req.query else ""
        return RedirectResponse("/query" + query, 303)
    if req.query is None:
        endpoint = str(request.url).split("?")[0]
        media = negotiate(accept, ["text/turtle"], req.fmt) if accept else "text/turtle"
        return Response(service_description(endpoint, web.store, bool(web.settings.write_token)),
                        media_type=media, headers={"Vary": "Accept"})
    return await web.run(req, accept, bom=request.query_params.get("bom") == "1")


async def update(request: Request, web: Web, req: SparqlRequest) -> Response:
    web.require_writer(request)
    await run_in_threadpool(web.limits.check, req.update or "", True)
    text = with_dataset(req.update or "", req.using_graphs, req.using_named_graphs)
    try:
        await run_in_threadpool(web.store.update, text, base_iri=req.base)
    except SyntaxError as e:
        raise errors.bad_request(f"malformed update: {e}") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise errors.bad_request(f"the update failed, nothing was written: {e}") from None
    web.warmer.request()
    return Response(status_code=204)


for path in ("/sparql", "/sparql/"):
    route(router, path, sparql, ("GET", "POST"))
