"""Library verbs: read → extract for one file or a batch.  The CLI wraps these; a
batch never stops because one file is bad: the failure is returned, named.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from pyoxigraph import Literal, NamedNode, Quad, Triple

from . import config, iris
from .errors import KgError, ReadError
from .extract.disclosure import extract
from .map.citations import registry_quads
from .map.document import doc_id, document_quads, mapper_version
from .map.terms import BP, PROV, A, plain
from .ontology import ontology_quads
from .read.document import SUFFIXES, read_document
from .read.text import content_hash
from .records import Disclosure
from .results import materialise_reports
from .store import EmbeddedStore
from .store.base import Commit


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


@dataclass
class Loaded:
    """What happened to one file in a build."""
    file: str
    status: str  # loaded | unchanged | failed
    graph: str | None = None
    triples: int = 0
    warnings: int = 0
    error: str | None = None
    coverage: float | None = None  # share of the document's lines read into records
    unplaced_lines: int | None = None


@dataclass
class BuildReport:
    documents: list[Loaded]
    seconds: float
    #: document graphs removed from the store (``prune``)
    removed: list[str] = field(default_factory=list)
    #: stored document graphs whose document was not among the inputs (kept)
    not_in_input: list[str] = field(default_factory=list)
    #: quads of the shared graph no document refers to any more, removed
    shared_pruned: int = 0
    #: batches of a killed build finished when the store was opened
    recovered: int = 0
    #: whole-graph reports materialised for the new version: (query, seconds)
    snapshots: list[tuple[str, float]] = field(default_factory=list)
    #: seconds per phase: load (read, map, write), prune, compact, snapshots
    phases: dict[str, float] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.documents)

    @property
    def triples(self) -> int:
        return sum(d.triples for d in self.documents)

    def to_json(self) -> dict:
        return {"read": len(self.documents), "loaded": self.count("loaded"),
                "unchanged": self.count("unchanged"), "failed": self.count("failed"),
                "removed": len(self.removed), "not_in_input": len(self.not_in_input),
                "triples": self.triples, "seconds": round(self.seconds, 3),
                "documents": [d.__dict__ for d in self.documents],
                "removed_graphs": self.removed,
                "snapshots": [{"query": n, "seconds": round(t, 3)} for n, t in self.snapshots],
                "phases": {k: round(v, 3) for k, v in self.phases.items()}}


#: called with (documents done, documents in the input, the record just finished)
ProgressCallback = Callable[[int, int, Loaded], None]

def _catalog_entry(graph: str, key: str, file_name: str, sha256: str, catalog: str,
                   base: str) -> list[Quad]:
    """Import metadata, kept out of the document's graph so that graph stays a pure
    function of the document (byte-identical on rebuild)."""
    g, c = NamedNode(graph), NamedNode(catalog)
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    facts = [
        (A, BP.DocumentGraph),
        (BP.documentGraphOf, NamedNode(iris.document(key, base))),
        (PROV.wasDerivedFrom, NamedNode(iris.source(key, base))),
        (BP.fileName, plain(file_name)),
        (BP.contentHash, plain(sha256)),
        (BP.mapperVersion, plain(mapper_version())),
        (PROV.generatedAtTime, Literal(now, datatype=NamedNode(
            "http://www.w3.org/2001/XMLSchema#dateTime"))),
    ]
    return [Quad(g, p, o, c) for p, o in facts]


@dataclass
class Prepared:
    """A document read and mapped (in a worker process), ready to load."""
    file: str
    graph: str
    key: str
    file_name: str
    sha256: str
    nquads: bytes
    triples: int
    warnings: int
    coverage: float = 1.0
    unplaced_lines: int = 0


def prepare(path: str, base: str) -> Prepared | Loaded:
    """Read and map one file; a failure comes back as a Loaded record, never raised."""
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


def _prepare_star(args):
    return prepare(*args)


def _worker_init(parent: int) -> None:
    """A worker ends with the build, even a build killed with SIGKILL (Linux)."""
    try:
        import ctypes
        import signal
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)


def worker_pool(workers: int):
    """A pool of forked worker processes that end with this one (builds, validation):
    forked, so they share what this process loaded before (shapes, ontology)."""
    ctx = multiprocessing.get_context("fork")
    return ctx.Pool(workers, _worker_init, (os.getpid(),))


def _prepared(paths: list[Path], base: str, workers: int):
    """Prepared documents in input order; in worker processes when it pays.

    A sliding window of ``workers * 16`` documents is in flight: a new one is handed
    out as each result is taken, so the workers keep reading while this process
    writes a batch to the store, and at most a window of results waits in memory.
    (Windows taken one after the other would leave both workers idle during every
    store write.)"""
    jobs = iter([(str(p), base) for p in paths])
    if workers <= 1 or len(paths) < 8:
        yield from map(_prepare_star, jobs)
        return
    window = workers * 16  # about a batch (batch_quads) of results: workers run on while it is written
    with worker_pool(workers) as pool:
        waiting = deque(pool.apply_async(_prepare_star, (job,)) for job in
                        (next(jobs) for _ in range(min(window, len(paths)))))
        while waiting:
            result = waiting.popleft().get()
            job = next(jobs, None)
            if job is not None:
                waiting.append(pool.apply_async(_prepare_star, (job,)))
            yield result


def _stored_as(store: EmbeddedStore, catalog: str, graph: str, version: str) -> str | None:
    """The content hash a document graph was stored with, if this mapper stored it."""
    if store.catalog_value(catalog, graph, BP.mapperVersion.value) != version:
        return None
    return store.catalog_value(catalog, graph, BP.contentHash.value)


def load_ontology(store: EmbeddedStore) -> None:
    _replace_if_changed(store, iris.ONTOLOGY, ontology_quads(), iris.catalog_graph())


def _replace_if_changed(store: EmbeddedStore, graph: str, quads: list[Quad],
                        catalog: str) -> None:
    """Replace a small graph (ontology, registry) only if its triples differ: an
    unchanged rebuild then writes nothing, and the store's snapshots stay valid."""
    if not (store.has_graph(graph) and
            set(store.graph_triples(graph)) == {q.triple for q in quads}):
        store.replace_graph(graph, quads, catalog, [])


def build(paths: list[str | Path], store: EmbeddedStore, base: str | None = None,
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
    ``min_coverage``) fails instead of loading half read."""
    started = time.perf_counter()
    base = iris.base(base)
    catalog = iris.catalog_graph(base)
    if workers is None:
        workers = int(config.get("workers")) or os.cpu_count() or 1
    if batch_quads is None:
        batch_quads = int(config.get("batch_quads"))
    if min_coverage is None:
        min_coverage = float(config.get("min_coverage"))
    files = expand(paths)
    load_ontology(store)
    _replace_if_changed(store, iris.registry_graph(base), registry_quads(base), catalog)
    version = mapper_version()
    shared = iris.shared_graph(base)
    marker = store.catalog_value(catalog, shared, BP.mapperVersion.value)
    if marker is None and not store.stored_documents(catalog):
        # a new store: its shared graph is this mapper's from the start, so a first
        # build killed half-way resumes with the documents it had not loaded yet
        store.add_to_graph(catalog, [Triple(NamedNode(shared), BP.mapperVersion, plain(version))])
        marker = version
    if marker != version:
        # the shared graph only ever grows by merging; written by another mapper or
        # registry, it may hold what this one would not say: start it afresh, and
        # reload every document so each adds its part again
        store.remove_graph(shared, catalog)
        force = True
    done: list[Loaded] = []
    # the open batch (streamed into the store's journal as documents come) and the
    # records its documents get once it is written
    batch = None
    pending: list[Loaded] = []
    # the batch being written in the background, with its records: this process
    # takes the next batch's documents from the workers meanwhile
    writing: tuple[Commit, list[Loaded]] | None = None

    def finish(record: Loaded) -> None:
        done.append(record)
        if progress is not None:
            progress(len(done), len(files), record)

    def failed(records: list[Loaded], e: Exception) -> None:
        for r in records:
            finish(Loaded(r.file, "failed", error=f"store write failed: {e}"))

    def fail_batch(e: Exception) -> None:
        nonlocal batch
        if batch is not None:
            batch.abort()
        batch = None
        failed(pending, e)
        pending.clear()

    def add(item: Prepared) -> None:
        nonlocal batch
        pending.append(Loaded(item.file, "loaded", item.graph, item.triples, item.warnings,
                              coverage=item.coverage, unplaced_lines=item.unplaced_lines))
        try:
            if batch is None:
                batch = store.open_batch(catalog)
            batch.add(item.graph, item.nquads, _catalog_entry(
                item.graph, item.key, item.file_name, item.sha256, catalog, base))
        except (KgError, OSError, SyntaxError, ValueError) as e:
            fail_batch(e)

    def settle() -> None:
        """Wait for the batch being written; its documents are done (or failed)."""
        nonlocal writing
        if writing is None:
            return
        commit, records = writing
        writing = None
        try:
            commit.wait()
        except (KgError, OSError, SyntaxError, ValueError) as e:
            failed(records, e)
            return
        for r in records:
            finish(r)

    def flush() -> None:
        nonlocal batch, writing
        settle()  # one batch written at a time: its journal is the store's only one
        if batch is None:
            return
        try:
            commit = batch.commit_in_background()
        except (KgError, OSError, SyntaxError, ValueError) as e:
            fail_batch(e)
            return
        batch = None
        writing = (commit, pending[:])
        pending.clear()

    seen: dict[str, str] = {}
    quads = 0
    replaced = False  # a stored document graph was replaced (not only new ones added)
    todo = []
    for f in files:  # hashed first: an unchanged document is never read or mapped
        graph = iris.graph(f.stem, base)
        stored = None if force or graph in seen else _stored_as(store, catalog, graph, version)
        if stored is not None and stored == content_hash(f):
            seen[graph] = str(f)
            finish(Loaded(str(f), "unchanged", graph))
        else:
            todo.append(f)
    try:
        for item in _prepared(todo, base, workers):
            if isinstance(item, Loaded):
                finish(item)
                continue
            if item.graph in seen:  # one graph per file stem: a second file would replace the first
                finish(Loaded(item.file, "failed", error=f"{item.file}: same file name as "
                              f"{seen[item.graph]}; documents are named by file name, rename one"))
                continue
            seen[item.graph] = item.file
            if item.coverage < min_coverage:
                finish(Loaded(item.file, "failed", coverage=item.coverage,
                              unplaced_lines=item.unplaced_lines, error=(
                                  f"{item.file}: only {item.coverage:.2%} of its lines read into "
                                  f"records ({item.unplaced_lines} unplaced), under the threshold "
                                  f"{min_coverage:.2%} (setting min_coverage, --min-coverage); "
                                  "`kg extract -v` lists what was not understood")))
                continue
            stored_hash = store.catalog_value(catalog, item.graph, BP.contentHash.value)
            same = (stored_hash == item.sha256 and
                    store.catalog_value(catalog, item.graph, BP.mapperVersion.value) == version)
            if same and not force:
                finish(Loaded(item.file, "unchanged", item.graph, coverage=item.coverage,
                              unplaced_lines=item.unplaced_lines))
                continue
            replaced = replaced or stored_hash is not None
            add(item)
            quads += item.triples
            if quads >= batch_quads:
                flush()
                quads = 0
        flush()
    finally:  # raised or not, the batch being written is finished before we go on
        settle()
    report = BuildReport(done, 0.0, recovered=getattr(store, "recovered", 0))
    phase = time.perf_counter()
    report.phases["load"] = phase - started

    def timed(name: str) -> None:
        nonlocal phase
        now = time.perf_counter()
        report.phases[name] = now - phase
        phase = now

    inputs = {iris.graph(f.stem, base) for f in files}
    report.not_in_input = [g for g in store.stored_documents(catalog) if g not in inputs]
    if prune and files:  # never empty the store because a folder was empty
        store.remove_graphs(report.not_in_input, catalog)
        report.removed, report.not_in_input = report.not_in_input, []
    # only a replaced or removed document can leave a shared description nothing
    # refers to; documents new to the store only add references
    if report.removed or report.recovered or (replaced and report.count("loaded")):
        report.shared_pruned = store.prune_shared(shared, (catalog,))
    # the shared graph's marker, last: which mapper wrote it
    if store.catalog_value(catalog, shared, BP.mapperVersion.value) != version:
        store.add_to_graph(catalog, [Triple(NamedNode(shared), BP.mapperVersion, plain(version))])
    store.flush()
    timed("prune")
    if (report.count("loaded") or report.removed) and config.get("compact"):
        store.optimize()
    timed("compact")
    report.snapshots = materialise_reports(store)
    timed("snapshots")
    report.seconds = time.perf_counter() - started
    return report
