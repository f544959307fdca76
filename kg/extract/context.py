"""What an extraction run keeps besides records: which lines it placed, warnings,
and the text it could not place.  One per document; passed in, never global.
"""
from __future__ import annotations

from ..read.layout import Cell, Paragraph, Row, Table
from ..records import ReadWarning, Span, Unplaced
from ..warnings import message


class Context:
    def __init__(self, file: str):
        self.file = file
        self.used: set[int] = set()
        self.warnings: list[ReadWarning] = []
        self.unplaced: list[Unplaced] = []

    def span(self, *things: Cell | Row | Paragraph | Table | None) -> Span:
        """The span covering cells, rows, paragraphs or tables."""
        first: int | None = None
        last: int | None = None
        for t in things:
            if t is None:
                continue
            if first is None or t.first < first:
                first = t.first
            if last is None or t.last > last:
                last = t.last
        if first is None or last is None:
            raise ValueError("span of nothing")
        return Span(self.file, first, last)

    def use(self, *things) -> None:
        """Mark the lines of these layout pieces as placed in a record."""
        for t in things:
            if t is None:
                continue
            if isinstance(t, Cell):
                self.used.update(t.lines)
            elif isinstance(t, Row):
                self.use(*t.cells)
            elif isinstance(t, Table):
                self.use(*t.rows)
            elif isinstance(t, Paragraph):
                self.used.add(t.line)
            else:
                raise TypeError(t)

    def warn(self, line: int, code: str, **fields: object) -> None:
        """A warning of a catalogued code (``kg.warnings``), its message filled in."""
        self.warnings.append(ReadWarning(self.file, line, code, message(code, **fields)))

    def unplace(self, thing, reason: str) -> None:
        """Keep text we could not place, with its lines, and say so."""
        if isinstance(thing, Row):
            text = " | ".join(thing.texts)
        elif isinstance(thing, Table):
            text = "\n".join(" | ".join(r.texts) for r in thing.rows)
        else:
            text = thing.text
        if not text.strip(" |\n"):
            return
        span = self.span(thing)
        self.unplaced.append(Unplaced(text, reason, span))
        self.warn(span.first, "unplaced", reason=f"{reason}: {text[:60]!r}")
