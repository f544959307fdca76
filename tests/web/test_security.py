"""The endpoint against an outside auditor's requests: each test sends the exact
request that crashed the server, made it fetch another local server, wore it down,
or got a 500, and checks the answer and that the server still answers."""
from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time

import httpx
import pytest

from kg import query_gate
from kg.web.app import Settings, create_app
from kg.web.sparql import Limits
from tests.servers import kg_serve
from tests.support.endpoint import LoopbackEndpoint
from tests.support.live import WRITE_TOKEN, LiveServer
from tests.support.processes import cpu_seconds, descendants, run_script

DEEP = "SELECT * WHERE " + "{ " * 3000 + "} " * 3000  # 12 KB, 3,000 nested groups
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # a cartesian product
BASE = "https://w3id.org/bpkg/id/"


def _problem(r: httpx.Response, status: int) -> dict:
    """The JSON problem body of a refusal with that status."""
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json"), r.headers["content-type"]
    body = r.json()
    assert body["status"] == status and body["message"]
    return body


# 1. one request must not kill the server --------------------------------------------

@pytest.mark.slow
def test_a_query_nested_3000_deep_is_a_400_and_kg_serve_lives(built_store):
    with kg_serve(str(built_store[1])) as (base, proc):
        r = httpx.get(base + "/sparql", params={"query": DEEP}, timeout=30)
        assert "3000 levels deep" in _problem(r, 400)["message"]
        r = httpx.post(base + "/sparql", content=DEEP.encode(), timeout=30,
                       headers={"Content-Type": "application/sparql-query"})
        _problem(r, 400)
        r = httpx.get(base + "/query", params={"query": DEEP}, timeout=30)
        _problem(r, 400)
        assert proc.poll() is None
        assert httpx.get(base + "/sparql", params={"query": "ASK {}"},
                         timeout=30).status_code == 200


def test_an_update_nested_3000_deep_is_a_400(writable):
    server, store = writable
    deep = "INSERT { <a> <b> <c> } WHERE " + "{ " * 3000 + "} " * 3000
    r = httpx.post(server.url + "/sparql", content=deep.encode(), timeout=30,
                   headers={"Content-Type": "application/sparql-update",
                            "Authorization": f"Bearer {WRITE_TOKEN}"})
    assert "levels deep" in _problem(r, 400)["message"]


def test_a_query_that_kills_its_worker_is_a_500_problem_and_the_server_lives(built_store):
    # the depth guard lifted: the engine's parser overflows its stack in the worker
    app = create_app(built_store[0], Settings(Limits(timeout=20, max_query_depth=10000)))
    with LiveServer(app) as server:
        r = httpx.get(server.url + "/sparql", params={"query": DEEP}, timeout=60)
        assert "replaced" in _problem(r, 500)["message"]
        r = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=60)
        assert r.status_code == 200 and r.json()["boolean"] is True


@pytest.mark.parametrize("text", ["ASK { " + "a." * 200_000, "ASK { " + "1.a-" * 100_000,
                                  'ASK { "' + "x" * 400_000])
def test_the_gate_reads_a_text_of_any_shape_in_linear_time(text):
    start = time.monotonic()
    try:
        query_gate.check_shape(text)
    except query_gate.QueryRefused:
        pass
    assert time.monotonic() - start < 5


def test_kg_query_refuses_a_query_nested_3000_deep(built_store):
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", DEEP, "--store",
                           str(built_store[1])], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "3000 levels deep" in done.stderr and "Traceback" not in done.stderr


# 2. SERVICE and LOAD never reach the network --------------------------------------

SECRET = "only-on-the-other-server-5c1d"  # a value found on the other server alone


def _other_server(fail: bool = False) -> LoopbackEndpoint:
    """Another local HTTP server with a value found nowhere else; counts its hits.
    ``fail``: it answers 500 with a body that must not be passed on."""
    def answer(_: str) -> tuple[int, str, bytes]:
        if fail:
            return 500, "text/plain", f"internal error, see {SECRET}".encode()
        return 200, "application/sparql-results+json", json.dumps(
            {"head": {"vars": ["x"]},
             "results": {"bindings": [{"x": {"type": "literal", "value": SECRET}}]}}).encode()
    return LoopbackEndpoint(answer)


def test_service_hidden_behind_a_filter_is_refused_on_every_route(live):
    with _other_server() as other:
        q = f"SELECT ?x WHERE {{ FILTER(1<2)SERVICE<{other.url}>{{ ?x ?p ?o }} }}"
        for r in (httpx.get(live.url + "/sparql", params={"query": q}),
                  httpx.post(live.url + "/sparql", content=q.encode(),
                             headers={"Content-Type": "application/sparql-query"}),
                  httpx.get(live.url + "/query", params={"query": q})):
            assert "SERVICE" in _problem(r, 403)["message"]
            assert SECRET not in r.text
        assert other.hits == []


def test_service_and_load_in_updates_are_refused(writable):
    server, store = writable
    headers = {"Content-Type": "application/sparql-update",
               "Authorization": f"Bearer {WRITE_TOKEN}"}
    with _other_server() as other:
        for update in (f"INSERT {{ <a> <b> ?x }} WHERE "
                       f"{{ FILTER(1<2)SERVICE<{other.url}>{{ ?x ?p ?o }} }}",
                       f"LOAD <{other.url}>"):
            r = httpx.post(server.url + "/sparql", content=update.encode(), headers=headers)
            _problem(r, 403)
        assert other.hits == [] and len(store.store) == 0


def test_a_remote_servers_error_body_is_not_passed_on(built_store):
    app = create_app(built_store[0], Settings(Limits(timeout=10, allow_service=True)))
    with _other_server(fail=True) as other, LiveServer(app) as server:
        q = f"SELECT ?x WHERE {{ SERVICE <{other.url}> {{ ?x ?p ?o }} }}"
        r = httpx.get(server.url + "/sparql", params={"query": q}, timeout=30)
        assert other.hits  # SERVICE is allowed here: the call was made
        assert "SERVICE" in _problem(r, 400)["message"] and SECRET not in r.text


# 3. a query past its deadline stops using the machine -------------------------------

def test_the_server_says_it_started_once_its_query_workers_have_the_store_open(
        built_store, tmp_path):
    """Queries sent the moment the server starts would otherwise queue in front of
    workers still starting, and a cheap one behind them could be refused as busy."""
    out = run_script(tmp_path, """if __name__ == "__main__":
    import os, sys
    from pathlib import Path
    from kg.store import open_store
    from kg.web.app import Settings, create_app
    from kg.web.sparql import Limits
    from tests.support.live import LiveServer
    from tests.support.processes import descendants, holding
    settings = Settings(Limits(timeout=3), quick_workers=2, query_workers=1, query_queue=1)
    with LiveServer(create_app(open_store(sys.argv[1], read_only=True), settings)):
        print(len(holding(descendants(os.getpid()), Path(sys.argv[1]))))
""", str(built_store[1]), slow_workers=1)
    assert out.split() == ["3"]  # two quick workers, one heavy


def test_workers_slower_than_the_start_wait_join_when_ready(built_store, tmp_path):
    """A store that takes its workers longer to open than the server waits at
    start-up (setting ``worker_start_seconds``): the server starts anyway, and a
    query sent then is answered once a worker is ready, instead of a server that
    never starts."""
    out = run_script(tmp_path, """if __name__ == "__main__":
    import sys, time, httpx
    from kg.store import open_store
    from kg.web.app import Settings, create_app
    from kg.web.sparql import Limits
    from tests.support.live import LiveServer
    settings = Settings(Limits(timeout=30), quick_workers=1, query_workers=1, query_queue=1,
                        worker_start_seconds=0.5)
    start = time.monotonic()
    with LiveServer(create_app(open_store(sys.argv[1], read_only=True), settings)) as server:
        started = time.monotonic() - start
        r = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=60)
        print(started < 2.5, r.status_code, r.json()["boolean"])
""", str(built_store[1]), slow_workers=3)
    assert out.split() == ["True", "200", "True"]


def test_a_script_serving_the_app_without_a_main_guard_answers(built_store, tmp_path):
    """The query workers start fresh and do not run the calling script again (which
    would start a server in each of them and fail)."""
    out = run_script(tmp_path, """import sys, httpx
from kg.store import open_store
from kg.web.app import Settings, create_app
from kg.web.sparql import Limits
from tests.support.live import LiveServer
settings = Settings(Limits(timeout=30), quick_workers=1, query_workers=1)  # processes
with LiveServer(create_app(open_store(sys.argv[1], read_only=True), settings)) as server:
    r = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=60)
    print(r.status_code, r.json()["boolean"])
""", str(built_store[1]))
    assert out.split() == ["200", "True"]


@pytest.mark.slow
def test_heavy_queries_are_stopped_at_the_deadline_while_cheap_ones_answer(built_store):
    settings = Settings(Limits(timeout=3), quick_workers=1, query_workers=1, query_queue=1,
                        quick_query_seconds=0.3)
    others = set(descendants(os.getpid()))  # servers other tests here started (Virtuoso…)
    app = create_app(built_store[0], settings)
    with LiveServer(app) as server:
        answers: list[httpx.Response] = []

        def heavy():
            answers.append(httpx.get(server.url + "/sparql", params={"query": HEAVY}, timeout=60))

        wave = [threading.Thread(target=heavy) for _ in range(4)]
        for t in wave:
            t.start()
        probes = []
        while any(t.is_alive() for t in wave):
            start = time.monotonic()
            r = httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=60)
            probes.append((r.status_code, time.monotonic() - start))
            time.sleep(0.1)
        for t in wave:
            t.join()
        assert sorted(r.status_code for r in answers) == [503] * 4
        assert any(r.headers.get("retry-after") for r in answers)  # the queue was full
        assert probes and all(s == 200 for s, _ in probes)
        # a probe queued behind a heavy query would wait its full 3 s deadline; half of
        # that leaves room for a loaded machine (the tests run on two workers)
        assert max(t for _, t in probes) < 1.5, probes
        time.sleep(0.5)
        before = cpu_seconds(os.getpid(), others)
        time.sleep(1.5)
        # nothing is still evaluating the heavy ones
        assert cpu_seconds(os.getpid(), others) - before < 0.5


# 4. bad input is a 4xx problem, never a 500 ----------------------------------------

@pytest.mark.parametrize("target", [
    "/doc/%", "/doc/%zz", "/doc/a{b}", "/unit/x%",
    "/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri",
    "/sparql?query=ASK%7B%7D&named-graph-uri=%3Cx%3E",
    "/queries/indicators?document=not%20an%20iri",
])
def test_bad_input_is_a_4xx_problem(live, target):
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    conn.request("GET", target)  # sent as written: no client re-encodes it
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    assert 400 <= resp.status < 500, (resp.status, body[:300])
    assert resp.getheader("content-type").startswith("application/json")
    assert json.loads(body)["status"] == resp.status


def test_kg_query_with_a_bad_iri_parameter_says_so_without_a_traceback(built_store):
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", "indicators", "--param",
                           "document=002_d83939c0e0da9114", "--store", str(built_store[1])],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "'document' must be an absolute IRI" in done.stderr and "Traceback" not in done.stderr


# 5. links, headers, authorization, CORS --------------------------------------------

def test_non_http_iris_from_the_data_are_never_links(writable):
    server, store = writable
    update = (f"INSERT DATA {{ GRAPH <{BASE}graph/x> {{ <{BASE}doc/x> "
              "<http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(document.domain)>, "
              "<data:text/html,x>, <https://example.org/ok> } }")
    r = httpx.post(server.url + "/sparql", content=update.encode(),
                   headers={"Content-Type": "application/sparql-update",
                            "Authorization": f"Bearer {WRITE_TOKEN}"})
    assert r.status_code == 204
    page = httpx.get(server.url + "/doc/x", headers={"Accept": "text/html"}).text
    assert "javascript:alert(document.domain)" in page  # shown as text
    assert 'href="javascript:' not in page and 'href="data:' not in page
    assert 'href="https://example.org/ok"' in page


def test_every_answer_has_a_content_security_policy_and_nosniff(live):
    for path in ("/", "/query", "/sparql?query=ASK%7B%7D", "/no/such/page"):
        r = httpx.get(live.url + path, headers={"Accept": "text/html"})
        assert r.headers["x-content-type-options"] == "nosniff"
        csp = r.headers["content-security-policy"]
        script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script and "frame-ancestors 'none'" in csp
    page = httpx.get(live.url + "/query", headers={"Accept": "text/html"})
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.S)
    assert inline  # the query page's own script still runs: its hash is allowed
    for code in inline:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in page.headers["content-security-policy"]


def test_a_one_and_a_half_megabyte_accept_header_is_a_431(live):
    r = httpx.get(live.url + "/sparql", params={"query": "ASK {}"},
                  headers={"Accept": ", ".join(["text/csv"] * 150_000)})  # 1.5 MB
    assert r.status_code == 431


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer"])
def test_the_authorization_scheme_is_case_insensitive(writable, scheme):
    server, store = writable
    r = httpx.post(server.url + "/sparql", content=b"INSERT DATA { <http://a/s> <http://a/p> 1 }",
                   headers={"Content-Type": "application/sparql-update",
                            "Authorization": f"{scheme} {WRITE_TOKEN}"})
    assert r.status_code == 204
    r = httpx.post(server.url + "/sparql", content=b"CLEAR ALL",
                   headers={"Content-Type": "application/sparql-update",
                            "Authorization": f"{scheme} not-the-token"})
    assert r.status_code == 403


@pytest.mark.parametrize("method", ["PUT", "DELETE", "POST"])
def test_cors_preflight_for_the_writing_methods(writable, method):
    server, store = writable
    r = httpx.options(server.url + "/rdf-graphs/service?graph=http://a/g",
                      headers={"Origin": "https://portal.example",
                               "Access-Control-Request-Method": method,
                               "Access-Control-Request-Headers": "authorization, content-type"})
    assert r.status_code == 200, r.text
    assert method in r.headers["access-control-allow-methods"]
    assert "authorization" in r.headers["access-control-allow-headers"].lower()
