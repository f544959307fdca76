"""How the disclosure walk hands project tables to the project reader: each table's
rows are prepared once, and what follows a project table is not read into it."""
from __future__ import annotations

from kg.extract import project
from kg.extract.disclosure import extract
from kg.read.layout import Table, parse_layout
from kg.read.text import SourceText
from tests.conftest import sample


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
