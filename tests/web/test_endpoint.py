"""The endpoint as BI tools and researchers use it: SPARQLWrapper in every result
format, named queries as plain URLs, and the safety limits (406, 413, 415, 400 with
the parser's message, read-only, SERVICE, row cap, timeout, CORS)."""
from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from kg.web.app import Settings, create_app
from kg.web.sparql import Limits
from tests.support.live import LiveServer

COUNT_PROJECTS = ("PREFIX bp: <https://w3id.org/bpkg/ontology#> "
                  "SELECT (COUNT(?p) AS ?n) WHERE { ?p a bp:Project }")


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_format(live, fmt):
    sw = SPARQLWrapper(live.url + "/sparql")
    sw.setQuery(COUNT_PROJECTS)
    sw.setReturnFormat(fmt)
    result = sw.query().convert()
    if fmt == JSON:
        n = result["results"]["bindings"][0]["n"]["value"]
    elif fmt == XML:
        n = result.getElementsByTagName("literal")[0].firstChild.data
    elif fmt == CSV:
        n = list(csv.reader(io.StringIO(result.decode())))[1][0]
    else:
        n = result.decode().splitlines()[1]
    assert n == "125"  # data/: 27 + 28 + 31 + 39 tables


def test_sparqlwrapper_construct_as_turtle(live):
    sw = SPARQLWrapper(live.url + "/sparql")
    sw.setQuery("PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                "CONSTRUCT { ?d eli:id_local ?n } WHERE { ?d eli:id_local ?n }")
    sw.setReturnFormat(TURTLE)
    text = sw.query().convert().decode()
    assert "保财社〔2025〕87号" in text


def test_named_query_as_a_csv_url_for_spreadsheets(live):
    r = httpx.get(live.url + "/queries/projects", params={"format": "csv", "bom": "1"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbfproject,document,documentLabel,unitCode,")
    assert b"\r\n" in r.content
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 125 and rows[0]["name"] == "2026年统计调查资金"


def test_named_query_list_and_json(live):
    listing = httpx.get(live.url + "/queries/").json()
    assert {"projects", "indicators", "directives"} <= {q["name"] for q in listing}
    r = httpx.get(live.url + "/queries/directives",
                  headers={"Accept": "application/sparql-results+json"})
    numbers = {b["number"]["value"] for b in r.json()["results"]["bindings"]}
    assert "冀财教〔2020〕181号" in numbers and len(numbers) == 19
    assert httpx.get(live.url + "/queries/nosuch").status_code == 404
    assert httpx.get(live.url + "/queries/projects", params={"evil": "1"}).status_code == 400


def test_malformed_query_is_a_400_with_the_parser_message(live):
    r = httpx.get(live.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400 and "malformed query" in r.json()["message"]


def test_content_negotiation_statuses(live):
    q = {"query": COUNT_PROJECTS}
    assert httpx.get(live.url + "/sparql", params=q,
                     headers={"Accept": "image/png"}).status_code == 406
    r = httpx.get(live.url + "/sparql", params=q,
                  headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    assert "Accept" in r.headers["vary"]
    r = httpx.get(live.url + "/sparql", params={**q, "format": "tsv"})
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    r = httpx.post(live.url + "/sparql", content=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_oversized_request_is_a_413(live):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (70 * 1024)
    r = httpx.post(live.url + "/sparql", content=big.encode(),
                   headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_updates_are_refused_on_a_read_only_endpoint(live):
    r = httpx.post(live.url + "/sparql", content=b"DROP ALL",
                   headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403 and "read-only" in r.json()["message"]
    r = httpx.get(live.url + "/sparql", params={"query": COUNT_PROJECTS},
                  headers={"Accept": "text/csv"})
    assert r.text.splitlines()[1] == "125"  # nothing was dropped


def test_service_is_disabled(live):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    r = httpx.get(live.url + "/sparql", params={"query": q})
    assert r.status_code == 403 and "SERVICE" in r.json()["message"]
    q = 'SELECT * WHERE { ?s ?p "SERVICE" } LIMIT 1'  # the word in a string is fine
    assert httpx.get(live.url + "/sparql", params={"query": q}).status_code == 200


def test_row_cap_is_announced(live):
    r = httpx.get(live.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                  headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 1000
    assert r.headers["x-result-truncated"] == "true; max_rows=1000"


def test_cors_for_reads(live):
    r = httpx.get(live.url + "/sparql", params={"query": COUNT_PROJECTS},
                  headers={"Origin": "https://portal.example"})
    assert r.headers["access-control-allow-origin"] == "*"


def test_service_description_names_the_real_endpoint(live):
    r = httpx.get(live.url + "/sparql")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert f"<{live.url}/sparql> a sd:Service" in r.text


def test_timeout_is_an_error_not_a_partial_200(built_store):
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    app = create_app(built_store[0], Settings(Limits(timeout=0.5)))
    with LiveServer(app) as server:
        r = httpx.get(server.url + "/sparql", params={"query": slow}, timeout=30)
    assert r.status_code == 503 and "timeout" in r.json()["error"]


def test_writable_mode_needs_the_token(tmp_path):
    from kg.store import open_store
    store = open_store(tmp_path / "s")
    app = create_app(store, Settings(Limits(), write_token="s3cret"))
    with LiveServer(app) as server:
        upd = b'INSERT DATA { <http://x/a> <http://x/b> "c" }'
        h = {"Content-Type": "application/sparql-update"}
        assert httpx.post(server.url + "/sparql", content=upd, headers=h).status_code == 403
        h["Authorization"] = "Bearer s3cret"
        assert httpx.post(server.url + "/sparql", content=upd, headers=h).status_code == 204
        r = httpx.get(server.url + "/sparql", params={"query": "ASK { <http://x/a> ?p ?o }"},
                      headers={"Accept": "application/sparql-results+json"})
        assert json.loads(r.text)["boolean"] is True


def test_lineage_queries_over_http(live):
    # data/002: 保财社〔2025〕87号 printed at lines 577, 584 (project 7), 710, 717, 916
    r = httpx.get(live.url + "/queries/directive-lineage",
                  params={"number": "保财社[2025]87", "format": "csv"})
    assert r.status_code == 200
    got = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    assert [int(x["line"]) for x in got] == [577, 584, 710, 717, 916]
    bad = httpx.get(live.url + "/queries/directive-lineage", params={"number": "87"})
    assert bad.status_code == 400 and "document number" in bad.json()["message"]
    r = httpx.get(live.url + "/queries/issuer-portfolio", params={"issuer": "保财"},
                  headers={"Accept": "application/sparql-results+json"})
    assert len({b["number"]["value"] for b in r.json()["results"]["bindings"]}) == 9
