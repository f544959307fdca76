"""Tika text → layout (the model in ``model``): the plain-text front end.

The input is the plain text Apache Tika makes of a .docx (``PUT /tika``,
``Accept: text/plain``):

* a table cell is a line that starts with a TAB; a blank line ends a table row;
* an empty (or vertically merged) cell is a lone TAB;
* a cell's further paragraphs continue on lines without a TAB, sometimes after one
  blank line (an empty paragraph in the cell: the row goes on after it);
* Word bookmarks show as ``[bookmark: NAME]`` at the start of a paragraph;
* text pasted from spreadsheets leaves quotes (``"…`` … ``"``) and runs of TABs.

This module knows nothing about budgets: it only rebuilds the structure, keeps the
printed text and records every artefact it removed, so nothing is lost silently.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .model import _BOOKMARK, Block, Cell, Layout, Paragraph, Part, Row, Table  # noqa: F401

_QUOTES_ONLY = re.compile(r'^"+$')
_LEAD_QUOTE = re.compile(r'^((?:\d+[.、．])?)"+')
# A line without TAB that must not be taken as a cell's continuation: a part or
# numbered section heading, or a table title ending in 绩效目标(表).
_HEADING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、"
    r"|\S.{0,80}(?:绩效目标表?|绩效目标申报表)\s*$)")


_NUMBERED_HEADING = re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、)")


def _clean_cell_text(raw: str, notes: list[str]) -> str:
    text = raw.rstrip("\t")
    if text != raw:
        notes.append("tab-padding")
    if "\t" in text:
        notes.append("inner-tab")
        text = re.sub(r"\s*\t+\s*", " ", text)
    return text


def _unquote(cell: Cell) -> None:
    """Undo spreadsheet quoting: a cell pasted from Excel as ``"text`` + ``"`` lines."""
    if not any('"' in part.text for part in cell.parts):  # nothing to undo (most cells)
        return
    kept = []
    for part in cell.parts:
        if _QUOTES_ONLY.match(part.text.strip()):
            if "quote-line" not in cell.notes:
                cell.notes.append("quote-line")
            part.text = ""
        kept.append(part)
    for part in kept:
        new = _LEAD_QUOTE.sub(r"\1", part.text)
        new = re.sub(r'"+$', "", new) if new != part.text else new
        if new != part.text:
            part.text = new.replace('""', '"')
            if "quoted" not in cell.notes:
                cell.notes.append("quoted")


def _label_fragment(cell: Cell, line: str) -> bool:
    """A short line after a short cell is the rest of a label Word broke in two
    (实施 / 期绩效目标), not a title: titles name a project before 绩效目标."""
    return len(line.strip()) <= 6 and 0 < len("".join(p.text.strip() for p in cell.parts)) <= 6 \
        and not _NUMBERED_HEADING.match(line)


def parse_layout(text: str, file: str = "<text>") -> Layout:
    """Rebuild paragraphs, tables, rows and cells from Tika plain text.

    >>> lay = parse_layout("标题\\n\\t项目名称\\n\\t统计调查\\n\\n\\t预算数\\n\\t24.31\\n")
    >>> [type(b).__name__ for b in lay.blocks]
    ['Paragraph', 'Table']
    >>> [r.texts for r in lay.blocks[1].rows]
    [['项目名称', '统计调查'], ['预算数', '24.31']]
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    blocks: list[Block] = []
    table: Table | None = None
    row: list[Cell] | None = None
    last_cell: Cell | None = None
    blanks = 0

    def close_row() -> None:
        nonlocal row, table
        if row:
            if table is None:
                table = Table([])
                blocks.append(table)
            table.rows.append(Row(row))
        row = None

    for n, raw in enumerate(lines, 1):
        m = _BOOKMARK.match(raw) if raw.startswith("[bookmark: ") else None
        bookmarks = re.findall(r"\[bookmark: ([^\]]*)\]", m.group(0)) if m else []
        line = raw[m.end():] if m else raw
        if line.startswith("\t"):
            notes: list[str] = ["bookmark"] if bookmarks else []
            cell = Cell([Part(n, _clean_cell_text(line[1:], notes))], notes)
            if row is None:
                row = []
            row.append(cell)
            last_cell, blanks = cell, 0
        elif not line.strip():
            close_row()
            blanks += 1
        elif last_cell is not None and blanks <= 1 and (
                not _HEADING.match(line) or _label_fragment(last_cell, line)):
            notes = last_cell.notes
            last_cell.parts.append(Part(n, _clean_cell_text(line, notes)))
            if "continuation" not in notes:
                notes.append("continuation")
            if blanks and row is None and table is not None and table.rows \
                    and table.rows[-1].cells[-1] is last_cell:
                row = table.rows.pop().cells  # the blank was an empty paragraph in the cell
            blanks = 0
        else:
            close_row()
            table, last_cell, blanks = None, None, 0
            blocks.append(Paragraph(n, line.strip(), bookmarks))
    close_row()
    for block in blocks:
        if isinstance(block, Table):
            for r in block.rows:
                for c in r.cells:
                    _unquote(c)
    return Layout(file, lines, blocks)


def rejoin_split_rows(rows: list[Row], width: int,
                      whole: Callable[[Row], bool] | None = None) -> list[Row]:
    """Re-join table rows that Word split over blank-separated blocks.

    A row with fewer cells than the table is wide takes the cells of the rows that
    follow while they fit, so ``[a b c d] [e f]`` becomes ``[a b c d e f]`` for a
    six-column table.  Rows that are wide enough are left alone, and so is a short
    row the caller's ``whole`` says is complete (its merged first cells left out):
    what follows it is not its missing half.

    >>> mk = lambda *t: Row([Cell([Part(i, s)]) for i, s in enumerate(t)])
    >>> [r.texts for r in rejoin_split_rows([mk("a", "b", "c", "d"), mk("e", "f")], 6)]
    [['a', 'b', 'c', 'd', 'e', 'f']]
    >>> len(rejoin_split_rows([mk("b", "c", "d", "e"), mk("x", "y")], 6, lambda r: True))
    2
    """
    out: list[Row] = []
    i = 0
    while i < len(rows):
        cells = list(rows[i].cells)
        j = i + 1
        joins = not rows[i].empty and (whole is None or len(cells) >= width
                                       or not whole(rows[i]))
        while joins and len(cells) < width and j < len(rows) and \
                len(cells) + len(rows[j].cells) <= width and not rows[j].empty:
            cells.extend(rows[j].cells)
            j += 1
        out.append(Row(cells))
        i = j
    return out
