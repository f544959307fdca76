"""The layout model every front end produces: a document is blocks (paragraphs and
tables), a table rows, a row cells, a cell the paragraphs printed in it (``Part``).

Every paragraph carries a location number: the line for Tika text; for .docx and
HTML the paragraph's place in document order, with ``place`` naming it
(``table 3, row 2, cell 1, paragraph 1``).  Spans in records are pairs of these
numbers, so the extractor never needs to know which format it reads.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_BOOKMARK = re.compile(r"^(?:\[bookmark: [^\]]*\])+")


@dataclass(slots=True)
class Part:
    """One printed line of a cell or paragraph (after bookmark and padding removal)."""
    line: int
    text: str


@dataclass(slots=True)
class Cell:
    parts: list[Part]
    notes: list[str] = field(default_factory=list)
    _text: str | None = field(default=None, repr=False, compare=False)

    @property
    def first(self) -> int:
        return self.parts[0].line

    @property
    def last(self) -> int:
        return self.parts[-1].line

    @property
    def lines(self) -> list[int]:
        return [p.line for p in self.parts]

    @property
    def text(self) -> str:
        """The cell's text as printed, artefacts removed, paragraphs joined by newlines."""
        if self._text is None:
            self._text = "\n".join(p.text for p in self.parts if p.text.strip()).strip()
        return self._text

    @property
    def empty(self) -> bool:
        return not self.text


@dataclass(slots=True)
class Row:
    cells: list[Cell]

    @property
    def first(self) -> int:
        return self.cells[0].first

    @property
    def last(self) -> int:
        return max(c.last for c in self.cells)

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def empty(self) -> bool:
        return all(c.empty for c in self.cells)


@dataclass(slots=True)
class Table:
    rows: list[Row]

    @property
    def first(self) -> int:
        return self.rows[0].first

    @property
    def last(self) -> int:
        return max(r.last for r in self.rows)


@dataclass(slots=True)
class Paragraph:
    line: int
    text: str
    bookmarks: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.line

    @property
    def last(self) -> int:
        return self.line


Block = Paragraph | Table


@dataclass(slots=True)
class Layout:
    """``lines[n - 1]`` is the text at location ``n``; ``locations[n - 1]`` says where
    that is when a location is not a line of text (.docx, HTML)."""
    file: str
    lines: list[str]
    blocks: list[Block]
    format: str = "text"
    locations: list[str] | None = None

    def content_lines(self) -> list[int]:
        """Line numbers (1-based) that carry visible text: what coverage is counted on."""
        return [i for i, line in enumerate(self.lines, 1) if _strip_artefacts(line)]


def place(locations: Sequence[str] | None, n: int) -> str:
    """Where location ``n`` is, as a reader looks for it in the source file: the line of
    a text source (no locations), else the place the front end named.  The one naming
    of a location: the extractor's records, the CLI and the graph's span labels use it.

    >>> place(None, 3), place([], 3)
    ('line 3', 'line 3')
    >>> place(["paragraph 1", "table 1, row 1, cell 1, paragraph 1"], 2)
    'table 1, row 1, cell 1, paragraph 1'
    >>> place(["paragraph 1"], 5)
    'location 5'
    """
    if not locations:
        return f"line {n}"
    return locations[n - 1] if 0 < n <= len(locations) else f"location {n}"


def _strip_artefacts(line: str) -> str:
    if line.startswith("[bookmark: "):  # _BOOKMARK matches only there
        line = _BOOKMARK.sub("", line)
    return line.strip().strip('"').strip()


