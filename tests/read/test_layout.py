"""Layout on real text from the samples: every case named in the reader issue."""
from __future__ import annotations

from kg.read.layout import Paragraph, Table, parse_layout, rejoin_split_rows
from tests.support.samples import sample


def layout(prefix):
    path = sample(prefix)
    return parse_layout(path.read_text(encoding="utf-8"), str(path))


def cell_at(lay, line):
    for b in lay.blocks:
        if isinstance(b, Table):
            for r in b.rows:
                for c in r.cells:
                    if c.first <= line <= c.last:
                        return c, r
    raise AssertionError(f"no cell at line {line}")


def test_bookmark_is_removed_from_the_title_and_kept():
    lay = layout("000")
    (title,) = [b for b in lay.blocks if isinstance(b, Paragraph) and b.line == 47]
    assert title.text == "1.2026年统计调查资金绩效目标表"
    assert title.bookmarks == ["_Toc_4_4_0000000004"]


def test_tab_padding_is_removed_and_noted():
    # data/000 line 65: the purpose cell is followed by six TABs
    cell, _ = cell_at(layout("000"), 65)
    assert cell.text == "发放统计调查资金，保障统计工作正常进行"
    assert "tab-padding" in cell.notes


def test_lone_tab_cells_are_empty_cells():
    # data/001 lines 18-22: the organisation table's second row, five empty cells
    _, row = cell_at(layout("001"), 18)
    assert row.texts == ["", "", "", "", ""]
    assert (row.first, row.last) == (18, 22)


def test_continuation_line_without_tab_joins_the_cell():
    # data/004 lines 150-151: goal 2 continues on a line without TAB
    cell, _ = cell_at(layout("004"), 151)
    assert cell.first == 150 and cell.last == 151
    assert (cell.text.splitlines()[1]
            == "2.落实县级管理的有关公用事业和公共服务价格的调整及政策措施。")


def test_continuation_after_a_blank_line_joins_the_cell():
    # data/002 lines 420, 422, 424: three goals, blank lines between
    cell, _ = cell_at(layout("002"), 422)
    assert (cell.first, cell.last) == (420, 424)
    assert [line[:2] for line in cell.text.splitlines()] == ["1.", "2.", "3."]


def test_spreadsheet_quotes_are_removed():
    # data/000 lines 875-876: `"保障人员工资发放的及时，工作顺利开展` then a line `"`
    cell, _ = cell_at(layout("000"), 875)
    assert cell.text == "保障人员工资发放的及时，工作顺利开展"
    assert {"quoted", "quote-line"} <= set(cell.notes)
    # data/000 line 967: the quote closes after inner TABs on the same line
    cell, _ = cell_at(layout("000"), 967)
    assert cell.text == "发放第四次全国农业普查经费，保障统计工作正常进行"


def test_split_row_is_rejoined_to_six_cells():
    # data/000 project 22: lines 1993-1996, a blank line, then 1998-1999
    lay = layout("000")
    _, first = cell_at(lay, 1993)
    _, second = cell_at(lay, 1998)
    assert len(first.cells) == 4 and len(second.cells) == 2
    (row,) = rejoin_split_rows([first, second], 6)
    assert row.texts == ["产出指标", "数量指标", "支持购买设计服务数量", "支持购买设计服务数量",
                         "1个", "保财建[2025]69号"]


def test_title_after_an_empty_cell_is_a_paragraph_not_a_continuation():
    # data/001 line 236 is a lone TAB, line 237 the next project's title
    lay = layout("001")
    assert any(isinstance(b, Paragraph) and b.line == 237
               and b.text == "2、日常公用经费项目绩效目标"
               for b in lay.blocks)


def test_crlf_and_missing_final_newline():
    lay = parse_layout("标题\r\n\t甲\r\n\t乙", "x.txt")
    assert [type(b).__name__ for b in lay.blocks] == ["Paragraph", "Table"]
    assert lay.blocks[1].rows[0].texts == ["甲", "乙"]
