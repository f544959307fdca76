"""How the disclosure walk hands project tables to the project reader: each table's
rows are prepared once, and what follows a project table is not read into it."""
from __future__ import annotations

from kg.extract import project
from kg.extract.disclosure import extract
from kg.read.layout import Table, parse_layout
from kg.read.text import SourceText
from tests.support.samples import sample


def read(text: str, name: str = "variant.txt"):
    src = SourceText(name, text, "utf-8", "0" * 64, len(text.encode()))
    return extract(src, parse_layout(text, name))


def test_a_split_header_is_joined_once_per_table(monkeypatch):
    """The reader prepares a table's rows once: the check that it is a project table
    and the project reader share them."""
    calls = []
    join = project.join_split_header

    def counted(rows):
        calls.append(len(rows))
        return join(rows)

    monkeypatch.setattr(project, "join_split_header", counted)
    text = sample("000").read_text(encoding="utf-8")
    layout = parse_layout(text, "000.txt")
    d = read(text, "000.txt")
    assert d.projects
    assert len(calls) == sum(isinstance(b, Table) for b in layout.blocks)


def test_a_small_table_after_a_short_last_row_is_not_glued_to_it():
    """data/004 project 1 ends with the indicator row of lines 217-223: a merged (empty)
    level-1 cell on line 218, then 服务对象满意度指标 / 群众满意度（%） /
    调查群众对物价相关工作的满意度 / ≥90% / 调查问卷.  Printed by a converter that
    leaves the merged cell out, the row has five cells; a one-cell table (备注：无) or a
    two-cell one (备注 | 无) after it is not its missing half: the document's nine
    indicators of project 1 stay as printed and the small table is kept as unplaced."""
    lines = sample("004").read_text(encoding="utf-8").split("\n")
    assert lines[217] == "\t" and lines[222] == "\t调查问卷"
    short = lines[:217] + lines[218:]
    for table in (["\t备注：无"], ["\t备注", "\t无"]):
        d = read("\n".join(short[:222] + ["", *table] + short[222:]))
        p = d.projects[0]
        assert len(p.indicators) == 9
        last = p.indicators[-1]
        assert (last.level1, last.level2, last.level3, last.description,
                last.target.printed, last.basis.printed) == (
            "满意度指标", "服务对象满意度指标", "群众满意度（%）",
            "调查群众对物价相关工作的满意度", "≥90%", "调查问卷")
        assert [u.text for u in d.unplaced if "备注" in u.text] == [" | ".join(
            t.strip() for t in table)]


def test_a_two_cell_table_after_a_project_is_not_an_indicator():
    """data/000 project 1 prints six indicator rows under its header (line 85), the last
    ending with 调查问卷 on line 132; a table 备注 | 无 printed right after it adds none."""
    lines = sample("000").read_text(encoding="utf-8").split("\n")
    assert lines[131] == "\t调查问卷"
    d = read("\n".join(lines[:133] + ["\t备注", "\t无", ""] + lines[133:]))
    assert len(d.projects[0].indicators) == 6
    assert [u.text for u in d.unplaced] == ["备注 | 无"]
