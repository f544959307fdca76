"""How much of a document was understood is in its graph and on its page: a real
document with lines the reader cannot place, read, mapped, built into a real store
and served by the real ``kg serve``."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import rdflib
from kg import iris
from kg.map.document import map_disclosure
from kg.pipeline import extract_file
from tests.servers import built_page
from tests.test_map import BASE, GOLDEN_INPUT, as_rdflib

#: counted by hand in input.txt: 90 lines, 61 of them with text, all in its one table
GOLDEN_TEXT_LINES = 61
#: a paragraph (read as a statement: it keeps the table below apart from the project
#: table) and a table that no template knows: 4 lines with text, none of them placed
JUNK = "随附说明\n\n\t备注\n\t本表数据仅供参考\n\n\t填表人\n\t张三\n\n"
JUNK_TEXT_LINES = 5
JUNK_UNPLACED = 4


def half_read(folder: Path) -> Path:
    """The golden input with a table the reader does not know appended."""
    text = GOLDEN_INPUT.read_text(encoding="utf-8").rstrip("\n") + "\n\n\n" + JUNK
    path = folder / "junk_appended.txt"
    path.write_text(text, encoding="utf-8")
    return path


def source_facts(path: Path) -> dict[str, rdflib.term.Node]:
    g = as_rdflib(map_disclosure(extract_file(path), BASE)[1])
    src = rdflib.URIRef(iris.source(path.stem, BASE))
    return {p[len(iris.BP):]: o for p, o in g.predicate_objects(src) if p.startswith(iris.BP)}


def test_source_text_states_lines_read_and_unplaced(tmp_path):
    facts = source_facts(half_read(tmp_path))
    lines = GOLDEN_TEXT_LINES + JUNK_TEXT_LINES
    assert int(facts["contentLines"]) == lines
    assert int(facts["unplacedLines"]) == JUNK_UNPLACED
    assert facts["coverage"].datatype == rdflib.XSD.decimal
    # (66 - 4) / 66 = 0.93939…
    assert facts["coverage"].toPython() == Decimal("0.9394")


def test_fully_read_document_has_coverage_one():
    facts = source_facts(GOLDEN_INPUT)
    assert int(facts["contentLines"]) == GOLDEN_TEXT_LINES
    assert int(facts["unplacedLines"]) == 0
    assert facts["coverage"].toPython() == 1


def test_document_page_says_how_much_was_read(tmp_path):
    path = half_read(tmp_path)
    page = built_page(path, tmp_path / "store", f"/doc/{path.stem}")
    assert "read 93.94 % of 66 lines with text" in page
    assert '<a href="#unplaced">4 not placed' in page
    unplaced = page[page.index('<table id="unplaced">'):]
    unplaced = unplaced[:unplaced.index("</table>")]
    for text in ("备注", "本表数据仅供参考", "填表人", "张三"):
        assert text in unplaced
