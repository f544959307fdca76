"""The indicator block of a project table: the rows under the indicator header
(一级指标 / 二级指标 / 三级指标 / … or the other templates' wording) → ``Indicator``
records.  Columns are found by the header's labels; level 1 and level 2 are filled
down from the rows above when left empty (merged cells); a row Word split over
blocks is re-joined; a row whose merged first cells were left out is read from the
right; a column the reader does not know is kept as ``Unplaced``, never dropped.
"""
from __future__ import annotations

from ..domain.basis import classify_basis
from ..domain.funding import is_classified
from ..domain.indicators import level1_concept, level2_concept
from ..domain.targets import parse_target
from ..read.layout import Cell, Row, rejoin_split_rows
from ..records import Indicator
from .context import Context
from .labels import column_of


def _header_piece(row: Row) -> set[str] | None:
    """The columns a row names if every cell of it is an indicator-column label."""
    if not row.cells or column_of(row.cells[0].text) is None:  # most rows: one lookup
        return None
    cols = [column_of(c.text) for c in row.cells]
    return {c for c in cols if c is not None} if None not in cols else None


def join_split_header(rows: list[Row]) -> list[Row]:
    """An indicator header Word split over two blocks (一级指标 二级指标 | 三级指标 …)
    as one row: a row of column labels with level 1, then a row of the others."""
    out, i = [], 0
    while i < len(rows):
        first = _header_piece(rows[i])
        rest = _header_piece(rows[i + 1]) if first and i + 1 < len(rows) else None
        if first and rest and "level1" in first and "level1" not in rest:
            out.append(Row(rows[i].cells + rows[i + 1].cells))
            i += 2
            continue
        out.append(rows[i])
        i += 1
    return out


def read_indicators(header: Row, rows: list[Row], ctx: Context) -> list[Indicator]:
    """The indicator rows under ``header``, one ``Indicator`` each."""
    cols = {name: i for i, c in enumerate(header.cells) if (name := column_of(c.text))}
    block = cols.pop("block", None)  # 本年度绩效指标: spans the rows, holds no indicator
    unknown = {i: c.text for i, c in enumerate(header.cells) if c.text and not column_of(c.text)}
    width = len(header.cells)
    out: list[Indicator] = []
    level1 = level2 = ""
    for row in rejoin_split_rows(rows, width, lambda r: _stands_alone(r.cells, cols, width)):
        if row.empty:
            ctx.use(row)
            continue
        cells: list[Cell | None] = list(row.cells)
        if len(cells) > width:
            extra = row.cells[width:]
            if any(c.text for c in extra):
                for c in extra:
                    ctx.unplace(c, f"cell beyond the {width} indicator columns")
            else:
                ctx.use(*extra)
            cells = cells[:width]
        elif len(cells) < width:
            aligned = _align_short_row(row.cells, cols, width, ctx)
            if aligned is None:
                ctx.unplace(row, f"indicator row of {len(cells)} cells under a {width}-column "
                                 "header, too short to hold an indicator")
                continue
            cells = aligned
        for i, name in unknown.items():  # a column we cannot name: kept, never dropped
            cell = cells[i] if i < len(cells) else None
            if cell is not None and cell.text:
                ctx.unplace(cell, f"cell under the indicator column {name!r}, "
                                  "which the reader does not know")
        if block is not None and block < len(cells):
            ctx.use(cells[block])
        get = {k: (cells[i] if i < len(cells) else None) for k, i in cols.items()}
        text = {k: (c.text if c else "") for k, c in get.items()}
        for k in ("level1", "level2", "level3", "description", "target", "basis"):
            text.setdefault(k, "")
        level1 = text["level1"] or level1
        level2 = text["level2"] or level2
        ctx.use(*(c for i, c in enumerate(cells) if i not in unknown and c is not None))
        if not any(text[k] for k in ("level3", "description", "target", "basis")):
            ctx.warn(row.first, "indicator-without-content")
            continue
        spans = {k: ctx.span(c) for k, c in get.items() if c is not None}
        present = [c for c in cells if c is not None]
        out.append(Indicator(
            row=len(out) + 1,
            level1=level1, level1_printed=text["level1"], level1_concept=level1_concept(level1),
            level2=level2, level2_printed=text["level2"], level2_concept=level2_concept(level2),
            level3=text["level3"], description=text["description"],
            target=parse_target(text["target"]), basis=classify_basis(text["basis"]),
            classified=any(is_classified(t) for t in text.values()),
            span=ctx.span(*present), spans=spans))
    return out


def _short_row_start(cells: list[Cell], cols: dict[str, int],
                     width: int) -> tuple[int | None, str | None]:
    """The column a short row's first cell belongs in, and the level it was moved
    left to (None: read from the right); column None when the row cannot reach the
    level-3 column from the right (a stray cell, not a merged row)."""
    start = max(0, width - len(cells))
    first = cells[0].text
    moved = None
    for level, concept, other in (("level1", level1_concept, level2_concept),
                                  ("level2", level2_concept, level1_concept)):
        at = cols.get(level)
        if at is not None and at < start and concept(first) and not other(first):
            start, moved = at, level
    if start > cols.get("level3", start) and not (level1_concept(first) or level2_concept(first)):
        return None, moved
    return start, moved


def _stands_alone(cells: list[Cell], cols: dict[str, int], width: int) -> bool:
    """A short row that is a whole indicator row with its merged first cells left out:
    it starts with printed text and reads from the right up to the level-3 column.  The
    first half of a row Word split starts at the left edge instead (an empty merged
    cell or a level name)."""
    if not cells or not cells[0].text:
        return False
    start, moved = _short_row_start(cells, cols, width)
    return start is not None and moved is None


def _align_short_row(cells: list[Cell], cols: dict[str, int], width: int,
                     ctx: Context) -> list[Cell | None] | None:
    """Place a row with fewer cells than the header.  Its merged first cells were
    left out (HTML rowspan, some converters), so it is read from the right, unless
    its first cell names a level the right edge would miss (a row that lost its
    trailing cells instead).  Missing cells are None; None when the row cannot
    reach the level-3 column from the right (a stray cell, not a merged row)."""
    start, moved = _short_row_start(cells, cols, width)
    if moved is not None:
        ctx.warn(cells[0].first, "short-row", cells=len(cells), width=width, level=moved)
    if start is None:
        return None
    return [None] * start + cells
