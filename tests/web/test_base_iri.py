"""A store that recorded the base IRI its data was minted under is served with that
base, whatever the ``base`` setting says: its IRIs dereference and its pages link
to this server."""
from __future__ import annotations

from fastapi.testclient import TestClient
from pyoxigraph import Literal

from kg import iris
from kg.domain.docnumbers import parse_document_number
from kg.store import open_store
from kg.web.app import Settings, create_app
from kg.web.sparql import Limits

BASE = "http://example.org/minted/"  # not the base setting's default


def _client() -> TestClient:
    store = open_store(None)
    store.base_iri = BASE
    label = Literal("自己的基址项目")
    store.update(f"INSERT DATA {{ GRAPH <{BASE}graph/x> {{ <{BASE}doc/x/project/1> "
                 f"a <{iris.BP}Project> ; <{iris.NS['rdfs']}label> {label} }} }}")
    return TestClient(create_app(store, Settings(Limits())))


def test_the_stores_base_is_the_apps():
    assert iris.base() != BASE
    client = _client()
    assert client.get("/", headers={"Accept": "application/json"}).json()["base"] == BASE
    r = client.get("/doc/x/project/1", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "自己的基址项目" in r.text


def test_pages_link_the_stores_iris_here():
    r = _client().get("/search", params={"q": "基址"})
    assert 'href="/doc/x/project/1"' in r.text and BASE not in r.text


def test_a_directive_is_found_by_any_spelling_of_its_number_under_the_stores_base():
    number = parse_document_number("保财建〔2025〕69号")
    assert number is not None
    directive = iris.directive(number.issuer_code, number.year, number.serial, BASE)
    client = _client()
    client.app.state.web.store.update(  # type: ignore[attr-defined]
        f"INSERT DATA {{ GRAPH <{BASE}graph/x> {{ <{directive}> a <{iris.BP}Directive> }} }}")
    r = client.get("/search", params={"q": "保财建[2025]69号"})  # another spelling
    assert r.status_code == 200 and "文号 directive" in r.text
    assert f'href="{directive[len(BASE) - 1:]}"' in r.text
