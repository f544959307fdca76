"""HTTP for clients and caches over the live server: HEAD on every GET route, Allow
on a 405, validators from the store version with 304 on revalidation, gzip, dumps
written once per version, and the Accept values clients send (JSON, XML, RDF/XML,
Protégé's, q=0)."""
from __future__ import annotations

import gzip
import re

import httpx
import pytest
import rdflib

from kg import iris
from kg.store import open_store
from kg.web.app import create_app
from tests.support.live import WRITE_TOKEN

DOC = "000_ebdfb260618a708a"
PROJECT = iris.project(DOC, 1)
SAMPLE = {"name": "indicators", "code": "保财", "rest": f"{DOC}/project/1",
          "suffix": ".ttl"}
ROUTE_SAMPLES = {"/dumps/{name}": "/dumps/dump.ttl", "/graph/{rest:path}": f"/graph/{DOC}",
                 "/catalog{rest:path}": "/catalog", "/shared/{rest:path}": "/shared/nodes",
                 "/registry/{rest:path}": "/registry/issuers",
                 "/concept/{rest:path}": "/concept/level-city",
                 # none loaded here: a 404 both ways
                 "/validation/{rest:path}": f"/validation/{DOC}",
                 "/rdf-graphs/{rest:path}": f"/rdf-graphs/{DOC}"}


def all_routes(routes):
    """Routes, with those of included routers (kept nested by FastAPI) flattened."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        yield from all_routes(inner.routes) if inner is not None else [route]


def get_paths():
    """Every GET route of the app, its parameters filled with a resource that exists."""
    app = create_app(open_store(None))
    out = []
    for route in all_routes(app.routes):
        if "GET" not in getattr(route, "methods", ()):
            continue
        if route.path in ROUTE_SAMPLES:
            out.append(ROUTE_SAMPLES[route.path])
            continue
        path = re.sub(r"\{(\w+)(:path)?\}", lambda m: SAMPLE.get(m.group(1), "x"), route.path)
        if path.startswith(("/unit/", "/region/", "/directive/", "/source/", "/agency/", "/policy/",
                              "/series/", "/fund/", "/text/")):
            continue  # resources: dereferenced by tests/web/test_crawl.py
        out.append(path)
    return sorted(set(out))


def test_every_get_route_is_found():
    assert {"/", "/search", "/sparql", "/dataset", "/queries/"} <= set(get_paths())


@pytest.mark.parametrize("path", get_paths())
def test_head_answers_every_get_route_like_get(live, path):
    got = httpx.get(live.url + path, headers={"Accept-Encoding": "identity"})
    head = httpx.head(live.url + path, headers={"Accept-Encoding": "identity"})
    assert head.status_code == got.status_code and head.status_code < 500
    assert head.content == b""
    assert head.headers.get("content-type") == got.headers.get("content-type")


def test_a_405_says_which_methods_are_allowed(live):
    r = httpx.delete(live.url + "/dataset")
    assert r.status_code == 405 and set(r.headers["allow"].split(", ")) >= {"GET", "HEAD"}


def test_validators_and_304_on_revalidation(live):
    first = httpx.get(live.url + "/dataset", headers={"Accept": "text/turtle"})
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"] == "public, no-cache"
    again = httpx.get(live.url + "/dataset",
                      headers={"Accept": "text/turtle", "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    since = httpx.get(live.url + "/dataset",
                      headers={"Accept": "text/turtle", "If-Modified-Since": modified})
    assert since.status_code == 304
    other = httpx.get(live.url + "/dataset",
                      headers={"Accept": "application/ld+json", "If-None-Match": tag})
    assert other.status_code == 200  # another representation, another tag
    q = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}
    r = httpx.get(live.url + "/sparql", params=q)
    assert httpx.get(live.url + "/sparql", params=q,
                     headers={"If-None-Match": r.headers["etag"]}).status_code == 304


def test_a_write_changes_the_validators(writable):
    server, store = writable
    url = server.url + "/sparql"
    ask = {"query": "ASK { <urn:a> <urn:b> 1 }"}
    before = httpx.get(url, params=ask, headers={"Accept": "text/csv"})
    assert before.status_code == 200 and before.headers.get("etag")
    r = httpx.post(server.url + "/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> 1 }"},
                   headers={"Authorization": f"Bearer {WRITE_TOKEN}"})
    assert r.status_code == 204
    after = httpx.get(url, params=ask,
                      headers={"Accept": "text/csv", "If-None-Match": before.headers["etag"]})
    assert (before.text.strip() == "false" and after.status_code == 200
            and after.text.strip() == "true")
    assert after.headers["etag"] != before.headers["etag"]


def test_dumps_are_gzipped_and_written_once_per_version(live, built_store):
    folder = built_store[1] / "kg-dumps"
    plain = httpx.get(live.url + "/dumps/dump.nq", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    with httpx.stream("GET", live.url + "/dumps/dump.nq", headers={"Accept-Encoding": "gzip"}) as r:
        assert r.headers["content-encoding"] == "gzip"
        raw = b"".join(r.iter_raw())
    assert gzip.decompress(raw) == plain.content and len(raw) < len(plain.content) / 4
    (written,) = [p for p in folder.iterdir() if p.name.endswith("-dump.nq")]
    stamp = written.stat().st_mtime_ns
    assert httpx.get(live.url + "/dumps/dump.nq").content == plain.content
    assert written.stat().st_mtime_ns == stamp  # served from the file, not written again


def test_large_results_are_gzipped(live):
    q = {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 900"}
    with httpx.stream("GET", live.url + "/sparql", params=q, headers={"Accept": "text/csv"}) as r:
        assert r.headers.get("content-encoding") == "gzip"
        raw = b"".join(r.iter_raw())
    body = gzip.decompress(raw)
    assert body.count(b"\r\n") == 901 and len(raw) < len(body) / 3


@pytest.mark.parametrize("accept, media", [
    ("application/json", "application/sparql-results+json"),
    ("application/xml", "application/sparql-results+xml"),
    ("text/xml", "application/sparql-results+xml"),
    ("*/*, application/sparql-results+json;q=0", "application/sparql-results+xml"),
])
def test_select_in_the_types_clients_ask_for(live, accept, media):
    q = {"query": f"SELECT ?n WHERE {{ <{PROJECT}> <{iris.NS['rdfs']}label> ?n }}"}
    r = httpx.get(live.url + "/sparql", params=q, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert "2026年统计调查资金" in r.text  # data/000 line 54


def test_output_parameter_as_well_as_format(live):
    q = {"query": "ASK { ?s ?p ?o }", "output": "csv"}
    r = httpx.get(live.url + "/sparql", params=q)
    assert r.headers["content-type"].startswith("text/csv") and r.text.strip() == "true"


def test_construct_and_describe_in_rdf_xml(live):
    q = {"query": f"DESCRIBE <{PROJECT}>"}
    r = httpx.get(live.url + "/sparql", params=q, headers={"Accept": "application/rdf+xml"})
    assert r.headers["content-type"].startswith("application/rdf+xml")
    g = rdflib.Graph().parse(data=r.text, format="xml")
    assert str(g.value(rdflib.URIRef(PROJECT), rdflib.RDFS.label)) == "2026年统计调查资金"


PROTEGE = ("application/rdf+xml, application/xml; q=0.7, text/xml; q=0.6, text/plain; q=0.1, */*; "
           "q=0.09")


@pytest.mark.parametrize("path", ["/ontology", "/dataset", "/doc/" + DOC + "/project/1"])
def test_rdf_xml_for_ontology_dataset_and_resources(live, path):
    r = httpx.get(live.url + path, headers={"Accept": PROTEGE})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/rdf+xml")
    assert len(rdflib.Graph().parse(data=r.text, format="xml")) > 5


def test_q_zero_excludes_a_type(live):
    r = httpx.get(live.url + "/ontology", headers={"Accept": "text/html;q=0, */*"})
    assert r.status_code == 200 and not r.headers["content-type"].startswith("text/html")
    r = httpx.get(live.url + "/ontology", headers={"Accept": "text/turtle;q=0"})
    assert r.status_code == 406
