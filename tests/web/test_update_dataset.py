"""using-graph-uri / using-named-graph-uri become USING clauses in the right place,
whatever strings, IRIs, comments or prefixed names the update holds; and the
result means what the protocol says (run on a real store).  Over HTTP: relative
IRIs resolve against the endpoint, SERVICE is refused as in queries."""
from __future__ import annotations

import httpx
import pytest
from pyoxigraph import Store

from kg.web.errors import HTTPProblem
from kg.web.update import with_dataset
from tests.support.live import WRITE_TOKEN

G1, G2 = "http://example.org/g1", "http://example.org/g2"


@pytest.mark.parametrize("update, expected", [
    ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
     "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } USING <http://example.org/g1> WHERE { ?s ?p ?o }"),
    ('INSERT { ?s <p> "} WHERE {" } WHERE {}',  # braces and WHERE in a string
     'INSERT { ?s <p> "} WHERE {" } USING <http://example.org/g1> WHERE {}'),
    ("INSERT { ?s a ?where } # WHERE {\nWHERE {}",  # a variable and a comment
     "INSERT { ?s a ?where } # WHERE {\nUSING <http://example.org/g1> WHERE {}"),
    ('PREFIX where: <http://x/> INSERT { where:where where:a """x "} WHERE""" } WHERE { }',
     'PREFIX where: <http://x/> INSERT { where:where where:a """x "} WHERE""" } '
     'USING <http://example.org/g1> WHERE { }'),
    ("insert data { <a> <b> <c> } ; insert { <a> <b> ?c } where { ?x <d> ?c }",
     "insert data { <a> <b> <c> } ; insert { <a> <b> ?c } USING <http://example.org/g1> where { ?x "
     "<d> ?c }"),
    ("LOAD <http://x/> INTO GRAPH <http://y/> ; CLEAR GRAPH <http://y/>",
     "LOAD <http://x/> INTO GRAPH <http://y/> ; CLEAR GRAPH <http://y/>"),
])
def test_using_goes_before_each_where(update, expected):
    assert with_dataset(update, [G1], []) == expected


def test_default_and_named_in_order():
    got = with_dataset("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", [G1], [G1, G2])
    assert got == ("INSERT { ?s ?p ?o } USING <http://example.org/g1> USING NAMED "
                   "<http://example.org/g1> "
                   "USING NAMED <http://example.org/g2> WHERE { GRAPH ?g { ?s ?p ?o } }")


def test_without_parameters_the_update_is_untouched():
    text = "WITH <http://x/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert with_dataset(text, [], []) is text


@pytest.mark.parametrize("update, using, message", [
    ("WITH <http://x/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [G1], "USING or WITH"),
    ("DELETE { ?s ?p ?o } USING <http://x/> WHERE { ?s ?p ?o }", [G1], "USING or WITH"),
    ("WITH ex:where DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [G1], "USING or WITH"),
    ("DELETE WHERE { ?s ?p ?o }", [G1], "DELETE {…} WHERE {…}"),
    ("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["not an iri"], "absolute IRIs"),
    ("INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://x/> } ; DROP ALL ; INSERT {"],
     "absolute IRIs"),
])
def test_refusals_are_400_with_the_reason(update, using, message):
    with pytest.raises(HTTPProblem) as e:
        with_dataset(update, using, [])
    assert e.value.status == 400 and message in e.value.detail


def test_the_dataset_is_what_the_update_sees():
    store = Store()
    store.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <http://x/a> a <http://x/C> }} "
                 f"GRAPH <{G2}> {{ <http://x/b> a <http://x/C> }} }}")
    store.update(with_dataset("INSERT { GRAPH <http://x/out> { ?s a <http://x/Seen> } } "
                              "WHERE { ?s a <http://x/C> }", [G1], []))
    seen = {str(s["s"])
            for s in store.query("SELECT ?s WHERE { GRAPH <http://x/out> { ?s ?p ?o } }")}
    assert seen == {"<http://x/a>"}


def test_updates_over_http_resolve_against_the_endpoint_and_refuse_service(writable):
    server, store = writable
    headers = {"Content-Type": "application/sparql-update",
               "Authorization": f"Bearer {WRITE_TOKEN}"}
    r = httpx.post(server.url + "/sparql", content=b"INSERT DATA { <a> <b> <c> }", headers=headers)
    assert r.status_code == 204
    assert {str(q.subject) for q in store.store} == {f"<{server.url}/a>"}
    r = httpx.post(server.url + "/sparql", headers=headers,
                   content=b"INSERT { ?s ?p ?o } WHERE "
                           b"{ SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert r.status_code == 403 and "SERVICE" in r.json()["message"]
    r = httpx.post(server.url + "/sparql", content=b"INSERT DATA { <a> <b> }", headers=headers)
    assert r.status_code == 400 and "malformed update" in r.json()["message"]
