"""The embedded store: pyoxigraph on disk.

One named graph per source document, replaced whole.  A build writes documents in
batches, and a batch is all-or-nothing even if the process is killed: each
document's graph is then exactly its old version or its new one (old = absent for a
document new to the store), with the catalog entry of that version.

pyoxigraph's transactions (``Store.extend``, ``Store.update``) are atomic but write
far slower than its bulk loader, which is not atomic (benchmarks/build.py
``--write`` measures both).  So a batch is written with a redo
journal, as databases do:

1. the batch's new quads are streamed, document by document as a build adds them,
   to ``<store>/kg-journal/batch.nq.tmp`` (so the build's memory does not grow with
   the batch); a trailer (the graphs to replace, their catalog entries, the byte
   count) ends it, and the rename to ``batch.nq`` is the commit point (before it the
   store is untouched);
2. one transaction drops the batch's document graphs and their catalog entries; the
   bulk loader writes the new quads; one transaction writes the catalog entries;
3. the journal is deleted.

Steps 2 and 3 run in a background thread (``commit_in_background``; pyoxigraph's
bulk loader releases the GIL) while the build streams its next batch into
``batch.nq.tmp``; that batch commits only once the last one is written, so there is
never more than one committed journal.

Opening the store for writing finds a journal left by a killed build and applies it
again (step 2 is idempotent: drop, load, mark), so the batch ends at its new version;
a journal cut off before the rename is discarded.  A store with a pending journal
refuses to open read-only, since its document graphs may be half-replaced until a
writer finishes the batch (`kg build` does).

Only the document graph is replaced whole: quads a document brings in other graphs
(a graph of node descriptions shared across documents) are merged, set semantics.
Queries see the union of all graphs as their default graph.

Whole-graph writes from the Graph Store Protocol (``put_graph``, ``add_to_graph``)
are one SPARQL update each, so each is one transaction: a reader sees the old graph
or the new one, never a mix.  Their data goes in as N-Triples written by pyoxigraph
from parsed terms, never as client text.
"""
from __future__ import annotations

import gc
import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)

from ..map.terms import BP, RDF
from .base import (
    Batch,
    Capabilities,
    Commit,
    StoreBase,
    StoreError,
    nquads,
    ntriples,
    report_graph_of,
)
from .querytext import bind_values, var_name
from .snapshots import Snapshots

JOURNAL = "kg-journal"  # folder inside the store folder (RocksDB ignores folders)
_BATCH, _TMP = "batch.nq", "batch.nq.tmp"
_MAGIC = b"# kg-batch "  # the trailer: N-Quads comments, so the loader skips them
_END = b"# kg-batch-trailer-bytes "


def _open_error(path, e: OSError) -> str:
    """Why a store folder would not open, said in the user's terms."""
    text = str(e)
    if "lock file" in text and "unavailable" in text:
        return (f"another process holds the store at {path} open for writing (a `kg build`, "
                "or `kg serve` with a write token): wait for it to end or stop it, then retry")
    if "No space left" in text:
        return (f"cannot open the store at {path}: the disk is full; free space, then run "
                "`kg build` again (it finishes what was half-written)")
    if "CURRENT" in text and "No such file" in text:
        return f"no store at {path} (the folder holds none): run `kg build` first"
    return f"cannot open the store at {path}: {e}"


class EmbeddedStore(StoreBase):
    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        journal = Path(path) / JOURNAL / _BATCH if path is not None else None
        if read_only and journal is not None and journal.exists():
            raise StoreError(f"the store at {path} has a batch of documents half-written: "
                             "a build is writing it, was killed or ran out of disk space; "
                             "run `kg build` again to finish it")
        try:
            if path is None:
                self.store = Store()
            elif read_only:
                self.store = Store.read_only(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self.store = Store(str(path))
        except OSError as e:
            raise StoreError(_open_error(path, e)) from None
        self.path = path
        #: where batches are journalled (None: in memory, no journal)
        self.journal = Path(path) / JOURNAL if path is not None else None
        self.read_only = read_only
        on_disk = path is not None
        self.capabilities = Capabilities(versioned=on_disk, snapshots=on_disk,
                                         local_folder=on_disk)
        #: materialised report answers (kg/store/snapshots.py); none in memory
        self.snapshots = Snapshots(path) if path is not None else None
        self.version = ""
        self._version_lock = threading.Lock()
        #: batches of a killed build finished on opening (0 or 1)
        self.recovered = 0 if read_only else self._recover()
        if self.snapshots is not None:  # read after opening: the version of this view
            self.version = self.version or self.snapshots.version()
            if not self.version and not read_only:  # never written: its first version,
                self.version = self.snapshots.new_version()  # so answers have validators
        self.base_iri = self.recorded_base()

    @contextmanager
    def _writing(self):
        """Every write replaces the store's version token before it starts and after
        it ends, so no snapshot outlives the data it was computed from."""
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only here; it cannot "
                             "be written (open it for writing, outside a validation run)")
        if self.snapshots is not None:
            self.snapshots.new_version()
        try:
            yield
        finally:
            if self.snapshots is not None:
                self.version = self.snapshots.new_version()

    # --- writing documents: atomic batches ------------------------------------------

    def replace_graphs(self, items: list[tuple[str, list[Quad] | bytes, list[Quad]]],
                       catalog: str) -> None:
        """Replace several documents' graphs and catalog entries as one batch: after a
        crash at any point each is at its old version or its new one, never half (see
        the module's docstring).  Quads come as pyoxigraph quads or N-Quads bytes (what
        build workers send: cheaper to pass between processes).  A document's own
        graph is replaced whole; its quads in other graphs are merged into them."""
        if self.path is None:  # in memory: nothing survives a crash, no journal needed
            parts = [q if isinstance(q, bytes) else nquads(q) for _, q, _ in items if q]
            self._apply([g for g, _, _ in items], catalog, b"".join(parts),
                        [q for _, _, cat in items for q in cat])
            return
        batch = self.open_batch(catalog)
        for item in items:
            batch.add(*item)
        batch.commit()

    def open_batch(self, catalog: str) -> Batch:
        """A batch streamed into the journal as documents are added, so a build's
        memory does not grow with the batch; in memory, the plain `Batch`."""
        if self.journal is None:
            return Batch(self, catalog)
        return _JournalBatch(self, catalog, self.journal)

    def remove_graph(self, graph: str, catalog: str) -> None:
        """Remove a document's graph and its catalog entry in one transaction."""
        self.remove_graphs([graph], catalog)

    def remove_graphs(self, graphs: list[str], catalog: str) -> None:
        """Remove documents' graphs and their catalog entries in one transaction."""
        if graphs:
            with self._writing():
                self.store.update(_drop_update(graphs, catalog))

    def stored_documents(self, catalog: str) -> list[str]:
        """The document graphs with a catalog entry (complete ones), sorted."""
        return sorted(q.subject.value for q in self.store.quads_for_pattern(
            None, RDF.type, BP.DocumentGraph, NamedNode(catalog))
            if isinstance(q.subject, NamedNode))

    def prune_shared(self, shared: str, ignore_graphs: tuple[str, ...] = ()) -> int:
        """Remove from the graph ``shared`` (descriptions shared across documents,
        merged by every document that brings them) the subjects nothing refers to any
        more: not named in any other graph (mentions in ``ignore_graphs``, e.g. the
        catalog, do not count) and not reachable inside ``shared`` from a subject that
        is.  One transaction; returns the number of quads removed."""
        sg = NamedNode(shared)
        ignore = {sg, *map(NamedNode, ignore_graphs)}
        by_subject: dict = {}
        for q in self.store.quads_for_pattern(None, None, None, sg):
            by_subject.setdefault(q.subject, []).append(q)
        if not by_subject:
            return 0

        def mentioned_elsewhere(node) -> bool:
            return any(q.graph_name not in ignore for q in chain(
                self.store.quads_for_pattern(node, None, None, None),
                self.store.quads_for_pattern(None, None, node, None)))

        live = [s for s in by_subject if mentioned_elsewhere(s)]
        seen = set(live)
        while live:  # what live descriptions point to inside the shared graph stays too
            for q in by_subject[live.pop()]:
                if q.object in by_subject and q.object not in seen:
                    seen.add(q.object)
                    live.append(q.object)
        dead = [q.triple for s, qs in by_subject.items() if s not in seen for q in qs]
        if dead:
            data = ntriples(dead)
            with self._writing():
                self.store.update(f"DELETE DATA {{ GRAPH {sg} {{\n{data}}} }}")
        return len(dead)

    def _apply(self, graphs: list[str], catalog: str, data: bytes | Path,
               markers: list[Quad]) -> None:
        """Drop the graphs and their catalog entries, load the new quads, then write
        the catalog entries.  Idempotent, so a journal can be applied again."""
        if graphs:
            self.store.update(_drop_update(graphs, catalog))
        # lenient: the quads were serialised by pyoxigraph from parsed terms (our own
        # mapper, or a journal we wrote), so the parser's IRI and literal checks are
        # redundant; skipping them makes the write faster (benchmarks/build.py)
        if isinstance(data, Path):
            self.store.bulk_load(path=str(data), format=RdfFormat.N_QUADS, lenient=True)
        elif data:
            self.store.bulk_load(data, format=RdfFormat.N_QUADS, lenient=True)
        if markers:
            self.store.extend(markers)

    def _recover(self) -> int:
        """Finish a batch whose journal was committed by a killed build."""
        if self.journal is None:
            return 0
        # a batch never committed: the store is untouched by it
        (self.journal / _TMP).unlink(missing_ok=True)
        return self._finish_journal()

    def _finish_journal(self) -> int:
        """Apply the committed journal, if there is one (a killed build's, or a batch
        whose writing failed earlier in this process)."""
        if self.journal is None:
            return 0
        journal = self.journal / _BATCH
        if not journal.exists():
            return 0
        header = _read_trailer(journal)
        if header is None:
            raise StoreError(f"the store at {self.path} has a damaged journal {journal} "
                             "(was the machine switched off?): remove it and rebuild with "
                             "`kg build --force`")
        try:
            markers = list(parse(header["markers"].encode("utf-8"), format=RdfFormat.N_QUADS))
            with self._writing():
                self._apply(header["graphs"], header["catalog"], journal, markers)
        except (OSError, SyntaxError, ValueError) as e:
            raise StoreError(f"cannot finish the batch in {journal}: {e}") from e
        journal.unlink()
        return 1

    def catalog_value(self, catalog: str, graph: str, prop: str) -> str | None:
        for q in self.store.quads_for_pattern(NamedNode(graph), NamedNode(prop), None,
                                              NamedNode(catalog)):
            return str(q.object) if isinstance(q.object, Triple) else q.object.value
        return None

    def query(self, sparql: str, substitutions: dict | None = None, *,
              default_graph: list | None = None, named_graphs: list | None = None,
              base_iri: str | None = None, timeout: float | None = None):
        """pyoxigraph's result (solutions, boolean or triples), evaluated lazily.  The
        default graph is the union of the named graphs unless ``default_graph`` names
        graphs.  ``timeout`` is for the remote store (a lazy result here is timed by
        whoever reads it)."""
        # a kept answer was computed over the default dataset with no base IRI: it
        # answers a request for that dataset, whatever base the endpoint passes (a
        # text with relative IRIs cannot be evaluated without one, so none is kept)
        kept = None if default_graph or named_graphs else self.snapshots
        if kept is not None and not substitutions:
            body = kept.get(self.version, sparql)
            if body is not None:
                return parse_query_results(body, format=QueryResultsFormat.TSV)
        if kept is not None and substitutions and len(substitutions) == 1:
            ((var, term),) = substitutions.items()
            body = kept.get_partition(self.version, sparql, var_name(var), str(term))
            if body is not None:
                return parse_query_results(body, format=QueryResultsFormat.TSV)
        if substitutions:  # planned with the values known (kg/store/querytext.py)
            sparql = bind_values(sparql, substitutions)
        kwargs: dict = {}
        if default_graph:
            kwargs["default_graph"] = list(default_graph)
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = list(named_graphs)
        if base_iri:
            kwargs["base_iri"] = base_iri
        return self.store.query(sparql, **kwargs)

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """A SPARQL Update, one transaction."""
        with self._writing():
            self.store.update(sparql, base_iri=base_iri)

    def materialise(self, sparql: str, by: str | None = None) -> bool:
        """Compute the answer of a SELECT query over the whole graph and keep it as a
        snapshot of the store's current version (kg/store/snapshots.py), unless one
        is there already; ``by``: the answer with the parameter ``?by`` left free,
        kept grouped by its value.  Returns True if it computed one."""
        if self.snapshots is None:
            return False
        with self._version_lock:  # reports are materialised in parallel threads
            if not self.version:  # a store never written
                self.version = self.snapshots.new_version()
            version = self.version
        if (self.snapshots.has_partitioned(version, sparql, by) if by
                else self.snapshots.get(version, sparql) is not None):
            return False
        result = self.store.query(sparql, use_default_graph_as_union=True)
        if not isinstance(result, QuerySolutions):
            raise StoreError("only SELECT answers are materialised")
        if by is None:
            body = result.serialize(format=QueryResultsFormat.TSV) or b""
            return self.snapshots.put(version, sparql, body) is not None
        # a lineage query's whole answer (every directive's) is large: through a file
        results = self.snapshots.folder / f"{version}-{uuid.uuid4().hex}.results.tmp"
        try:
            result.serialize(results, format=QueryResultsFormat.TSV)
        except BaseException:  # a full disk: no half-written file left behind
            results.unlink(missing_ok=True)
            raise
        return self.snapshots.put_partitioned(version, sparql, by, results) is not None

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph=None):
        """Quads matching a pattern (``None`` matches anything; ``graph`` None: every
        graph)."""
        return self.store.quads_for_pattern(subject, predicate, object, graph)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def quads(self, graph: str | None = None) -> list[Quad]:
        g = NamedNode(graph) if graph else None
        return list(self.store.quads_for_pattern(None, None, None, g))

    def describe_in(self, graph: str, subjects: list[NamedNode]) -> list[Triple]:
        """Every triple of ``graph`` whose subject is one of ``subjects``."""
        g = NamedNode(graph)
        return [q.triple for s in subjects
                for q in self.store.quads_for_pattern(s, None, None, g)]

    def has_graph(self, graph: str | None) -> bool:
        """True for the default graph (``None``, always there) and for a named graph
        in the store, even an empty one."""
        return graph is None or self.store.contains_named_graph(NamedNode(graph))

    def graph_triples(self, graph: str | None) -> list[Triple]:
        g = NamedNode(graph) if graph else DefaultGraph()
        return [q.triple for q in self.store.quads_for_pattern(None, None, None, g)]

    def put_graph(self, graph: str | None, triples: list[Triple]) -> None:
        """Replace a graph (``None``: the default graph) in one transaction."""
        if graph is None:
            self.update("CLEAR SILENT DEFAULT ;\n" + _insert_data(None, triples))
            return
        g = NamedNode(graph)
        self.update(f"DROP SILENT GRAPH {g} ;\nCREATE SILENT GRAPH {g} ;\n"
                    + _insert_data(g, triples))

    def add_to_graph(self, graph: str | None, triples: list[Triple]) -> None:
        """Merge triples into a graph, creating it if needed, in one transaction."""
        g = NamedNode(graph) if graph else None
        create = f"CREATE SILENT GRAPH {g} ;\n" if g else ""
        self.update(create + _insert_data(g, triples))

    def drop_graph(self, graph: str | None) -> None:
        """Remove a named graph; the default graph is emptied."""
        self.update(f"DROP SILENT GRAPH {NamedNode(graph)}" if graph else "CLEAR SILENT DEFAULT")

    def flush(self) -> None:
        if self.path is not None:
            self.store.flush()

    @contextmanager
    def readable_elsewhere(self) -> Iterator[str | None]:
        """The store's folder, which other processes may open read-only while the
        block runs (None: in memory).  RocksDB admits no reader beside a writer, so a
        writable store is flushed, reopened read-only for the block, and writable
        again after it; a write inside the block fails."""
        if self.path is None or self.read_only:
            yield None if self.path is None else str(self.path)
            return
        self.store.flush()
        self._reopen(read_only=True)
        try:
            yield str(self.path)
        finally:
            self._reopen(read_only=False)

    def _reopen(self, read_only: bool) -> None:
        """Close the store's files (a writer's background work ends with it), then
        open them again, read-only or writable."""
        self.store = Store()  # an empty placeholder: the old one is closed
        gc.collect()  # and whatever still referred to it
        try:
            self.store = Store.read_only(str(self.path)) if read_only else Store(str(self.path))
        except OSError as e:
            if read_only:  # back to writing, as the caller had it
                self._reopen(read_only=False)
            else:  # never the empty placeholder: reading goes on, writing says why
                self.store, self.read_only = Store.read_only(str(self.path)), True
            raise StoreError(_open_error(self.path, e)) from e
        self.read_only = read_only

    def optimize(self) -> None:
        """Compact the store on disk.  Bulk-loaded batches leave many overlapping
        files, and every index lookup of a query seeks in each: after compaction the
        lineage queries run several times faster on a large store."""
        if self.path is not None:
            self.store.optimize()


def _drop_update(graphs: list[str], catalog: str) -> str:
    """One SPARQL update dropping graphs, their validation reports and their catalog
    entries."""
    values = " ".join(str(NamedNode(g)) for g in graphs)
    # a document's validation report goes with it (a new one is written by kg validate)
    reports = sorted({report_graph_of(g) for g in graphs} - set(graphs))
    drops = "".join(f"DROP SILENT GRAPH {NamedNode(g)} ;\n" for g in [*graphs, *reports])
    return (drops + f"DELETE {{ GRAPH {NamedNode(catalog)} {{ ?g ?p ?o }} }} WHERE {{ "
            f"VALUES ?g {{ {values} }} GRAPH {NamedNode(catalog)} {{ ?g ?p ?o }} }}")


def _insert_data(graph: NamedNode | None, triples: list[Triple]) -> str:
    """``INSERT DATA`` of triples serialised by pyoxigraph (N-Triples is SPARQL
    syntax); blank nodes become fresh nodes, as a merge needs."""
    data = ntriples(triples) if triples else ""
    return f"INSERT DATA {{ GRAPH {graph} {{\n{data}}} }}" if graph else f"INSERT DATA {{\n{data}}}"



class _JournalBatch(Batch):
    """Documents streamed into ``kg-journal/batch.nq.tmp`` as they are added; commit
    writes the trailer (graphs, catalog entries, byte count), renames the file (the
    commit point), applies it and deletes it."""

    store: EmbeddedStore

    def __init__(self, store: EmbeddedStore, catalog: str, folder: Path):
        super().__init__(store, catalog)
        folder.mkdir(exist_ok=True)
        self.tmp, self.final = folder / _TMP, folder / _BATCH
        self.file = open(self.tmp, "wb")
        self.graphs: list[str] = []
        self.markers: list[Quad] = []
        self.bytes = 0

    def add(self, graph: str, quads, catalog_quads) -> None:
        data = quads if isinstance(quads, bytes) else nquads(quads)
        if data:
            self.file.write(data)
            self.bytes += len(data)
        self.graphs.append(graph)
        self.markers.extend(catalog_quads)

    def commit(self) -> None:
        self.commit_in_background().wait()

    def commit_in_background(self) -> Commit:
        """Write the trailer and rename the journal (the commit point) here, then
        apply it in a thread: the caller maps the next batch meanwhile.  One
        committed journal at a time, so the caller waits for the last ``Commit``
        before committing the next batch."""
        store = self.store
        if not self.graphs:
            self.abort()
            return Commit(lambda: None, background=False)
        if self.final.exists():  # a batch of this process whose writing failed: retry it first
            store._finish_journal()
        with store._writing():
            header = {"catalog": self.catalog, "graphs": self.graphs, "bytes": self.bytes,
                      "markers": nquads(self.markers).decode("utf-8")}
            trailer = _MAGIC + json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n"
            self.file.write(trailer + _END + b"%012d\n" % len(trailer))
            self.file.close()
            os.replace(self.tmp, self.final)
        return Commit(self._write)

    def _write(self) -> None:
        store = self.store
        with store._writing():
            try:
                store._apply(self.graphs, self.catalog, self.final, self.markers)
            except Exception as e:
                raise StoreError(f"writing a batch of {len(self.graphs)} graphs failed ({e}); "
                                 f"it is kept in {self.final} and finished when the store is "
                                 "next opened for writing") from e
            self.final.unlink()

    def abort(self) -> None:
        """Forget the batch: its journal was never committed, the store is untouched."""
        self.file.close()
        self.tmp.unlink(missing_ok=True)


def _read_trailer(journal: Path) -> dict | None:
    """The header of a committed journal, or None if it is damaged: its trailer (the
    last line gives the trailer's length) must say how many bytes of quads precede
    it, and they must all be there."""
    size = journal.stat().st_size
    tail_len = len(_END) + 13
    if size < tail_len:
        return None
    with open(journal, "rb") as f:
        f.seek(size - tail_len)
        tail = f.read(tail_len)
        if not (tail.startswith(_END) and tail[len(_END):-1].isdigit()):
            return None
        length = int(tail[len(_END):-1])
        start = size - tail_len - length
        if start < 0:
            return None
        f.seek(start)
        line = f.read(length)
    if not line.startswith(_MAGIC):
        return None
    try:
        header = json.loads(line[len(_MAGIC):])
    except ValueError:
        return None
    return header if header.get("bytes") == start else None
