"""The W3C SPARQL 1.1 Protocol manifest (tests/w3c/protocol/manifest.ttl, copied from
W3C's rdf-tests: tests/w3c/README.md) run against live servers on loopback.

Read-only server: query tests must pass as written; update tests are run for what a
public read-only endpoint must do: the first update request gets a 4xx.
Writable server (write token sent with every request, a fresh store per test): every
test with an update must pass as written; those that expect a 4xx must get it for
the reason they test, not for a missing token (so not a 403).  Query-only tests are
not repeated there: queries take the same path on both servers.
Skipped or expected to fail: none."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat
from rdflib.collection import Collection
from rdflib.namespace import RDF

from kg.store import open_store
from kg.web.app import Settings, create_app
from kg.web.sparql import Limits
from tests.support.live import WRITE_TOKEN, LiveServer

W3C = Path(__file__).resolve().parent.parent / "w3c" / "protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
DATA = "http://kasei.us/2009/09/sparql/data/"


def load_tests():
    g = rdflib.Graph().parse(W3C / "manifest.ttl", format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        requests = []
        for r in Collection(g, g.value(action, HT.requests)):
            headers = {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
                       for h in (Collection(g, g.value(r, HT.headers)) if g.value(r, HT.headers)
                                 else [])}
            body = g.value(r, HT.body)
            resp = g.value(r, HT.resp)
            requests.append({
                "method": str(g.value(r, HT.methodName)),
                "path": str(g.value(r, HT.absolutePath)),
                "headers": headers,
                "body": str(g.value(body, CNT.chars)) if body is not None else None,
                "status": {str(s).rsplit("StatusCode", 1)[1]
                           for s in g.objects(resp, MF.expectedStatus)},
                "format": str(g.value(resp, MF.expectedFormat) or ""),
                "boolean": g.value(resp, MF.expectedBoolean),
            })
        tests.append((str(g.value(entry, MF.name)), requests))
    return tests


TESTS = load_tests()


def is_update(req) -> bool:
    ct = req["headers"].get("content-type", "")
    return ("sparql-update" in ct or "update=" in (req["body"] or "")
            or "update=" in urlsplit(req["path"]).query)


def load_data(store) -> None:
    """The named graphs the manifest expects: data1-3 as <…/dataN.rdf>."""
    for n in (1, 2, 3):
        with open(W3C / f"data{n}.nt", "rb") as f:
            store.store.load(f, format=RdfFormat.N_TRIPLES,
                             to_graph=NamedNode(f"{DATA}data{n}.rdf"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("w3c"))
    load_data(store)
    with LiveServer(create_app(store, Settings(Limits(timeout=10)))) as s:
        yield s


def send(server, req, extra_headers: dict | None = None) -> httpx.Response:
    path = req["path"].replace("/sparql/", "/sparql", 1)
    return httpx.request(req["method"], server.url + path,
                         headers={**req["headers"], **(extra_headers or {})},
                         content=(req["body"] or "").encode("utf-8") if req["body"] is not None
                         else None,
                         timeout=10)


def check_format(resp: httpx.Response, fmt: str, boolean) -> None:
    ct = resp.headers.get("content-type", "").split(";")[0]
    if fmt == "boolean":
        assert ct in ("application/sparql-results+json", "application/sparql-results+xml")
        if boolean is not None:
            text = resp.text
            value = "true" in text.lower().split("boolean")[1][:20]
            assert value == bool(boolean.toPython())
    elif fmt == "tabular":
        assert ct in ("application/sparql-results+json", "application/sparql-results+xml",
                      "text/csv", "text/tab-separated-values")
    elif fmt == "RDF":
        assert ct in ("application/rdf+xml", "text/turtle", "application/n-triples")
        rdflib.Graph().parse(data=resp.content, format={"application/rdf+xml": "xml",
                                                       "text/turtle": "turtle",
                                                       "application/n-triples": "nt"}[ct])


@pytest.mark.parametrize("name, requests", TESTS, ids=[t[0] for t in TESTS])
def test_protocol(server, name, requests):
    if any(is_update(r) for r in requests):
        first = next(r for r in requests if is_update(r))
        resp = send(server, first)
        assert 400 <= resp.status_code < 500, (resp.status_code, resp.text)
        assert resp.text  # a clear message, never a bare status
        return
    for req in requests:
        resp = send(server, req)
        classes = {f"{resp.status_code // 100}xx"}
        assert classes & req["status"], (resp.status_code, resp.text[:300])
        if resp.status_code < 300 and req["format"]:
            check_format(resp, req["format"], req["boolean"])


# an update sent as text/plain looks like no update by its request: the name says so
UPDATE_TESTS = [t for t in TESTS if any(is_update(r) for r in t[1]) or "update" in t[0]]


def test_the_manifest_has_its_update_tests():
    assert len(TESTS) == 34 and len(UPDATE_TESTS) == 14


@pytest.mark.parametrize("name, requests", UPDATE_TESTS, ids=[t[0] for t in UPDATE_TESTS])
def test_protocol_writable(writable, name, requests):
    server, store = writable
    load_data(store)
    for req in requests:
        resp = send(server, req, {"Authorization": f"Bearer {WRITE_TOKEN}"})
        classes = {f"{resp.status_code // 100}xx"}
        assert classes & req["status"], (resp.status_code, resp.text[:300])
        if req["status"] == {"4xx"}:
            assert resp.status_code != 403 and resp.text, (resp.status_code, resp.text)
        if resp.status_code < 300 and req["format"]:
            check_format(resp, req["format"], req["boolean"])
