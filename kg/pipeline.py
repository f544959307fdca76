"""Library verbs: read → extract for one file or a batch.  The CLI wraps these; a
batch never stops because one file is bad: the failure is returned, named.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import ReadError
from .extract.disclosure import extract
from .read.layout import parse_layout
from .read.text import read_source
from .records import Disclosure

SUFFIXES = (".txt",)


@dataclass
class Failure:
    """A file that could not be read at all, with the reason."""
    error: ReadError

    @property
    def file(self) -> str:
        return self.error.file


@contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while a document is read.

    The reader allocates one small object per line and cell and makes no reference
    cycles, so reference counting frees everything; but each full collection walks
    every live object, which made a 26 MB document read at half the speed of a small
    one (benchmarks/extract.py).  Paused, the cost is linear in the size."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def extract_file(path: str | Path) -> Disclosure:
    """Read one disclosure; raises ReadError if nothing can be read."""
    with _no_cyclic_gc():
        source = read_source(path)
        layout = parse_layout(source.text, source.file)
        return extract(source, layout)


def expand(paths: list[str | Path]) -> list[Path]:
    """Files named, and the ``*.txt`` files inside folders named, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file()))
        else:
            out.append(p)
    return out


def extract_files(paths: list[str | Path]) -> list[Disclosure | Failure]:
    """Read a batch; each file gives its Disclosure or a Failure, in order."""
    results: list[Disclosure | Failure] = []
    for path in expand(paths):
        try:
            results.append(extract_file(path))
        except ReadError as e:
            results.append(Failure(e))
        except Exception as e:  # a reader bug must not cost the rest of the batch
            results.append(Failure(ReadError(str(path), f"reader failed: "
                                             f"{type(e).__name__}: {e}")))
    return results
