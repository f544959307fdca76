"""Validation reports kept in the store: replaced or dropped with their document, and
left alone (nothing validated, nothing written) while nothing changed."""
from __future__ import annotations

import gc
import json
import shutil

import pytest
import rdflib

from kg import cli, iris, validate
from kg.ontology import SHAPES_DIR
from kg.store import open_store
from kg.validation import pyshacl_engine
from tests.support.samples import sample

DOC = "000_ebdfb260618a708a"
REPORT = iris.graph(DOC).replace("/graph/", "/validation/", 1)
FISCAL = "\t其中：财政    资金\n\t24.31"  # data/000 line 60: project 1's fiscal funds


def kg(*args) -> int:
    code = cli.main([*args])
    gc.collect()  # the CLI's store must let go of the files before the next command
    return code


def messages(folder, graph=REPORT) -> list[str]:
    store = open_store(folder, read_only=True)
    rows = store.query(f"SELECT ?m WHERE {{ GRAPH <{graph}> {{ ?r "
                       f"<http://www.w3.org/ns/shacl#resultMessage> ?m }} }}")
    out = sorted(r["m"].value for r in rows)
    del store
    gc.collect()
    return out


def version(folder) -> str:
    store = open_store(folder, read_only=True)
    v = store.version
    del store
    gc.collect()
    return v


def summary(capsys, with_findings=False):
    out = json.loads(capsys.readouterr().out)
    return (out["summary"], out["findings"]) if with_findings else out["summary"]


@pytest.mark.slow
def test_a_changed_document_loses_its_old_findings(tmp_path, capsys):
    """Project 1's fiscal funds misprinted as 14.31, then as 15.31: after the second
    build the stored report no longer says 14.31, and after validating it says 15.31."""
    text = sample("000").read_text(encoding="utf-8")
    doc = tmp_path / "in" / sample("000").name
    doc.parent.mkdir()
    doc.write_text(text.replace(FISCAL, FISCAL.replace("24.31", "14.31"), 1), encoding="utf-8")
    folder = str(tmp_path / "st")
    assert kg("build", str(doc), "--store", folder, "-q") == 0
    assert kg("validate", "--store", folder, "--load", "-q") == 0
    assert any("14.31 + 0 ≠ 24.31" in m for m in messages(folder))
    doc.write_text(text.replace(FISCAL, FISCAL.replace("24.31", "15.31"), 1), encoding="utf-8")
    assert kg("build", str(doc), "--store", folder, "-q") == 0
    assert not any("14.31" in m for m in messages(folder))  # dropped with the old version
    capsys.readouterr()
    assert kg("validate", "--store", folder, "--load", "-q", "--format", "json") == 0
    assert summary(capsys)["validated"] == 1
    found = messages(folder)
    assert any("15.31 + 0 ≠ 24.31" in m for m in found) and not any("14.31" in m for m in found)


@pytest.mark.slow
def test_pruning_a_document_drops_its_report(tmp_path):
    folder = str(tmp_path / "st")
    assert kg("build", str(sample("000")), str(sample("004")), "--store", folder, "-q") == 0
    assert kg("validate", "--store", folder, "--load", "-q") == 0
    store = open_store(folder, read_only=True)
    assert REPORT in store.named_graphs()
    del store
    gc.collect()
    assert kg("build", str(sample("004")), "--store", folder, "--prune", "-q") == 0
    store = open_store(folder, read_only=True)
    reports = [g for g in store.named_graphs() if "/validation/" in g]
    assert reports == [REPORT.replace(DOC, "004_7f173a8bea485c98")]


def test_validate_load_keeps_reports_while_nothing_changed(tmp_path, capsys):
    """A second ``validate --load`` with nothing changed validates nothing and writes
    nothing (the store's version, which its kept report answers belong to, stays);
    its findings are read back from the stored reports."""
    folder = tmp_path / "st"
    assert kg("build", str(sample("004")), "--store", str(folder), "-q") == 0
    capsys.readouterr()
    assert kg("validate", "--store", str(folder), "--load", "-q", "--format", "json") == 0
    first, found = summary(capsys, with_findings=True)
    before = version(folder)
    assert kg("validate", "--store", str(folder), "--load", "-q", "--format", "json") == 0
    second, kept = summary(capsys, with_findings=True)
    assert kept == found  # read back from the stored report, located as when made
    assert first["validated"] == 1 and second["validated"] == 0 and second["unchanged"] == 1
    assert second["warnings"] == first["warnings"] >= 1  # data/004 line 96: 基本支出
    assert version(folder) == before != ""


@pytest.mark.slow
def test_reports_of_documents_no_longer_stored_are_dropped(tmp_path):
    """A report left by an older version of kg (its document removed without it) is
    dropped by the next ``validate --load``."""
    folder = tmp_path / "st"
    assert kg("build", str(sample("004")), "--store", str(folder), "-q") == 0
    store = open_store(folder)
    orphan = REPORT.replace(DOC, "999_gone")
    store.update(f"INSERT DATA {{ GRAPH <{orphan}> {{ <{orphan}#report> a "
                 f"<http://www.w3.org/ns/shacl#ValidationReport> ; "
                 f"<http://purl.org/dc/terms/identifier> \"x\" }} }}")
    del store
    gc.collect()
    assert kg("validate", "--store", str(folder), "--load", "-q") == 0
    assert orphan not in open_store(folder, read_only=True).named_graphs()
    shutil.rmtree(folder)


GOALS_IN_ENGLISH = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix bp: <https://w3id.org/bpkg/ontology#> .
<urn:kg-test:GoalInEnglish> a sh:NodeShape ; sh:targetClass bp:Goal ;
    sh:property [ sh:path bp:text ; sh:languageIn ( "en" ) ] ."""


def test_fallbacks_named_while_reports_are_kept_and_ontology_parsed_once(tmp_path, monkeypatch,
                                                                         capsys):
    """A shape left to pySHACL (sh:languageIn is not compiled) is named in the summary
    when the first document's report is kept and another's is made, and when every
    report is kept; one ``kg validate`` parses the ontology once."""
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    for f in SHAPES_DIR.glob("*.ttl"):
        shutil.copy(f, shapes)
    (shapes / "zz-extra.ttl").write_text(GOALS_IN_ENGLISH, encoding="utf-8")
    monkeypatch.setattr(pyshacl_engine, "SHAPES_DIR", shapes)
    folder = str(tmp_path / "st")
    assert kg("build", str(sample("000")), str(sample("004")), "--store", folder, "-q") == 0
    assert kg("validate", "--store", folder, "--load", "-q") == 1  # the goals are in Chinese
    store = open_store(folder)
    last = validate.document_graphs(store)[-1]
    store.drop_graph(validate.results_graph_iri(last))  # its report missing: made again
    del store
    gc.collect()
    parsed: list[str] = []
    parse = rdflib.Graph.parse

    def counted(self, source=None, *args, **kwargs):
        parsed.append(str(source))
        return parse(self, source, *args, **kwargs)
    monkeypatch.setattr(rdflib.Graph, "parse", counted)
    capsys.readouterr()
    assert kg("validate", "--store", folder, "--load", "-q", "--format", "json") == 1
    first = summary(capsys)
    assert (first["validated"], first["unchanged"]) == (1, 1)
    assert [f["shape"] for f in first["fallbacks"]] == ["urn:kg-test:GoalInEnglish"]
    assert first["by_shape"]["urn:kg-test:GoalInEnglish"]["Violation"] > 0
    assert sum(p.endswith("bp.ttl") for p in parsed) == 1
    assert kg("validate", "--store", folder, "--load", "-q", "--format", "json") == 1
    second = summary(capsys)
    assert (second["validated"], second["unchanged"]) == (0, 2)
    assert second["fallbacks"] == first["fallbacks"]
