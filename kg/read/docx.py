""".docx → layout, read straight from the OOXML (``word/document.xml``) with zipfile
and ElementTree: no dependency, and only what the layout needs — paragraphs (with
the list numbers Word shows, see ``numbering``), bookmarks, tables with
``gridSpan`` and ``vMerge`` merges, paragraphs inside cells.

It gives what the Tika front end gives for the same file: a cell spanning columns
is one cell, a vertically merged continuation is an empty cell (Tika's lone TAB),
tables separated only by empty paragraphs are one table.  Each paragraph gets the
next location number; ``model.place`` names it (``table 2, row 5, cell 3,
paragraph 1``).
"""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

from ..errors import ReadError
from .model import Cell, Layout, Paragraph, Part, Row, Table
from .numbering import Numbering

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT = "word/document.xml"
NUMBERING = "word/numbering.xml"


def is_docx(data: bytes) -> bool:
    """Zip magic and a ``word/document.xml`` member: a Word document, whatever its name."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return DOCUMENT in z.namelist()
    except zipfile.BadZipFile:
        return False


_T, _SPACES = W + "t", (W + "tab", W + "br", W + "cr")
_BOOKMARK_START = f".//{W}bookmarkStart"


def _text(p: ET.Element) -> str:
    """A paragraph's text: runs' w:t, tabs and breaks as spaces (as Tika joins them)."""
    out = []
    for el in p.iter():
        tag = el.tag
        if tag == _T:
            out.append(el.text or "")
        elif tag in _SPACES:
            out.append(" ")
    return "".join(out)


def _ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _bookmarks(p: ET.Element) -> list[str]:
    return [b.get(W + "name", "") for b in p.iter(W + "bookmarkStart")
            if b.get(W + "name", "") and b.get(W + "name") != "_GoBack"]


_WRAPPERS = (W + "sdt", W + "customXml", W + "sdtContent", W + "smartTag")


def _children(parent: ET.Element, *tags: str):
    """Children with these tags, in order, looking inside content controls."""
    for el in parent:
        if el.tag in tags:
            yield el
        elif el.tag in _WRAPPERS:
            yield from _children(el, *tags)


class _Reader:
    def __init__(self, file: str, numbering: Numbering):
        self.file = file
        self.numbering = numbering
        self.lines: list[str] = []
        self.locations: list[str] = []
        self.blocks: list = []
        self.tables = 0
        self.paragraphs = 0
        self.open_table: Table | None = None  # the table an empty paragraph does not end

    def number(self, text: str, where: str) -> int:
        self.lines.append(text)
        self.locations.append(where)
        return len(self.lines)

    def text(self, p: ET.Element) -> str:
        """A paragraph's text with the list number Word shows before it."""
        label, text = self.numbering.label(p), _text(p)
        if not label:
            return text
        # "1.1 细项", "1. 2026年", "1.项目"
        spaced = _ascii_alnum(label[-1]) or _ascii_alnum(text[:1])
        return label + (" " if spaced else "") + text

    def paragraph(self, p: ET.Element) -> None:
        self.paragraphs += 1
        text = self.text(p)
        n = self.number(text, f"paragraph {self.paragraphs}")
        if text.strip():
            self.blocks.append(Paragraph(n, text.strip(), _bookmarks(p)))
            self.open_table = None

    def table(self, tbl: ET.Element) -> None:
        self.tables += 1
        rows = []
        for r, tr in enumerate(_children(tbl, W + "tr"), 1):
            rows.append(self.row(tr, r))
        if self.open_table is None:
            self.open_table = Table([])
            self.blocks.append(self.open_table)
        self.open_table.rows.extend(r for r in rows if r.cells)

    def row(self, tr: ET.Element, r: int) -> Row:
        cells = []
        for c, tc in enumerate(_children(tr, W + "tc"), 1):
            where = f"table {self.tables}, row {r}, cell {c}"
            pr = tc.find(W + "tcPr")
            merge = pr.find(W + "vMerge") if pr is not None else None
            if merge is not None and merge.get(W + "val", "continue") != "restart":
                held = self.number("", where + " (merged with the cell above)")
                cells.append(Cell([Part(held, "")]))
                continue
            parts: list[Part] = []
            notes: list[str] = []
            for k, p in enumerate(tc.iter(W + "p"), 1):  # nested tables: their text, in order
                text = self.text(p)
                parts.append(Part(self.number(text, f"{where}, paragraph {k}"), text))
                if not notes and p.find(_BOOKMARK_START) is not None:
                    notes.append("bookmark")
            if not parts:
                parts.append(Part(self.number("", where), ""))
            cells.append(Cell(parts, notes))
        return Row(cells)


def parse_docx(data: bytes, file: str = "<docx>") -> Layout:
    """Read a .docx into the layout model.

    Raises ReadError (naming the file) when the package or its XML is broken."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read(DOCUMENT)
            numbering = Numbering(z.read(NUMBERING) if NUMBERING in z.namelist() else None)
    except (zipfile.BadZipFile, KeyError) as e:
        raise ReadError(file, f"not a readable .docx: {e}",
                        expected="a Word .docx package") from None
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as e:
        raise ReadError(file, f"{DOCUMENT} is not well-formed XML: {e}",
                        expected="a Word .docx package") from None
    body = root.find(W + "body")
    if body is None:
        raise ReadError(file, f"{DOCUMENT} has no w:body", expected="a Word .docx package")
    reader = _Reader(file, numbering)
    for el in _children(body, W + "p", W + "tbl"):
        if el.tag == W + "p":
            reader.paragraph(el)
        else:
            reader.table(el)
    return Layout(file, reader.lines, reader.blocks, "docx", reader.locations)
