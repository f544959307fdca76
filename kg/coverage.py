"""What a build did not understand, for its summary: the documents whose lines were
not all read into records, lowest coverage first, so a user sees at once when a
new template is only half read (``kg extract -v`` then lists the lines)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .loader import BuildReport


def coverage_lines(report: BuildReport, limit: int = 5) -> list[str]:
    """Summary lines on coverage (empty when no document was read).

    >>> from kg.loader import BuildReport, Loaded
    >>> r = BuildReport([Loaded("a.txt", "loaded", coverage=1.0, unplaced_lines=0),
    ...                  Loaded("b.txt", "loaded", coverage=0.5123, unplaced_lines=1824)], 1.0)
    >>> coverage_lines(r)
    ['coverage: 1 of 2 documents read in full; lowest: b.txt 51.23% (1824 lines unplaced)']
    """
    read = [d for d in report.documents if d.coverage is not None]
    if not read:
        return []
    partial = sorted((d for d in read if d.unplaced_lines), key=lambda d: d.coverage or 0.0)
    line = f"coverage: {len(read) - len(partial)} of {len(read)} documents read in full"
    if partial:
        shown = "; ".join(f"{d.file} {d.coverage:.2%} ({d.unplaced_lines} lines unplaced)"
                          for d in partial[:limit])
        more = f"; {len(partial) - limit} more" if len(partial) > limit else ""
        line += f"; lowest: {shown}{more}"
    return [line]
