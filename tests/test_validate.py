"""Shapes on the samples (every real inconsistency the samples print, at warning level,
on the right line, and no structural violation) and on corrupted documents (each
corruption gives its finding)."""
from __future__ import annotations

import gc
import json

import pytest

from kg import cli, iris
from kg.pipeline import build
from kg.store import open_store
from kg.validate import validate_store
from tests.support.corpus import generate
from tests.support.samples import sample


def warnings_of(report, text):
    return [f for f in report.findings if f.severity == "Warning" and text in f.message_en]


def test_samples_have_no_structural_violations(sample_validation):
    for report in sample_validation.values():
        assert [str(f) for f in report.findings if f.severity == "Violation"] == []


def test_001_tables_do_not_add_up_to_1500(sample_validation):
    (f,) = warnings_of(sample_validation["001"], "do not add up to the stated total")
    # the 28 tables add up to 1501.80, printed in canonical form
    assert f.first_line == 39 and "1501.8 ≠ 1500" in f.message_zh


def test_004_basic_expenditure_does_not_add_up(sample_validation):
    (f,) = warnings_of(sample_validation["004"], "basic expenditure is not")
    assert f.first_line == 96 and "1339.21" in f.message_en


def test_002_cost_target_above_budget(sample_validation):
    found = warnings_of(sample_validation["002"], "cost target is above")
    first = [f for f in found if f.first_line == 95]  # data/002 line 95: 9.19万元, budget 6.16
    assert first and "9.19万元" in first[0].message_zh and "6.16" in first[0].message_zh


def test_001_shifted_levels_are_reported(sample_validation):
    lines = {f.first_line for f in warnings_of(sample_validation["001"], "does not belong")}
    # project 17: rows at lines 1912 (经济效益 under 产出), 1940, 1947; project 27: 3002 …
    assert {1912, 1940, 1947, 3002} <= lines


def validate_text(tmp_path, text, shapes, ontology):
    doc = tmp_path / "in" / "000_variant.txt"
    doc.parent.mkdir(exist_ok=True)
    doc.write_text(text, encoding="utf-8")
    store = open_store(tmp_path / "st")
    build([doc], store)
    (report,) = validate_store(store, [iris.graph("000_variant")], shapes=shapes,
                               ontology=ontology)
    return report


@pytest.fixture(scope="module")
def text000():
    return sample("000").read_text(encoding="utf-8")


def test_impossible_plan(tmp_path, text000, shapes_graph, ontology_graph):
    # project 25 (data/000 line 2258-2261): 18.98 37.96 56.94 75.90 → 37.96 made 10.00
    text = text000.replace("\t37.96\n", "\t10.00\n", 1).replace("\t75.90\n\n\t绩效目标",
                                                                "\t70.00\n\n\t绩效目标", 1)
    r = validate_text(tmp_path, text, shapes_graph, ontology_graph)
    assert warnings_of(r, "goes down") and warnings_of(r, "does not end at 100% or at the budget")


def test_broken_amounts(tmp_path, text000, shapes_graph, ontology_graph):
    # project 1: fiscal funds 24.31 → 14.31 (line 60), and a budget that is not a number
    text = text000.replace("\t其中：财政    资金\n\t24.31", "\t其中：财政    资金\n\t14.31", 1)
    text = text.replace("\t预算数\n\t19.39", "\t预算数\n\t19.3九", 1)
    r = validate_text(tmp_path, text, shapes_graph, ontology_graph)
    (f,) = warnings_of(r, "do not equal the budget")
    assert "14.31" in f.message_zh and f.first_line == 47
    assert [x.first_line for x in warnings_of(r, "not a number")] == [148]  # data/000 line 148


def test_dropped_fields(tmp_path, text000, shapes_graph, ontology_graph):
    # project 2: its title and its 项目名称 dropped; project 3: its indicator header dropped
    text = text000.replace("[bookmark: _Toc_4_4_0000000005]2.anke替代经费绩效目标表\n", "", 1)
    text = text.replace("\t项目名称\n\tanke替代经费\n", "", 1)
    start = text.index("\t一级指标", text.index("《白沟新城服务企业科技创新十条措施》奖补资金"))
    text = text[:start] + text[start:].replace(
        "\t一级指标\n\t二级指标\n\t三级指标\n\t绩效指标描述\n\t指标值\n\t指标值确定依据\n", "", 1)
    r = validate_text(tmp_path, text, shapes_graph, ontology_graph)
    assert warnings_of(r, "neither a name nor a title")
    assert warnings_of(r, "has no indicators")


def test_a_violation_fails_validation(tmp_path, capsys, shapes_graph, ontology_graph):
    folder = tmp_path / "st"
    store = open_store(folder)
    build([sample("004")], store)
    project = iris.project("004_7f173a8bea485c98", 1)
    store.update(f"INSERT DATA {{ GRAPH <{iris.graph('004_7f173a8bea485c98')}> {{ "
                 f"<{project}> <{iris.BP}tableIndex> 99 }} }}")  # a second table index
    (report,) = validate_store(store, shapes=shapes_graph, ontology=ontology_graph)
    assert not report.conforms
    (f,) = [f for f in report.findings if f.severity == "Violation"]
    assert f.focus == project and f.path == iris.BP + "tableIndex"
    assert f.constraint == "MaxCountConstraintComponent" and f.file == "004_7f173a8bea485c98.txt"
    del store
    gc.collect()
    assert cli.main(["validate", "--store", str(folder), "-q"]) == 1
    assert "1 violations" in capsys.readouterr().out


def test_cli_validate_exit_codes_and_json(built_store, capsys):
    _, folder, _ = built_store
    assert cli.main(["validate", "--store", str(folder), "--format", "json"]) == 0  # warnings only
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["violations"] == 0 and out["summary"]["warnings"] >= 4
    assert all({"file", "first_line", "message_zh", "message_en", "focus"} <= set(f)
               for f in out["findings"])
    # where the time went: the steps of this run (nothing written without --load)
    phases = out["summary"]["phases"]
    assert list(phases) == ["documents listed, shapes read", "validated"]
    assert 0 < sum(phases.values()) <= out["summary"]["seconds"] + 0.01


def test_cli_summary_by_shape(built_store, capsys):
    _, folder, _ = built_store
    assert cli.main(["validate", "--store", str(folder), "-q"]) == 0
    out = capsys.readouterr().out
    # data/004 line 96
    assert "\nby shape:\n" in out and "\n  BasicAddsUp                  1 warning\n" in out
    assert "\n  ProjectsAddUpToTotal         1 warning\n" in out  # data/001 line 39


@pytest.mark.slow
def test_cli_engines_print_the_same(tmp_path, capsys):
    """``--engine pyshacl`` and the default print the same findings and summary (on a
    small generated document: pySHACL takes seconds per document)."""
    (path,) = generate(4, tmp_path / "in", seed=11)[3:]
    folder = tmp_path / "st"
    assert cli.main(["build", str(path), "--store", str(folder), "-q"]) == 0
    gc.collect()
    capsys.readouterr()
    outputs = []
    for engine in ("sparql", "pyshacl"):
        assert cli.main(["validate", "--store", str(folder), "--engine", engine, "-q"]) in (0, 1)
        out = capsys.readouterr().out
        outputs.append(out[:out.rindex("(")])  # the engine and its time differ
    assert outputs[0] == outputs[1] and "\n1 documents: " in outputs[0]
