"""What both kinds of store share: the whole-store reads built on ``quads()``."""
from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from ..errors import KgError
from ..iris import CATALOG_GRAPH
from ..map.terms import BP, VOID


def nquads(quads) -> bytes:
    """Quads as N-Quads, written by pyoxigraph."""
    return serialize(quads, format=RdfFormat.N_QUADS) or b""  # None only for a file


def ntriples(triples) -> str:
    """Triples as N-Triples text (also SPARQL syntax), written by pyoxigraph."""
    return (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def report_graph_of(graph: str) -> str:
    """Where a document graph's validation report is kept: it is replaced or dropped
    with the document, so a page never shows findings about an older version."""
    return graph.replace("/graph/", "/validation/", 1)


class StoreError(KgError):
    """The store cannot be opened, read or written."""


class QueryTimeout(StoreError, TimeoutError):
    """A query ran past its time (the server said so, or its answer did not come in
    time).  Nothing of its result is returned: never a partial answer."""


@dataclass(frozen=True)
class Capabilities:
    """What a store can do beyond the shared interface: callers ask this instead of
    probing for attributes."""

    #: ``version`` changes on every write (ETags, kept report answers)
    versioned: bool
    #: keeps materialised report answers (``materialise``; kg/store/snapshots.py)
    snapshots: bool
    #: a folder that other processes can open read-only (killable query workers)
    local_folder: bool
    #: a query's own dataset (``FROM NAMED``) is what its ``GRAPH ?g`` ranges over, as
    #: SPARQL says (the validator names a few documents' graphs so; Virtuoso 7.2.5
    #: gives other answers to its queries with it)
    query_datasets: bool = True
    #: ``datatype()`` of a language-tagged literal is rdf:langString (SPARQL 1.1);
    #: Virtuoso 7.2.5 gives none and then finds it unequal to rdf:langString
    lang_string_datatype: bool = True
    #: sub-SELECTs joined or subtracted (``MINUS``) answer as SPARQL says: the
    #: validator's screens read each triple pattern as its own sub-SELECT, joined by
    #: hash in pyoxigraph; Virtuoso 7.2.5's MINUS between two such returns rows that
    #: its left side does not hold, so there the screens are plain patterns
    sub_select_tables: bool = True


class Store(Protocol):
    """The interface every store implements (embedded pyoxigraph, SPARQL server):
    the pipeline, the validator and the web layer are written against this."""

    capabilities: Capabilities
    read_only: bool
    #: where the store is: its folder (None: in memory) or the server's query URL
    path: str | Path | None
    #: a token that changes on every write ("" when the store does not keep one)
    version: str
    #: the base IRI the store's data was minted with (None: nothing built yet), read
    #: when the store is opened (``record_base`` writes it)
    base_iri: str | None
    #: batches of a killed build finished when the store was opened (0 or 1)
    recovered: int

    def query(self, sparql: str, substitutions: dict | None = None, *,
              default_graph: list | None = None, named_graphs: list | None = None,
              base_iri: str | None = None, timeout: float | None = None) -> Any: ...
    def update(self, sparql: str, base_iri: str | None = None) -> None: ...
    def materialise(self, sparql: str, by: str | None = None) -> bool: ...
    def quads(self, graph: str | None = None) -> list: ...
    def quads_for_pattern(self, subject=None, predicate=None, object=None,
                          graph=None) -> Any: ...
    def named_graphs(self) -> list[str]: ...
    def has_graph(self, graph: str | None) -> bool: ...
    def graph_triples(self, graph: str | None) -> list: ...
    def put_graph(self, graph: str | None, triples: list) -> None: ...
    def add_to_graph(self, graph: str | None, triples: list) -> None: ...
    def drop_graph(self, graph: str | None) -> None: ...
    def describe_in(self, graph: str, subjects: list) -> list: ...
    def open_batch(self, catalog: str) -> Batch: ...
    def replace_graphs(self, items: list, catalog: str) -> None: ...
    def replace_graph(self, graph: str, quads, catalog: str, catalog_quads) -> None: ...
    def remove_graph(self, graph: str, catalog: str) -> None: ...
    def remove_graphs(self, graphs: list[str], catalog: str) -> None: ...
    def stored_documents(self, catalog: str) -> list[str]: ...
    def catalog_value(self, catalog: str, graph: str, prop: str) -> str | None: ...
    def prune_shared(self, shared: str, ignore_graphs: tuple[str, ...] = ()) -> int: ...
    def record_base(self, base: str) -> None: ...
    def canonical_nquads(self, graph: str | None = None) -> bytes: ...
    def dump(self, folder: str | Path, prefixes: dict[str, str]) -> list[Path]: ...
    def triple_count(self) -> int: ...
    def flush(self) -> None: ...
    def optimize(self) -> None: ...
    def readable_elsewhere(self) -> AbstractContextManager[str | None]: ...


class Batch:
    """Documents written together, all-or-nothing: ``add`` each, then ``commit``.
    This one keeps them in memory and hands them to ``replace_graphs``; the embedded
    store on disk streams them into its journal instead (kg/store/embedded.py)."""

    def __init__(self, store: Store, catalog: str):
        self.store, self.catalog = store, catalog
        self.items: list = []

    def add(self, graph: str, quads, catalog_quads) -> None:
        self.items.append((graph, quads, catalog_quads))

    def commit(self) -> None:
        self.store.replace_graphs(self.items, self.catalog)
        self.items = []

    def commit_in_background(self) -> Commit:
        """Commit while the caller goes on; here at once (nothing to overlap with)."""
        return Commit(self.commit, background=False)

    def abort(self) -> None:
        self.items = []


class Commit:
    """The writing of a committed batch, run in a thread (pyoxigraph's bulk loader
    releases the GIL, so the build goes on taking documents from its workers) or at
    once; ``wait`` returns when it is written and raises what writing raised."""

    def __init__(self, write, background: bool = True):
        self.error: BaseException | None = None
        self.thread = None
        if background:
            self.thread = threading.Thread(target=self._run, args=(write,),
                                           name="kg-batch-write", daemon=True)
            self.thread.start()
        else:
            self._run(write)

    def _run(self, write) -> None:
        try:
            write()
        except BaseException as e:  # handed to the waiting thread, never lost
            self.error = e

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            raise self.error


class StoreBase(Store):
    """Methods written once over the interface (``quads``, ``replace_graphs``).
    It subclasses the protocol, so mypy checks every store against it."""

    capabilities = Capabilities(versioned=False, snapshots=False, local_folder=False)
    version = ""
    base_iri: str | None = None
    recovered = 0

    def record_base(self, base: str) -> None:
        """Keep the base IRI the data is minted under with the data, in the catalog
        graph (``<BASE catalog> void:uriSpace "BASE"``), where a SPARQL server keeps
        it as well as a folder; ``base_iri`` reads it back on opening."""
        catalog = NamedNode(base + CATALOG_GRAPH)
        self.add_to_graph(catalog.value, [Triple(catalog, VOID.uriSpace, Literal(base))])
        self.base_iri = base

    def recorded_base(self) -> str | None:
        """The base IRI kept by ``record_base``; without that record (a store an
        older kg built), the one its catalog graph is named under; None for a store
        with neither (nothing built yet)."""
        for q in self.quads_for_pattern(None, VOID.uriSpace, None, None):
            if isinstance(q.object, Literal) and q.subject == q.graph_name \
                    and q.subject.value == q.object.value + CATALOG_GRAPH:
                return q.object.value
        # one row, not every entry: a server may cap its answers (Virtuoso's row cap)
        for row in self.query(f"SELECT ?c WHERE {{ GRAPH ?c {{ ?g a {BP.DocumentGraph} }} "
                              f"FILTER(STRENDS(STR(?c), \"{CATALOG_GRAPH}\")) }} LIMIT 1"):
            return row["c"].value[: -len(CATALOG_GRAPH)]
        return None

    def materialise(self, sparql: str, by: str | None = None) -> bool:
        """Keep a report's answer (see `EmbeddedStore.materialise`); a store without
        snapshots keeps none."""
        return False

    def readable_elsewhere(self) -> AbstractContextManager[str | None]:
        """A folder other processes may open read-only while the block runs (see
        `EmbeddedStore.readable_elsewhere`); a store with none gives None."""
        return nullcontext(None)

    def open_batch(self, catalog: str) -> Batch:
        """A batch of documents to write as one (see `Batch`)."""
        return Batch(self, catalog)

    def replace_graph(self, graph: str, quads, catalog: str, catalog_quads) -> None:
        """Replace one document's graph; its catalog entry is written last."""
        self.replace_graphs([(graph, quads, catalog_quads)], catalog)

    def describe_in(self, graph: str, subjects: list) -> list:
        """Every triple of ``graph`` whose subject is one of ``subjects`` (NamedNodes),
        in one query per 200 subjects."""
        from pyoxigraph import Triple
        out = []
        for start in range(0, len(subjects), 200):
            values = " ".join(str(s) for s in subjects[start:start + 200])
            out += [Triple(r["s"], r["p"], r["o"]) for r in self.query(
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} "
                f"GRAPH <{graph}> {{ ?s ?p ?o }} }}")]
        return out

    def canonical_nquads(self, graph: str | None = None) -> bytes:
        """Sorted N-Quads: byte-identical for the same content (no blank nodes)."""
        data = nquads(self.quads(graph))
        lines = sorted(set(data.splitlines(keepends=True)))
        return b"".join(lines)

    def dump(self, folder: str | Path, prefixes: dict[str, str]) -> list[Path]:
        """Write ``dump.nq`` (every graph, canonical order) and ``dump.ttl`` (their
        union as Turtle) into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        nq = folder / "dump.nq"
        nq.write_bytes(self.canonical_nquads())
        ttl = folder / "dump.ttl"
        triples = {q.triple for q in self.quads()}
        ttl.write_bytes(serialize(sorted(triples, key=str), format=RdfFormat.TURTLE,
                                  prefixes=prefixes) or b"")
        return [nq, ttl]

    def triple_count(self) -> int:
        """Distinct triples over all graphs (the dataset description's figure),
        counted by the engine: a Python set of every quad would hold the whole graph
        in memory."""
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                               "WHERE { GRAPH ?g { ?s ?p ?o } } }"))
        return int(rows[0]["n"].value)
