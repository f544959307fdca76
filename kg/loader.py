"""The store end of a build (kg/pipeline.py ``build``): documents come in read and
mapped, and go into the store in batches, one named graph each, with their catalog
entries; then what the inputs no longer hold is pruned and the store is made ready
to serve (compacted, its reports' answers kept).

A ``Loader`` is one build.  Its steps, in order: ``open`` (the store's own graphs,
its base IRI), ``skip_unchanged`` (by content hash, before anything is read),
``load`` (each document from the workers: checked, added to the open batch, the
batch committed in the background when full), ``finish`` (prune, compact,
snapshots, the report)."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import config, iris
from .errors import KgError
from .map.catalog import catalog_entry, mapper_marker
from .map.citations import registry_quads
from .map.document import mapper_version
from .map.terms import BP, VOID
from .ontology import ontology_quads
from .read.text import content_hash
from .results import materialise_reports
from .store import Store
from .store.base import Batch, Commit

#: what a failed store write raises; the batch's documents fail, the build goes on
WRITE_ERRORS = (KgError, OSError, SyntaxError, ValueError)


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


def base_for(store: Store, asked: str | None) -> str:
    """The base IRI a build mints under: the one asked for (``--base``, or the
    setting ``base`` when set), else the one the store was built with, else the
    setting's default.  Asking for another base than the store's is refused: the
    new IRIs would never meet the stored ones."""
    if asked is None and config.is_set("base"):
        asked = str(config.get("base"))
    base = iris.base(asked or store.base_iri)
    if store.base_iri is not None and store.base_iri != base:
        where = f" at {store.path}" if store.path else ""
        raise KgError(f"the store{where} holds resources minted under the base IRI "
                      f"{store.base_iri}, not {base} (--base, setting base): build with "
                      f"--base {store.base_iri}, or into a new store to use another base")
    return base


class Loader:
    """One build's writing into ``store`` (see the module's docstring)."""

    def __init__(self, store: Store, base: str | None = None, force: bool = False,
                 batch_quads: int | None = None, min_coverage: float | None = None,
                 progress: ProgressCallback | None = None):
        self.store = store
        self.base = base_for(store, base)
        self.catalog = iris.catalog_graph(self.base)
        self.shared = iris.shared_graph(self.base)
        self.version = mapper_version()
        self.force = force
        self.batch_quads = int(batch_quads if batch_quads is not None
                               else config.get("batch_quads"))
        self.min_coverage = float(min_coverage if min_coverage is not None
                                  else config.get("min_coverage"))
        self.progress = progress
        self.total = 0  # documents in the input
        self.done: list[Loaded] = []
        self.seen: dict[str, str] = {}  # document graph → the file that fills it
        self.replaced = False  # a stored document graph was replaced, not only added
        # the open batch (streamed into the store's journal as documents come), the
        # records its documents get once it is written, and its size in quads
        self.batch: Batch | None = None
        self.pending: list[Loaded] = []
        self.quads = 0
        # the batch being written in the background, with its records: documents
        # for the next batch are taken from the workers meanwhile
        self.writing: tuple[Commit, list[Loaded]] | None = None

    # -- before reading: the store's own graphs -----------------------------------

    def open(self, total: int) -> None:
        """Record the base IRI, bring the ontology and the issuer registry up to
        date, and check who wrote the shared graph, for a build of ``total`` files."""
        self.total = total
        if self.store.catalog_value(self.catalog, self.catalog, VOID.uriSpace.value) != self.base:
            self.store.record_base(self.base)
        self._replace_if_changed(iris.ONTOLOGY, ontology_quads())
        self._replace_if_changed(iris.registry_graph(self.base), registry_quads(self.base))
        marker = self.store.catalog_value(self.catalog, self.shared, BP.mapperVersion.value)
        if marker is None and not self.store.stored_documents(self.catalog):
            # a new store: its shared graph is this mapper's from the start, so a first
            # build killed half-way resumes with the documents it had not loaded yet
            self.store.add_to_graph(self.catalog, [mapper_marker(self.shared, self.version)])
            marker = self.version
        if marker != self.version:
            # the shared graph only ever grows by merging; written by another mapper or
            # registry, it may hold what this one would not say: start it afresh, and
            # reload every document so each adds its part again
            self.store.remove_graph(self.shared, self.catalog)
            self.force = True

    def _replace_if_changed(self, graph: str, quads: list) -> None:
        """Replace a small graph (ontology, registry) only if its triples differ: an
        unchanged rebuild then writes nothing, and the store's snapshots stay valid."""
        if not (self.store.has_graph(graph) and
                set(self.store.graph_triples(graph)) == {q.triple for q in quads}):
            self.store.replace_graph(graph, quads, self.catalog, [])

    def skip_unchanged(self, files: list[Path]) -> list[Path]:
        """The files to read: the others' content hash and mapper version are those
        stored, so they are done (unchanged) without being read or mapped."""
        todo = []
        for f in files:
            graph = iris.graph(f.stem, self.base)
            stored = None if self.force or graph in self.seen else self._stored_hash(graph)
            if stored is not None and stored == content_hash(f):
                self.seen[graph] = str(f)
                self._finish(Loaded(str(f), "unchanged", graph))
            else:
                todo.append(f)
        return todo

    def _stored_hash(self, graph: str) -> str | None:
        """The content hash a document graph was stored with, if this mapper stored it."""
        if self.store.catalog_value(self.catalog, graph, BP.mapperVersion.value) != self.version:
            return None
        return self.store.catalog_value(self.catalog, graph, BP.contentHash.value)

    # -- loading: documents as the workers finish them -----------------------------

    def load(self, items: Iterable[Prepared | Loaded]) -> None:
        """Take each document (a ``Loaded`` is one that failed in its worker), in
        batches of about ``batch_quads`` quads; returns once all are written."""
        try:
            for item in items:
                if isinstance(item, Loaded):
                    self._finish(item)
                elif self._accepted(item):
                    self._add(item)
                    if self.quads >= self.batch_quads:
                        self._commit()
            self._commit()
        finally:  # raised or not, the batch being written is finished before we go on
            self._settle()

    def _accepted(self, item: Prepared) -> bool:
        """Whether a prepared document is to be written; if not, it is done (failed
        or unchanged)."""
        if item.graph in self.seen:  # one graph per file stem: a second would replace the first
            self._finish(Loaded(item.file, "failed", error=f"{item.file}: same file name as "
                                f"{self.seen[item.graph]}; documents are named by file name, "
                                "rename one"))
            return False
        self.seen[item.graph] = item.file
        if item.coverage < self.min_coverage:
            self._finish(Loaded(item.file, "failed", coverage=item.coverage,
                                unplaced_lines=item.unplaced_lines, error=(
                f"{item.file}: only {item.coverage:.2%} of its lines read into records "
                f"({item.unplaced_lines} unplaced), under the threshold {self.min_coverage:.2%} "
                "(setting min_coverage, --min-coverage); `kg extract -v` lists what was not "
                "understood")))
            return False
        stored_hash = self.store.catalog_value(self.catalog, item.graph, BP.contentHash.value)
        if stored_hash == item.sha256 and not self.force and self.store.catalog_value(
                self.catalog, item.graph, BP.mapperVersion.value) == self.version:
            self._finish(Loaded(item.file, "unchanged", item.graph, coverage=item.coverage,
                                unplaced_lines=item.unplaced_lines))
            return False
        self.replaced = self.replaced or stored_hash is not None
        return True

    def _add(self, item: Prepared) -> None:
        """Stream a document into the open batch (opened on its first document)."""
        self.pending.append(Loaded(item.file, "loaded", item.graph, item.triples,
                                   item.warnings, coverage=item.coverage,
                                   unplaced_lines=item.unplaced_lines))
        self.quads += item.triples
        try:
            if self.batch is None:
                self.batch = self.store.open_batch(self.catalog)
            self.batch.add(item.graph, item.nquads, catalog_entry(
                item.graph, item.key, item.file_name, item.sha256, self.version,
                datetime.now(UTC), self.base))
        except WRITE_ERRORS as e:
            self._fail_batch(e)

    def _commit(self) -> None:
        """Commit the open batch and start writing it in the background, once the
        one before is written (its journal is the store's only one)."""
        self._settle()
        self.quads = 0
        if self.batch is None:
            return
        try:
            commit = self.batch.commit_in_background()
        except WRITE_ERRORS as e:
            self._fail_batch(e)
            return
        self.batch = None
        self.writing = (commit, self.pending)
        self.pending = []

    def _settle(self) -> None:
        """Wait for the batch being written; its documents are done (or failed)."""
        if self.writing is None:
            return
        commit, records = self.writing
        self.writing = None
        try:
            commit.wait()
        except WRITE_ERRORS as e:
            self._failed(records, e)
            return
        for r in records:
            self._finish(r)

    def _fail_batch(self, e: Exception) -> None:
        """The open batch cannot be written: its documents fail, the build goes on."""
        if self.batch is not None:
            self.batch.abort()
        self.batch = None
        self._failed(self.pending, e)
        self.pending = []

    def _failed(self, records: list[Loaded], e: Exception) -> None:
        for r in records:
            self._finish(Loaded(r.file, "failed", error=f"store write failed: {e}"))

    def _finish(self, record: Loaded) -> None:
        self.done.append(record)
        if self.progress is not None:
            self.progress(len(self.done), self.total, record)

    # -- after loading: prune, compact, snapshots ----------------------------------

    def finish(self, files: list[Path], prune: bool, started: float) -> BuildReport:
        """Prune what the inputs no longer hold (with ``prune``), compact the store,
        keep the reports' answers; the build's report, timed from ``started``."""
        report = BuildReport(self.done, 0.0, recovered=self.store.recovered)
        phase = time.perf_counter()
        report.phases["load"] = phase - started
        self._prune(report, files, prune)
        self.store.flush()
        report.phases["prune"] = time.perf_counter() - phase
        phase = time.perf_counter()
        if (report.count("loaded") or report.removed) and config.get("compact"):
            self.store.optimize()
        report.phases["compact"] = time.perf_counter() - phase
        phase = time.perf_counter()
        report.snapshots = materialise_reports(self.store)
        report.phases["snapshots"] = time.perf_counter() - phase
        report.seconds = time.perf_counter() - started
        return report

    def _prune(self, report: BuildReport, files: list[Path], prune: bool) -> None:
        """List (or with ``prune`` remove) the stored documents not among ``files``;
        drop what only replaced or removed documents referred to in the shared graph."""
        inputs = {iris.graph(f.stem, self.base) for f in files}
        report.not_in_input = [g for g in self.store.stored_documents(self.catalog)
                               if g not in inputs]
        if prune and files:  # never empty the store because a folder was empty
            self.store.remove_graphs(report.not_in_input, self.catalog)
            report.removed, report.not_in_input = report.not_in_input, []
        # only a replaced or removed document can leave a shared description nothing
        # refers to; documents new to the store only add references
        if report.removed or report.recovered or (self.replaced and report.count("loaded")):
            report.shared_pruned = self.store.prune_shared(self.shared, (self.catalog,))
        # the shared graph's marker, last: which mapper wrote it
        if self.store.catalog_value(self.catalog, self.shared,
                                    BP.mapperVersion.value) != self.version:
            self.store.add_to_graph(self.catalog, [mapper_marker(self.shared, self.version)])
