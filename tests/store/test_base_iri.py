"""The base IRI is kept with the store: `kg build --base` records it in the catalog
graph, opening the store reads it back (embedded folder and SPARQL server alike), a
rebuild without --base keeps it, a rebuild with another base is refused, and
`kg serve` without the setting serves the store it was built under."""
from __future__ import annotations

import contextlib
import gc
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kg import cli, iris
from kg.map.terms import VOID
from kg.pipeline import build
from kg.store import open_store
from tests.servers import ServerUnavailable, kg_serve, oxigraph_server
from tests.support.samples import sample

BASE = "http://example.org/budget/"
OTHER = "http://example.org/elsewhere/"
KG = [str(Path(sys.executable).with_name("kg"))]  # the installed CLI


def kg(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "KG_BASE"} | (env or {})
    return subprocess.run(KG + list(args), capture_output=True, text=True, env=environ,
                          timeout=300)


def documents(folder: Path) -> list[str]:
    s = open_store(folder, read_only=True)
    try:
        return s.stored_documents(iris.catalog_graph(s.base_iri))
    finally:
        del s
        gc.collect()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One sample built with `kg build --base`, the store closed: its folder."""
    folder = tmp_path_factory.mktemp("based") / "store"
    r = kg("build", str(sample("001")), "--store", str(folder), "--base", BASE, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["loaded"] == 1
    return folder


def test_the_base_is_read_back_when_the_store_is_opened(built):
    store = open_store(built, read_only=True)
    assert store.base_iri == BASE
    # kept as data in the catalog graph: <BASE catalog> void:uriSpace "BASE"
    catalog = NamedNode(BASE + "catalog")
    (record,) = store.quads_for_pattern(None, VOID.uriSpace, None, None)
    assert (record.subject, record.object.value, record.graph_name) == (catalog, BASE, catalog)
    assert store.stored_documents(BASE + "catalog") == [BASE + "graph/" + sample("001").stem]


def test_a_rebuild_without_base_keeps_the_stores(built):
    r = kg("build", str(sample("001")), "--store", str(built), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert (report["loaded"], report["unchanged"]) == (0, 1)
    assert report["documents"][0]["graph"] == BASE + "graph/" + sample("001").stem


@pytest.mark.parametrize("how", ["option", "setting"])
def test_a_build_under_another_base_is_refused(built, how):
    args = ["build", str(sample("002")), "--store", str(built)]
    r = kg(*args, "--base", OTHER) if how == "option" else kg(*args, env={"KG_BASE": OTHER})
    assert r.returncode == 2
    assert r.stderr.startswith(f"kg build: the store at {built} holds resources minted under "
                               f"the base IRI {BASE}, not {OTHER}")
    assert "Traceback" not in r.stderr
    assert documents(built) == [BASE + "graph/" + sample("001").stem]  # nothing written


def test_the_same_base_spelled_without_its_slash_is_the_same(built):
    r = kg("build", str(sample("001")), "--store", str(built), "--base", BASE.rstrip("/"))
    assert r.returncode == 0, r.stderr


def test_kg_serve_without_the_setting_serves_a_store_built_with_base(built):
    """`kg serve` refuses a store without documents: it looks for them under the
    store's base, not the setting's default."""
    with kg_serve(str(built)) as (url, _):
        query = "SELECT ?g WHERE { GRAPH ?g { ?d a <https://w3id.org/bpkg/ontology#Disclosure> } }"
        with urllib.request.urlopen(url + "/sparql?" + urllib.parse.urlencode(
                {"query": query}), timeout=30) as r:
            rows = json.load(r)["results"]["bindings"]
    assert [row["g"]["value"] for row in rows] == [BASE + "graph/" + sample("001").stem]


def test_a_store_without_the_record_takes_its_base_from_its_catalog(tmp_path):
    """A store without the record (an older kg built it): its base is the one its
    catalog graph is named under, and the next build records it."""
    store = open_store(tmp_path / "s")
    build([sample("001")], store, base=BASE)
    store.update(f"DELETE WHERE {{ GRAPH ?g {{ ?s {VOID.uriSpace} ?o }} }}")
    del store
    gc.collect()
    store = open_store(tmp_path / "s")
    assert store.base_iri == BASE
    assert build([sample("001")], store).count("unchanged") == 1
    assert store.catalog_value(BASE + "catalog", BASE + "catalog", VOID.uriSpace.value) == BASE


def test_a_new_store_has_no_base_until_built(tmp_path):
    store = open_store(tmp_path / "s")
    assert store.base_iri is None
    build([sample("001")], store)
    assert store.base_iri == iris.base()


def test_a_sparql_server_keeps_the_base_too(tmp_path):
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(oxigraph_server(tmp_path / "oxigraph"))
        except ServerUnavailable as e:
            pytest.skip(str(e))
        store = open_store(url)
        assert store.base_iri is None
        assert build([sample("001")], store, base=BASE).count("loaded") == 1
        assert open_store(url, read_only=True).base_iri == BASE
        assert cli.main(["build", str(sample("001")), "--store", url, "--base", OTHER]) == 2
        assert open_store(url).stored_documents(OTHER + "catalog") == []


def test_kg_validate_finds_the_documents_of_a_store_built_under_its_own_base(built, tmp_path):
    """The same sample built under the default base gives the same findings: the
    validator looks for documents under the store's base, not the setting's."""
    default = tmp_path / "default"
    assert kg("build", str(sample("001")), "--store", str(default), "-q").returncode == 0
    answers = []
    for folder in (built, default):
        r = kg("validate", "--store", str(folder), "--format", "json", "-q")
        assert r.returncode in (0, 1) and "Traceback" not in r.stderr, r.stderr
        answers.append(json.loads(r.stdout))
    assert answers[0]["summary"]["graphs"] == 1  # data/ holds one 001 file
    timeless = [{k: v for k, v in a["summary"].items() if k not in ("seconds", "phases")}
                for a in answers]
    assert timeless[0] == timeless[1]
    assert [f["shape"] for f in answers[0]["findings"]] \
        == [f["shape"] for f in answers[1]["findings"]]


def test_kg_serve_says_it_serves_the_stores_base_when_the_setting_asks_another(
        built, monkeypatch):
    monkeypatch.setenv("KG_BASE", OTHER)
    with kg_serve(str(built)) as (url, proc):
        home = urllib.request.Request(url + "/", headers={"Accept": "application/json"})
        with urllib.request.urlopen(home, timeout=30) as r:
            assert json.load(r)["base"] == BASE
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert f"built under {BASE}; serving that base, not the setting's {OTHER}" in err
