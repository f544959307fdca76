"""The ministry template's 项目支出实施期 reaches the graph as printed."""
from __future__ import annotations

import rdflib

from kg import iris
from kg.map.document import map_disclosure
from kg.pipeline import extract_file
from tests.test_map import BASE, GOLDEN_INPUT, as_rdflib

BP = rdflib.Namespace(iris.BP)


def test_implementation_period_is_mapped_as_printed(tmp_path):
    text = GOLDEN_INPUT.read_text(encoding="utf-8")
    row = "\t项目名称\n\t统计网络租赁费\n"
    assert row in text
    path = tmp_path / "ministry_labels.txt"
    path.write_text(text.replace(row,
                                 "\t项目支出名称\n\t统计网络租赁费\n\t项目支出实施期\n\t2026年1月"
                                 "-12月\n", 1),
                    encoding="utf-8")
    g = as_rdflib(map_disclosure(extract_file(path), BASE)[1])
    project = rdflib.URIRef(iris.project(path.stem, 1, BASE))
    assert list(g.objects(project, BP.implementationPeriod)) == \
        [rdflib.Literal("2026年1月-12月", lang="zh")]
    assert str(g.value(project, rdflib.RDFS.label)) == "统计网络租赁费"


def test_no_period_printed_no_triple():
    g = as_rdflib(map_disclosure(extract_file(GOLDEN_INPUT), BASE)[1])
    assert not list(g.subject_objects(BP.implementationPeriod))
