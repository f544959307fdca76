"""Spans of .docx and HTML sources are paragraphs in document order: the graph says
so (a layout selector naming table, row, cell and paragraph) and the site shows those
places, while a text source keeps its RFC 5147 line selector.  The .docx and HTML
files are the golden sample written by tests/support/writers.py, read by the real
front ends."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from kg import iris
from kg.map.document import map_disclosure
from kg.pipeline import extract_file
from tests.servers import built_page
from tests.support.variants import from_text
from tests.support.writers import to_docx, to_html
from tests.test_map import BASE, GOLDEN_INPUT, as_rdflib

BP = rdflib.Namespace(iris.BP)
OA = rdflib.Namespace(iris.NS["oa"])
PROV = rdflib.Namespace(iris.NS["prov"])
#: input.txt's table, row by row (a blank line ends a row): unit, code and name,
#: budget, purpose, plan heading, plan values, goals, indicator header, and then the
#: first indicator 网线数量 in row 9, six cells (一级 … 指标值确定依据)
FIRST_INDICATOR = ("table 1, row 9, cell 1,", "table 1, row 9, cell 6,")


def written(folder: Path, suffix: str) -> Path:
    doc = from_text(GOLDEN_INPUT.read_text(encoding="utf-8"))
    path = folder / f"golden{suffix}"
    if suffix == ".docx":
        path.write_bytes(to_docx(doc))
    else:
        path.write_text(to_html(doc), encoding="utf-8")
    return path


def indicator_span(g: rdflib.Graph, level3: str):
    (ind,) = g.subjects(BP.level3, rdflib.Literal(level3, lang="zh"))
    return g.value(ind, PROV.wasDerivedFrom)


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_paragraph_spans_name_table_row_cell(tmp_path, suffix):
    path = written(tmp_path, suffix)
    g = as_rdflib(map_disclosure(extract_file(path), BASE)[1])
    span = indicator_span(g, "网线数量")
    sel = g.value(span, OA.hasSelector)
    assert (sel, rdflib.RDF.type, BP.LayoutSelector) in g
    first, last = str(g.value(sel, BP.firstLocation)), str(g.value(sel, BP.lastLocation))
    assert first.startswith(FIRST_INDICATOR[0]) and last.startswith(FIRST_INDICATOR[1])
    assert str(sel).startswith(iris.source(path.stem, BASE) + "#paragraph=")
    assert str(g.value(span, rdflib.RDFS.label)) == f"{first} – {last[len('table 1, row 9, '):]}"
    assert not [o for o in g.objects(None, OA.hasSelector) if "#line=" in str(o)]


def test_text_spans_keep_their_line_selector():
    g = as_rdflib(map_disclosure(extract_file(GOLDEN_INPUT), BASE)[1])
    span = indicator_span(g, "网线数量")
    # input.txt lines 46-51 hold the row 网线数量: RFC 5147 counts from 0
    assert str(g.value(span, OA.hasSelector)).endswith("#line=45,51")
    assert g.value(span, rdflib.RDFS.label) is None
    assert not list(g.subjects(rdflib.RDF.type, BP.LayoutSelector))


def test_site_shows_table_row_cell_for_a_docx_source(tmp_path):
    path = written(tmp_path, ".docx")
    page = built_page(path, tmp_path / "store", f"/doc/{path.stem}/project/1/indicator/1")
    assert "printed at: golden/L" in page
    assert "table 1, row 9, cell 1, paragraph 1 – cell 6, paragraph 1</p>" in page
    assert " lines " not in page
