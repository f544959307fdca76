"""Progress of long work on stderr: a bar redrawn in place on a terminal, a plain line
now and then in a log (CI), and the build's summary.  The pipeline only calls back
(kg.pipeline.build's ``progress``); this module does the printing.
"""
from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from .loader import BuildReport, Loaded


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def rate_and_eta(done: int, total: int, elapsed: float) -> tuple[float, float | None]:
    """Documents per second so far and the seconds left at that pace (None before
    the first document)."""
    rate = done / elapsed if elapsed > 0 else 0.0
    return rate, ((total - done) / rate if rate > 0 else None)


def bar_line(done: int, total: int, elapsed: float, width: int = 24,
             unit: str = "documents") -> str:
    """The terminal line: ``[#####-----] 120/300 documents  40%  8.3 documents/s  ETA 0:21``."""
    frac = done / total if total else 1.0
    filled = int(frac * width)
    rate, eta = rate_and_eta(done, total, elapsed)
    left = _duration(eta) if eta is not None else "?"
    return (f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total} {unit} "
            f"{frac:4.0%}  {rate:.1f} {unit}/s  ETA {left}")


def log_line(done: int, total: int, elapsed: float, unit: str = "documents") -> str:
    """The line for a log: ``120/300 documents (40%), 8.3 documents/s, 0:14 elapsed,
    ETA 0:21``."""
    frac = done / total if total else 1.0
    rate, eta = rate_and_eta(done, total, elapsed)
    left = _duration(eta) if eta is not None else "?"
    return (f"{done}/{total} {unit} ({frac:.0%}), {rate:.1f} {unit}/s, "
            f"{_duration(elapsed)} elapsed, ETA {left}")


class Progress:
    """Call with (done, total, ...) as work finishes; ``close()`` at the end.

    On a terminal the bar is redrawn at most every ``redraw`` seconds and erased on
    close; elsewhere a plain line is printed at most every ``interval`` seconds (and
    when done), so a log gets a few lines, not one per document."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None,
                 interval: float = 10.0, redraw: float = 0.1, label: str = "kg build",
                 clock=time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.interval = redraw if self.tty else interval
        self.label = label
        self.clock = clock
        self.started = clock()
        self.last_shown = None
        self.done = self.total = 0
        self.drawn = False

    def __call__(self, done: int, total: int, *_ignored) -> None:
        self.done, self.total = done, total
        now = self.clock()
        if done < total and self.last_shown is not None and now - self.last_shown < self.interval:
            return
        if done < total and self.last_shown is None and not self.tty \
                and now - self.started < self.interval:
            return  # a log gets its first line after an interval, or the last one
        self.last_shown = now
        elapsed = now - self.started
        if self.tty:
            self.stream.write(f"\r\x1b[K{self.label} {bar_line(done, total, elapsed)}")
            self.drawn = True
        else:
            self.stream.write(f"{self.label}: {log_line(done, total, elapsed)}\n")
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar (the summary follows)."""
        if self.tty and self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def summary_lines(report: BuildReport) -> list[str]:
    """The end of a build: what was read, loaded, skipped, failed (each with its
    reason), removed, and how fast."""
    lines = [f"failed    {_reason(d)}" for d in report.documents if d.status == "failed"]
    if report.snapshots:
        lines.append(f"{len(report.snapshots)} whole-graph reports computed and kept for this "
                     f"version of the store in {sum(t for _, t in report.snapshots):.1f} s")
    read = len(report.documents)
    rate = read / report.seconds if report.seconds > 0 else 0.0
    lines.append(f"{read} documents read: {report.count('loaded')} loaded, "
                 f"{report.count('unchanged')} unchanged (skipped), {report.count('failed')} "
                 f"failed, {len(report.removed)} removed; {report.triples:,} triples in "
                 f"{_duration(report.seconds)} ({report.seconds:.1f} s, {rate:.1f} documents/s)")
    if report.not_in_input:
        lines.append(f"{len(report.not_in_input)} stored documents not in this input; "
                     "--prune removes them")
    if report.recovered:
        lines.append("finished a batch of documents left half-written by a killed build")
    if report.seconds >= 60 and report.phases:  # where a long build's time went
        lines.append("time: " + ", ".join(f"{k} {_duration(v)}"
                                          for k, v in report.phases.items()))
    return lines


def _reason(d: Loaded) -> str:
    """The error as the reader gives it (file:line: message (expected …)); the file
    is put in front when the error does not start with it."""
    err = d.error or "unknown error"
    return err if err.startswith(d.file) else f"{d.file}: {err}"
