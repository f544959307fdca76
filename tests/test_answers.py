"""Answers that are right: named query columns checked against the sample documents
(read from data/), query headers read whole, and the text table aligned on a terminal."""
from __future__ import annotations

import csv
import io
import unicodedata
from decimal import Decimal

from kg import cli, iris
from kg.queries import catalog
from kg.results import render, run
from tests.conftest import sample_lines

D002 = "002_d83939c0e0da9114"


def rows(store, name, **params):
    return list(csv.DictReader(io.StringIO(render(run(store, name, params), "csv").decode())))


def test_issuer_portfolio_fills_the_unit_and_names_the_document(built_store):
    store = built_store[0]
    got = rows(store, "issuer-portfolio", issuer="保财")
    assert got and all(r["unit"] and r["unitName"] for r in got if r["project"])
    assert all(r["document"] == r["project"].split("/project/")[0] for r in got if r["project"])
    assert not any("/graph/" in r["document"] for r in got)
    # data/002 table 24: the unit line under the title, then the budget
    lines = sample_lines("002")
    title = next(i for i, line in enumerate(lines) if "24.提前下达2025年中央就业补助资金" in line)
    unit_line = lines[title + 1].strip()  # "203001保定白沟新城党群工作部（本级）"
    budget = lines[lines.index("\t预算数", title) + 1].strip()
    (row,) = [r for r in got if r["number"] == "保财社〔2024〕87号"]
    assert row["document"] == iris.document(D002)
    assert unit_line.startswith("203001" + row["unitName"])
    assert Decimal(row["budget"]) == Decimal(budget)


def test_wrapped_header_lines_that_look_like_keys_are_kept():
    queries = catalog()
    text = lambda name: (queries[name].path.read_text(encoding="utf-8"))
    # each description ends with the last wrapped line of its header, whatever it starts with
    assert "its reach: directives, the projects citing them, documents and units." in \
        queries["issuers"].description
    assert "number: one row per text" in queries["shared-goals"].description
    assert queries["directive-lineage"].params[0].help == "a document number in any spelling"
    for name, q in queries.items():
        header = [line for line in text(name).splitlines() if line.startswith("#")]
        last_wrapped = [line[1:].strip() for line in header if line.startswith("#   ")]
        for piece in last_wrapped:
            assert any(piece in v for values in q.meta.values() for v in values), (name, piece)


def display_width(text: str) -> int:
    return sum(1 + (unicodedata.east_asian_width(c) in "WF") for c in text)


def test_table_aligns_chinese_by_display_width(built_store, capsys):
    store = built_store[1]
    assert cli.main(["query", "issuer-portfolio", "--param", "issuer=保财社",
                     "--store", str(store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rule, body = lines[0], lines[1], lines[2:-1]
    starts = [i for i, c in enumerate(rule) if c == "-" and (i == 0 or rule[i - 1] == " ")]
    column = starts[header.split().index("project")]  # after number and agencies: Chinese
    for line in body:
        cut = next(i for i in range(len(line) + 1) if display_width(line[:i]) >= column)
        assert display_width(line[:cut]) == column and line[cut:].startswith("https://"), line


def test_help_opens_with_what_kg_does(capsys):
    import pytest
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    first = out.split("\n\n")[1]  # after the usage line
    assert first.startswith("Read Chinese budget performance disclosures into a knowledge graph")
    assert "module" not in out and "exit codes: 0 ok" in out
