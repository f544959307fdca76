"""The W3C SPARQL 1.1 Graph Store HTTP Protocol manifests
(tests/w3c/graph-store-protocol/, copied from W3C's
rdf-tests: tests/w3c/README.md) run against live
servers on loopback.

Writable server (write token sent with every request, a fresh empty store per
test): every test passes as written (the 13 listed and head_non_existing_direct,
which manifest-direct.ttl defines but does not list): statuses, the Location template, response
content types, and response bodies isomorphic to the expected graphs.  The paths'
``/gsp`` prefix is rewritten: ``/gsp?…`` and ``/gsp`` to the service
(/rdf-graphs/service), ``/gsp/…`` to direct identification (/rdf-graphs/…).
Read-only server: every write request of the manifests is refused with a 403 and
changes nothing.  Skipped or expected to fail: none.  Not run: ../http-rdf-update/,
deprecated by the W3C in favour of these manifests (its requests are prose)."""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from tests.support.live import WRITE_TOKEN

W3C = Path(__file__).resolve().parent.parent / "w3c" / "graph-store-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}


def _headers(g, node) -> dict[str, str]:
    if g.value(node, HT.headers) is None:
        return {}
    return {str(g.value(h, HT.fieldName)).lower(): str(g.value(h, HT.fieldValue))
            for h in Collection(g, g.value(node, HT.headers))}


def _body(g, node) -> str | None:
    body = g.value(node, HT.body)
    return None if body is None else str(g.value(body, CNT.chars))


def load_tests():
    top = rdflib.Graph().parse(W3C / "manifest.ttl", format="turtle")
    tests = []
    for included in Collection(top,
                               top.value(next(top.subjects(RDF.type, MF.Manifest)), MF.include)):
        g = rdflib.Graph().parse(W3C / Path(str(included)).name, format="turtle")
        manifest = next(g.subjects(RDF.type, MF.Manifest))
        listed = list(Collection(g, g.value(manifest, MF.entries)))
        unlisted = sorted(set(g.subjects(RDF.type, MF.GraphStoreProtocolTest)) - set(listed))
        for entry in listed + unlisted:  # head_non_existing_direct is defined, not listed
            requests = []
            for r in Collection(g, g.value(g.value(entry, MF.action), HT.requests)):
                resp = g.value(r, HT.resp)
                requests.append({
                    "method": str(g.value(r, HT.methodName)),
                    "path": str(g.value(r, HT.absolutePath)),
                    "headers": _headers(g, r), "body": _body(g, r),
                    "status": {str(s).rsplit("#", 1)[1]
                               for s in g.objects(resp, MF.expectedStatus)},
                    "location": g.value(resp, MF.expectedLocation),
                    "resp_headers": _headers(g, resp), "resp_body": _body(g, resp)})
            tests.append((str(g.value(entry, MF.name)), requests))
    return tests


TESTS = load_tests()


def url(server, path: str) -> str:
    """/gsp?… → the service; /gsp/… → direct identification under /rdf-graphs/."""
    if path == "/gsp" or path.startswith("/gsp?"):
        return server.url + "/rdf-graphs/service" + path[4:]
    assert path.startswith("/gsp/"), path
    return server.url + "/rdf-graphs/" + path[5:]


def status_ok(code: int, expected: set[str]) -> bool:
    return any(code == STATUS[s] if s in STATUS else s == f"StatusCode{code // 100}xx"
               for s in expected)


def test_manifests_were_read():
    assert len(TESTS) == 14 and all(reqs for _, reqs in TESTS)
    assert {s for _, reqs in TESTS for r in reqs for s in r["status"]} <= set(STATUS)


@pytest.mark.parametrize("name, requests", TESTS, ids=[t[0] for t in TESTS])
def test_graph_store_writable(writable, name, requests):
    server, _ = writable
    template: dict[str, str] = {}
    for req in requests:
        path, body = req["path"], req["body"]
        for var, value in template.items():
            path = path.replace(var, value)
            body = body.replace(var, value) if body is not None else None
        headers = {**req["headers"], "Authorization": f"Bearer {WRITE_TOKEN}"}
        resp = httpx.request(req["method"], url(server, path), headers=headers,
                             content=body.encode("utf-8") if body is not None else None, timeout=10)
        assert status_ok(resp.status_code, req["status"]), (req["method"], path, resp.status_code,
                                                            resp.text)
        if req["location"] is not None:
            assert resp.headers.get("location"), "a created graph must say where it is"
            template[str(req["location"])] = resp.headers["location"]
        for field, value in req["resp_headers"].items():
            assert (resp.headers.get(field, "").replace(" ", "").lower()
                    == value.replace(" ", "").lower())
        if req["method"] == "HEAD":
            assert resp.content == b""
        if req["resp_body"] is not None:
            got = rdflib.Graph().parse(data=resp.text, format="turtle")
            want = rdflib.Graph().parse(data=req["resp_body"], format="turtle")
            assert isomorphic(got, want), resp.text


WRITES = [(name, r) for name,
          reqs in TESTS for r in reqs if r["method"] in ("PUT", "POST", "DELETE")]


def test_graph_store_writes_are_refused_read_only(live):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = httpx.get(live.url + "/sparql", params={"query": count},
                       headers={"Accept": "text/csv"}).text
    for name, req in WRITES:
        resp = httpx.request(req["method"],
                             url(live, req["path"].replace("$LOCATION$", "http://x/g")),
                             headers=req["headers"],
                             content=(req["body"] or "").encode("utf-8"), timeout=10)
        assert resp.status_code == 403 and "read-only" in resp.json()["message"], (name, resp.text)
    after = httpx.get(live.url + "/sparql", params={"query": count},
                      headers={"Accept": "text/csv"}).text
    assert before == after
