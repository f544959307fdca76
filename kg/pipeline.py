"""Library verbs along the diagram read → extract → normalise → map → store: one
file or a batch read into records (``extract_file``, ``extract_files``), and
``build``, which loads them into the store.  The CLI wraps these; a batch never
stops because one file is bad: the failure is returned, named.
"""
from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import config
from .errors import ReadError
from .extract.disclosure import extract
from .loader import BuildReport, Loaded, Loader, Prepared, ProgressCallback
from .map.document import doc_id, document_quads
from .read.document import SUFFIXES, read_document
from .records import Disclosure
from .store import Store
from .workers import in_order

__all__ = ["BuildReport", "Failure", "Loaded", "Prepared", "ProgressCallback", "build",
           "expand", "extract_file", "extract_files", "prepare"]


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
    every live object, which made a large document read slower per megabyte than a
    small one (benchmarks/extract.py).  Paused, the cost is linear in the size."""
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
        source, layout = read_document(path)
        return extract(source, layout)


def expand(paths: list[str | Path]) -> list[Path]:
    """Files named, and the text, .docx and HTML entries inside folders named, in a
    stable order.

    Nothing is skipped silently: an entry that is not a readable regular file
    (a looping or broken link, a pipe), a sub-folder that cannot be listed and a link
    back to a folder already walked are listed too, so reading them reports why."""
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(_walk(p, set()) if p.is_dir() else [p])
    return out


def _walk(folder: Path, seen: set) -> list[Path]:
    info = folder.stat()
    if (info.st_dev, info.st_ino) in seen:  # a link back into a folder being walked
        return [folder]
    seen = seen | {(info.st_dev, info.st_ino)}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return [folder]  # read_source names the reason
    out: list[Path] = []
    for e in entries:
        path = Path(e.path)
        try:
            is_dir = e.is_dir()
        except OSError:  # a link that loops or points nowhere
            is_dir = False
        if is_dir:
            out.extend(_walk(path, seen))
        elif path.suffix.lower() in SUFFIXES:
            out.append(path)
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


def prepare(path: str, base: str) -> Prepared | Loaded:
    """Read and map one file (read → extract → normalise → map, in a worker
    process); a failure comes back as a Loaded record, never raised."""
    try:
        with _no_cyclic_gc():
            d = extract_file(path)
            quads = document_quads(d, base)
            data, count = quads.nquads()
            s = d.summary()
            prepared = Prepared(str(path), str(quads.graph.value), doc_id(d), Path(d.file).name,
                                d.sha256, data, count, len(d.warnings), s["coverage"],
                                s["unplaced_lines"])
            # freed while the collector is still paused: re-enabled with the document
            # alive, its first collection would walk every object of it
            del d, quads
        return prepared
    except ReadError as e:
        return Loaded(str(path), "failed", error=str(e))
    except Exception as e:  # a reader or mapper bug must not cost the rest of the batch
        return Loaded(str(path), "failed", error=f"{path}: {type(e).__name__}: {e}")


def build(paths: list[str | Path], store: Store, base: str | None = None,
          force: bool = False, batch_quads: int | None = None,
          workers: int | None = None, prune: bool = False,
          progress: ProgressCallback | None = None,
          min_coverage: float | None = None) -> BuildReport:
    """Read, map and load documents, one named graph each.

    Reading and mapping run in ``workers`` processes (setting ``workers``; 0 = one per
    core) while this process writes to the store.  A document whose content hash
    and mapper version are unchanged is skipped (``force`` reloads); one that fails
    is reported and the rest still load.  Documents are written in batches of about
    ``batch_quads`` quads (setting ``batch_quads``), each all-or-nothing if the build
    is killed and streamed to the store's journal as documents come, so memory does
    not grow with the batch (see kg/store/embedded.py).  Stored documents not among the inputs
    are listed in the report, and removed with ``prune`` (with what only they
    referred to in the shared graph).  ``progress`` is called after each document.
    A document with less than ``min_coverage`` of its lines read (setting
    ``min_coverage``) fails instead of loading half read.  IRIs are minted under
    ``base`` (setting ``base``; by default the store's own): a store built under
    another base is refused (kg/loader.py)."""
    started = time.perf_counter()
    if workers is None:
        workers = int(config.get("workers")) or os.cpu_count() or 1
    loader = Loader(store, base, force, batch_quads, min_coverage, progress)
    files = expand(paths)  # read: the inputs
    loader.open(len(files))  # the store's own graphs: ontology, registry, shared
    todo = loader.skip_unchanged(files)  # hashed: an unchanged document is never read
    jobs = [(str(f), loader.base) for f in todo]
    loader.load(in_order(prepare, jobs, workers))  # extract → normalise → map; store
    return loader.finish(files, prune, started)  # prune, compact, snapshots
