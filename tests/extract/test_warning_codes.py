"""The warning catalogue (kg/warnings.py) is the one list of codes: every code the
extractor can emit is in it, every entry is emitted somewhere, and a code not in it
cannot be emitted."""
from __future__ import annotations

import ast
from pathlib import Path
from string import Formatter

import pytest

from kg import warnings
from kg.extract.context import Context
from kg.pipeline import extract_file
from tests.support.samples import ROOT, sample


def warn_calls() -> list[tuple[str, int, ast.Call]]:
    """Every ``….warn(line, code, …)`` call of the extractor (the only user of
    ``Context``), with its file and line."""
    out = []
    for f in sorted((ROOT / "kg" / "extract").rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "warn"):
                out.append((str(Path(f).relative_to(ROOT)), node.lineno, node))
    return out


def test_every_emitted_code_is_catalogued_and_every_entry_emitted():
    calls = warn_calls()
    assert len(calls) >= len(warnings.CATALOGUE)
    emitted = set()
    for where, line, call in calls:
        code = call.args[1] if len(call.args) > 1 else None
        assert isinstance(code, ast.Constant) and isinstance(code.value, str), \
            f"{where}:{line}: the warning code must be a literal from kg/warnings.py"
        assert code.value in warnings.CATALOGUE, f"{where}:{line}: {code.value!r}"
        # the fields given are the ones the message needs
        needed = {f for _, f, _, _ in Formatter().parse(
            warnings.CATALOGUE[code.value].message) if f}
        assert {k.arg for k in call.keywords} == needed, f"{where}:{line}"
        emitted.add(code.value)
    assert emitted == set(warnings.CATALOGUE), "catalogued but never emitted"


def test_a_code_not_in_the_catalogue_cannot_be_emitted():
    ctx = Context("a.txt")
    with pytest.raises(KeyError, match="not in kg.warnings.CATALOGUE"):
        ctx.warn(1, "no-such-code")
    ctx.warn(3, "bad-amount", field="budget", printed="见附件")
    (w,) = ctx.warnings
    assert str(w) == "a.txt:3: bad-amount: budget '见附件' is not an amount"


def test_a_short_row_says_what_it_saw(tmp_path):
    """data/000 cut after line 1995: the header (lines 1986-1991) has six columns, the
    last row (1993-1995) three cells, the first of them 产出指标, a level-1 name."""
    lines = sample("000").read_text(encoding="utf-8").split("\n")
    (tmp_path / "cut.txt").write_text("\n".join(lines[:1995]), encoding="utf-8")
    (w,) = [w for w in extract_file(tmp_path / "cut.txt").warnings if w.code == "short-row"]
    assert (w.line, w.message) == (1993, "indicator row has 3 cells, expected 6; its first "
                                   "cell names a level1 indicator, so it is read from there")


def test_the_codes_are_documented():
    text = (ROOT / "docs" / "warnings.md").read_text(encoding="utf-8")
    for code in warnings.CATALOGUE:
        assert f"| `{code}` |" in text
