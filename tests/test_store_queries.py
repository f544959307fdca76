"""Build into the real embedded store, then the named queries: counts and facts read
from the documents (the counts' lines: tests/extract/test_samples.py)."""
from __future__ import annotations

import gc
import json
from collections import Counter
from decimal import Decimal

import pytest

from kg import cli, iris
from kg.pipeline import build
from kg.queries import QueryError, catalog
from kg.results import render, run
from kg.store import open_store
from tests.servers import STORE_KINDS
from tests.support.queries import rows
from tests.support.samples import sample


@pytest.fixture(scope="module", params=STORE_KINDS)
def built_store(request, built_stores):
    """data/ built into each kind of store (embedded first): every test here runs
    on each and must give the same answers."""
    return built_stores(request.param)

COUNTS = {"000": (27, 164), "001": (28, 246), "002": (31, 205), "004": (39, 356)}


def by_doc(rows_):
    return Counter(r["document"].rsplit("/", 1)[1][:3] for r in rows_)


def test_build_loads_four_graphs(built_store):
    store, _, report = built_store
    assert report.count("loaded") == 4 and report.count("failed") == 0
    graphs = store.named_graphs()
    assert sum("/graph/" in g for g in graphs) == 4 and iris.ONTOLOGY in graphs


def test_projects_query_counts_and_columns(built_store):
    store = built_store[0]
    got = rows(store, "projects")
    assert (list(got[0]) == "project document documentLabel unitCode unitName code name year "
            "budget fiscalFunds otherFunds".split())
    assert by_doc(got) == {k: v[0] for k, v in COUNTS.items()}
    first = got[0]  # data/000 lines 47-62
    assert (first["unitCode"], first["unitName"], first["code"], first["name"], first["year"]) == (
        "303001", "保定白沟新城改革发展科技局", "13060526P00000910004L", "2026年统计调查资金",
        "2026")
    assert Decimal(first["budget"]) == Decimal("24.31") and first["otherFunds"] == ""
    d001 = [r for r in got if "/001_" in r["document"]]
    # data/001: line 39 states 1500
    assert sum(Decimal(r["budget"]) for r in d001) == Decimal("1501.80")
    assert all(r["budget"] == "" for r in got if "/004_" in r["document"])  # 004 prints none


def test_indicators_query(built_store):
    got = rows(built_store[0], "indicators")
    assert (list(got[0]) == "project document documentLabel level1 level2 level3 description "
            "target basis".split())
    assert by_doc(got) == {k: v[1] for k, v in COUNTS.items()}
    second = got[1]  # data/000 lines 99-104: level 1 printed empty, filled down
    assert ((second["level1"], second["level2"], second["target"])
            == ("产出指标", "质量指标", "100%"))
    # one document's indicators (parameter document): its rows of the whole listing
    for doc in {r["document"] for r in got}:
        one = rows(built_store[0], "indicators", document=doc)
        assert one == [r for r in got if r["document"] == doc]
        assert len(one) == COUNTS[doc.rsplit("/", 1)[1][:3]][1]


def test_directives_query(built_store):
    got = {r["number"]: r for r in rows(built_store[0], "directives")}
    assert len(got) == 2 + 9 + 8  # data/000, 002, 004; no number is shared
    r = got["保财社〔2025〕87号"]
    assert (r["issuerCode"], r["year"], r["serial"]) == ("保财社", "2025", "87")
    assert r["title"] == "关于提前下达2026年省级就业补助资金预算的通知"
    # printed at data/002 lines 577, 584 (project 7 title, name), 710, 717 (basis) and 916
    assert r["citations"] == "5"
    assert "冀财教〔2020〕181号" in got and "保财社〔2025〕35号" in got


def test_named_queries_have_headers():
    for q in catalog().values():
        assert q.title and q.description and q.columns, q.name


def test_parameters_are_bound_not_pasted(built_store, tmp_path):
    store = built_store[0]
    with pytest.raises(QueryError, match="no parameter"):
        run(store, "projects", {"evil": "x"})
    with pytest.raises(QueryError, match="no named query"):
        run(store, "nosuchquery")
    with pytest.raises(QueryError, match="malformed"):
        run(store, "SELECT * WHERE { ?s ?p }")
    q = tmp_path / "by_code.rq"
    q.write_text("# name: by-code\n# title: t\n# description: d\n# param: code string a code\n"
                 "# columns: name\nPREFIX bp: <https://w3id.org/bpkg/ontology#>\n"
                 "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                 "SELECT ?code ?name WHERE { ?p bp:projectCode ?code ; rdfs:label ?name }\n",
                 encoding="utf-8")
    res = run(store, str(q), {"code": "13060526P00008610006L"})
    assert [s["name"].value for s in res] == ["2026年省级就业补助资金 保财社【2025】87号"]
    injected = run(store, str(q), {"code": '" } ?x ?y ?z { "'})
    assert list(injected) == []


@pytest.mark.slow
def test_rebuild_skips_unchanged_and_replaces_changed(tmp_path):
    store = open_store(tmp_path / "s")
    doc = tmp_path / "in" / "000_x.txt"
    doc.parent.mkdir()
    doc.write_bytes(sample("000").read_bytes())
    assert build([doc.parent], store).count("loaded") == 1
    graph = iris.graph("000_x")
    before = store.canonical_nquads(graph)
    assert build([doc.parent], store).count("unchanged") == 1
    assert build([doc.parent], store, force=True).count("loaded") == 1
    assert store.canonical_nquads(graph) == before  # byte-identical rebuild
    doc.write_text(sample("000").read_text(encoding="utf-8").replace("24.31", "25.31"),
                   encoding="utf-8")
    assert build([doc.parent], store).count("loaded") == 1
    budgets = rows(store, "projects")
    assert len(budgets) == 27 and budgets[0]["budget"] == "25.31"


def test_cli_query_json_equals_library(built_store, capsys):
    store, folder, _ = built_store
    assert cli.main(["query", "directives", "--store", str(folder), "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    lib = json.loads(render(run(store, "directives"), "json"))
    assert printed == lib


def test_cli_build_dump_and_bom(tmp_path, capsys):
    folder = tmp_path / "st"
    assert cli.main(["build", str(sample("001")), "--store", str(folder), "--dump",
                     str(tmp_path / "d")]) == 0
    assert ((tmp_path / "d" / "dump.nq").stat().st_size > 0
            and (tmp_path / "d" / "dump.ttl").exists())
    capsys.readouterr()
    assert cli.main(["query", "projects", "--store", str(folder), "--format", "csv", "--bom"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeffproject,document,") and "\r\n" in out
    assert cli.main(["query", "projects", "--store", str(tmp_path / "none")]) == 2


def test_parallel_build_loads_every_document_and_reports_failures(tmp_path):
    from tests.support.corpus import generate, manifest
    docs = generate(9, tmp_path / "in")
    docs[3].write_bytes(b"\x00binary")  # one broken document in the batch
    store = open_store(tmp_path / "s")
    report = build([tmp_path / "in"], store, workers=2)
    assert report.count("loaded") == 8 and report.count("failed") == 1
    (failed,) = [d for d in report.documents if d.status == "failed"]
    assert failed.file.endswith(docs[3].name) and "binary file" in failed.error
    # every table the generator wrote (its manifest), but the broken document's
    expected = sum(m["tables"] for m in manifest(tmp_path / "in") if m["file"] != docs[3].name)
    assert len(rows(store, "projects")) == expected


def test_a_graph_without_its_catalog_entry_is_reloaded(tmp_path):
    """The catalog entry is written last: a build killed before it leaves a graph the
    next build does not trust."""
    store = open_store(tmp_path / "s")
    build([sample("000")], store)
    graph = iris.graph("000_ebdfb260618a708a")
    store.store.update(f"DELETE WHERE {{ GRAPH <{iris.catalog_graph()}> {{ <{graph}> ?p ?o }} }}")
    report = build([sample("000")], store)
    assert report.count("loaded") == 1 and report.count("unchanged") == 0
    assert by_doc(rows(store, "projects")) == {"000": 27}


@pytest.mark.slow
def test_validation_reports_can_be_kept_in_the_store(tmp_path, capsys):
    folder = tmp_path / "st"
    assert cli.main(["build", str(sample("004")), "--store", str(folder)]) == 0
    assert cli.main(["validate", "--store", str(folder), "--load"]) == 0
    capsys.readouterr()
    gc.collect()  # the writer (kept alive by a reference cycle) must let go of the files
    store = open_store(folder, read_only=True)
    assert iris.graph("004_7f173a8bea485c98").replace("/graph/",
                                                      "/validation/") in store.named_graphs()
    res = run(store, "PREFIX sh: <http://www.w3.org/ns/shacl#> "
                     "SELECT (COUNT(?r) AS ?n) WHERE { ?r sh:resultSeverity sh:Warning }")
    assert int(next(iter(res))["n"].value) >= 1  # data/004 line 96: 基本支出
