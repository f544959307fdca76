"""HTML → layout, with the standard library's ``html.parser``: transparency portals
publish the same tables as web pages.

It gives what the Tika front end gives for the same table: a cell spanning columns
(``colspan``) is one cell; a cell spanning rows (``rowspan``) is that cell in its
first row and an empty cell in the rows below (Tika's lone TAB for a vertical
merge); ``<p>``, ``<div>``, ``<li>`` and ``<br>`` end a paragraph, inside a cell or
outside tables; ``<a name|id>`` at a paragraph's start is a bookmark.  Each
paragraph gets the next location number; ``model.place`` names it.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from .model import Cell, Layout, Paragraph, Part, Row, Table

_BREAKS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
           "caption", "section", "article", "header", "footer", "blockquote", "pre"}
_SKIP = {"script", "style", "head", "title", "noscript", "template"}
_WS = re.compile(r"[ \t\r\n\f]+")


def looks_like_html(text: str) -> bool:
    """An HTML page or fragment holding a table, whatever the file is called.

    >>> looks_like_html("<!DOCTYPE html><html>…"), looks_like_html("\\t项目名称")
    (True, False)
    """
    head = text[:4096].lower()
    return "<html" in head or "<table" in head or "<!doctype html" in head


class _Grid:
    """One table being read: rows of cells, and the columns a rowspan still holds."""

    def __init__(self, number: int):
        self.number = number
        self.rows: list[Row] = []
        self.cells: list[Cell] | None = None
        self.col = 0
        self.held: dict[int, tuple[int, int]] = {}  # column → (rows left, colspan)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.locations: list[str] = []
        self.blocks: list = []
        self.skip = 0
        self.nested = 0
        self.buf: list[str] = []
        self.bookmarks: list[str] = []
        self.grids: list[_Grid] = []
        self.cell: Cell | None = None
        self.cell_where = ""
        self.cell_paras = 0
        self.tables = 0
        self.paragraphs = 0

    # --- locations ------------------------------------------------------------------
    def number(self, text: str, where: str) -> int:
        self.lines.append(text)
        self.locations.append(where)
        return len(self.lines)

    def flush(self) -> None:
        """End the paragraph being collected (in a cell or outside tables)."""
        text = _WS.sub(" ", "".join(self.buf).replace("\xa0", " ")).strip()
        self.buf = []
        if self.cell is not None:
            if text or not self.cell.parts:
                self.cell_paras += 1
                n = self.number(text, f"{self.cell_where}, paragraph {self.cell_paras}")
                self.cell.parts.append(Part(n, text))
            return
        if not text:
            return  # text in a table outside its cells (a caption) goes before the table
        self.paragraphs += 1
        n = self.number(text, f"paragraph {self.paragraphs}")
        self.blocks.append(Paragraph(n, text, self.bookmarks))
        self.bookmarks = []

    # --- tables ---------------------------------------------------------------------
    def fill_held(self, grid: _Grid, cells: list[Cell]) -> None:
        """Empty cells (into ``cells``, the open row's) for the columns a rowspan from
        above still holds."""
        while grid.col in grid.held:
            left, span = grid.held[grid.col]
            n = self.number("", f"table {grid.number}, row {len(grid.rows) + 1}, "
                                f"column {grid.col + 1} (merged with the cell above)")
            cells.append(Cell([Part(n, "")]))
            if left <= 1:
                del grid.held[grid.col]
            else:
                grid.held[grid.col] = (left - 1, span)
            grid.col += span

    def start_cell(self, attrs: dict) -> None:
        grid = self.grids[-1]
        cells = grid.cells if grid.cells is not None else self.start_row()
        self.fill_held(grid, cells)
        colspan = _int(attrs.get("colspan"))
        rowspan = _int(attrs.get("rowspan"))
        if rowspan > 1:
            grid.held[grid.col] = (rowspan - 1, colspan)
        grid.col += colspan
        self.cell = Cell([])
        self.cell_where = f"table {grid.number}, row {len(grid.rows) + 1}, cell {len(cells) + 1}"
        self.cell_paras = 0
        cells.append(self.cell)

    def end_cell(self) -> None:
        if self.cell is not None:
            self.flush()
            self.cell = None

    def start_row(self) -> list[Cell]:
        """Close the open row, if any; the new row's cells."""
        grid = self.grids[-1]
        self.end_row()
        grid.cells, grid.col = [], 0
        return grid.cells

    def end_row(self) -> None:
        grid = self.grids[-1]
        self.end_cell()
        cells = grid.cells
        if cells is not None:
            self.fill_held(grid, cells)
            if max(grid.held, default=-1) >= grid.col:  # held columns past the last cell
                for col in sorted(c for c in grid.held if c >= grid.col):
                    grid.col = col
                    self.fill_held(grid, cells)
            if cells:
                grid.rows.append(Row(cells))
        grid.cells = None

    # --- parser callbacks -----------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        attrs = dict(attrs)
        if self.nested or (tag == "table" and self.cell is not None):
            # a table inside a cell: its text stays in the cell, one paragraph a cell
            self.nested += tag == "table"
            if tag in _BREAKS or tag in ("td", "th"):
                self.flush()
            return
        if tag == "table":
            self.flush()
            self.tables += 1
            self.grids.append(_Grid(self.tables))
        elif tag == "tr" and self.grids:
            self.start_row()
        elif tag in ("td", "th") and self.grids:
            self.end_cell()
            self.start_cell(attrs)
        elif tag in _BREAKS:
            self.flush()
        elif tag == "a" and (mark := attrs.get("name") or attrs.get("id")) \
                and not "".join(self.buf).strip():
            self.bookmarks.append(mark)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if self.nested:
            self.nested -= tag == "table"
            if tag in _BREAKS or tag in ("td", "th"):
                self.flush()
            return
        if tag == "table" and self.grids:
            self.end_row()
            grid = self.grids.pop()
            if grid.rows:
                last = self.blocks[-1] if self.blocks else None
                if isinstance(last, Table):  # back-to-back tables read as one, as Tika's
                    last.rows.extend(grid.rows)
                else:
                    self.blocks.append(Table(grid.rows))
        elif tag == "tr" and self.grids:
            self.end_row()
        elif tag in ("td", "th") and self.grids:
            self.end_cell()
        elif tag in _BREAKS:
            self.flush()

    def handle_startendtag(self, tag, attrs):
        if tag == "br" and not self.skip:
            self.flush()
        else:
            self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)


def _int(v) -> int:
    try:
        return max(1, int(str(v).strip()))
    except (TypeError, ValueError):
        return 1


def parse_html(text: str, file: str = "<html>") -> Layout:
    """Read an HTML page into the layout model (malformed HTML is read as far as it goes)."""
    p = _Parser()
    p.feed(text)
    p.close()
    p.flush()
    while p.grids:
        p.handle_endtag("table")
    return Layout(file, p.lines, p.blocks, "html", p.locations)
