"""Materialised answers of whole-graph reports, kept beside the embedded store.

A report such as ``funding-levels`` reads every project of the graph: on this engine
each index lookup costs microseconds, so at 1,000 documents the live answer takes
seconds (docs/performance.md).  The graph changes only when something writes it (a
build, an Update, the Graph Store Protocol), so such an answer is computed once per
version of the store and kept, as SPARQL TSV results (lossless for RDF terms, and the
fastest of pyoxigraph's result parsers), in ``<store>/kg-snapshots/``.

The version is a token in ``<store>/kg-snapshots/VERSION``, replaced before and after
every write.  A process remembers the token it saw when it opened the store, and
uses a snapshot only if it was made under that same token: a server opened before a
build keeps answering from its own view, live, never from answers about data it
cannot see.  A replaced token makes every older snapshot useless; they are deleted.

A snapshot is keyed by the exact query text: it answers that text with no
substitutions and the default dataset, whoever sends it (``kg query``, the
endpoint, a page).  A snapshot is written whole (a temporary file, then a rename);
one that cannot be opened is treated as absent: the answer is computed live.

A lineage query answers one parameter at a time (one directive, one goal text, one
issuer), and its answer grows with the corpus: on a large corpus a boilerplate goal
printed thousands of times is slow live (docs/performance.md).  Such a query
(``# snapshot: by PARAM``) is kept *partitioned*: its answer with the parameter left
free (every directive's lineage at once), its rows grouped by the parameter's value,
with an index of where each value's rows start (``…-by-PARAM.tsv`` and ``.idx``).
The answer for one value is then the header and one slice of the file.  That is the
same answer as the query with the value bound, because the query's author declares
the parameter a projected variable that every row binds (checked for every value in
the samples by tests/store/test_snapshots.py); a value with no rows gets the header
alone, as live.
"""
from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
import uuid
from pathlib import Path

from pyoxigraph import QueryResultsFormat, QuerySolutions, parse_query_results

FOLDER = "kg-snapshots"  # inside the store folder (RocksDB ignores folders)
_VERSION = "VERSION"
_SUFFIX = ".tsv"
_INDEX = ".idx"
_TEMPORARY = ".tmp"
#: another writer's version token this old was left by a writer that died
STALE_TEMPORARY_S = 3600.0


def query_key(sparql: str) -> str:
    return hashlib.sha256(sparql.encode("utf-8")).hexdigest()[:32]


class Snapshots:
    """The snapshot folder of one store."""

    def __init__(self, store_path: str | Path):
        self.folder = Path(store_path) / FOLDER

    def version(self) -> str:
        """The store's current version token ('' before the first write)."""
        try:
            return (self.folder / _VERSION).read_text("ascii").strip()
        except OSError:
            return ""

    def new_version(self) -> str:
        """Replace the version token (atomically) and delete the snapshots of older
        versions, with their writers' temporary files (a writer whose file vanished
        gives up: its answer was stale).  Called before and after every write of the
        store, possibly by two processes at once: another writer's new token, and
        its temporary file before the rename, are left alone."""
        self.folder.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex
        tmp = self.folder / f"{_VERSION}.{token}{_TEMPORARY}"
        tmp.write_text(token + "\n", "ascii")
        os.replace(tmp, self.folder / _VERSION)
        current = self.version()  # another writer's, if it replaced ours meanwhile
        for f in self.folder.iterdir():
            if f.name == _VERSION or f.name.startswith((token, current)):
                continue
            if f.name.startswith(f"{_VERSION}.") and not _stale(f):
                continue  # another writer's token, about to be renamed
            f.unlink(missing_ok=True)
        return token

    def _path(self, version: str, sparql: str) -> Path:
        return self.folder / f"{version}-{query_key(sparql)}{_SUFFIX}"

    def get(self, version: str, sparql: str) -> bytes | None:
        """The stored answer to ``sparql`` under ``version``, or None."""
        if not version:
            return None
        try:
            return self._path(version, sparql).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            print(f"kg: snapshot unreadable, answering live: {e}", file=sys.stderr)
            return None

    def put(self, version: str, sparql: str, body: bytes) -> Path | None:
        """Keep ``body`` as the answer under ``version``, unless the store has moved
        on since (a write replaced the token): then the answer is already stale."""
        if not version or self.version() != version:
            return None
        path = self._path(version, sparql)
        tmp = path.with_name(path.name + f".{uuid.uuid4().hex}{_TEMPORARY}")
        try:
            tmp.write_bytes(body)
            os.replace(tmp, path)
        except FileNotFoundError:  # a write deleted it: the answer is stale
            return None
        finally:
            tmp.unlink(missing_ok=True)
        if self.version() != version:  # a write started meanwhile
            path.unlink(missing_ok=True)
            return None
        return path

    # partitioned answers of lineage queries (one parameter's rows at a time)

    def _part_path(self, version: str, sparql: str, by: str) -> Path:
        return self.folder / f"{version}-{query_key(sparql)}-by-{by}{_SUFFIX}"

    def put_partitioned(self, version: str, sparql: str, by: str, results: Path) -> Path | None:
        """Keep the TSV ``results`` of ``sparql`` with ``?by`` left free, grouped by the
        value of ``?by`` (rows of one value in their original order), and an index of
        where each value's rows are.  ``results`` is consumed.  As ``put``: nothing is
        kept if the store moved on."""
        path = self._part_path(version, sparql, by)
        idx = path.with_suffix(_INDEX)
        tmp = path.with_name(path.name + f".{uuid.uuid4().hex}{_TEMPORARY}")
        idx_tmp = idx.with_name(idx.name + f".{uuid.uuid4().hex}{_TEMPORARY}")
        try:
            if not version or self.version() != version:
                return None
            try:
                index = _group_rows(results, by, tmp)
                idx_tmp.write_text("".join(f"{start}\t{length}\t{key}\n"
                                           for key, (start, length) in index.items()), "utf-8")
                os.replace(tmp, path)
                os.replace(idx_tmp, idx)  # last: the index makes the partition visible
            except FileNotFoundError:  # a write deleted them: the answer is stale
                return None
            if self.version() != version:  # a write started meanwhile
                idx.unlink(missing_ok=True)
                path.unlink(missing_ok=True)
                return None
            return path
        finally:
            for f in (results, tmp, idx_tmp):
                f.unlink(missing_ok=True)

    def has_partitioned(self, version: str, sparql: str, by: str) -> bool:
        path = self._part_path(version, sparql, by)
        return bool(version) and path.exists() and path.with_suffix(_INDEX).exists()

    def get_partition(self, version: str, sparql: str, by: str, key: str) -> bytes | None:
        """The answer to ``sparql`` with ``?by`` bound to the term written ``key``
        (N-Triples syntax, ``str(term)``), from its partitioned snapshot under
        ``version``; None if there is none (then the answer is computed live)."""
        if not version:
            return None
        path = self._part_path(version, sparql, by)
        try:
            index = self._index(path)
            if index is None:
                return None
            with path.open("rb") as f:
                header = f.readline()
                start, length = index.get(key, (0, 0))
                if not length:
                    return header
                f.seek(start)
                return header + f.read(length)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            print(f"kg: snapshot unreadable, answering live: {e}", file=sys.stderr)
            return None

    def partition_keys(self, version: str, sparql: str, by: str) -> list[str]:
        """Every value a partitioned snapshot holds rows for (N-Triples syntax)."""
        index = self._index(self._part_path(version, sparql, by)) if version else None
        return sorted(index or ())

    _indexes: dict[Path, dict[str, tuple[int, int]]] = {}
    _indexes_lock = threading.Lock()

    def _index(self, path: Path) -> dict[str, tuple[int, int]] | None:
        """The index of a partitioned snapshot, read once per process (the file name
        carries the version, so a kept index is never stale)."""
        index = self._indexes.get(path)
        if index is not None:
            return index
        try:
            text = path.with_suffix(_INDEX).read_text("utf-8")
        except FileNotFoundError:
            return None
        index = {}
        for line in text.splitlines():
            start, length, key = line.split("\t", 2)
            index[key] = (int(start), int(length))
        with self._indexes_lock:
            if len(self._indexes) > 64:  # indexes of versions long gone
                self._indexes.clear()
            self._indexes[path] = index
        return index


def _stale(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > STALE_TEMPORARY_S
    except FileNotFoundError:
        return False


def _group_rows(results: Path, by: str, out: Path) -> dict[str, tuple[int, int]]:
    """Write the TSV ``results`` to ``out`` with its rows grouped by the value of
    ``?by`` (groups in order of first appearance, rows in their order); returns each
    value's (start, length) in ``out``.  The file is parsed by pyoxigraph alongside
    its lines (one row per line: TSV escapes line breaks in terms), so a value's key
    is exactly ``str(term)``, as a bound parameter's."""
    rows: dict[str, list[tuple[int, int]]] = {}
    with results.open("rb") as f:
        header = f.readline()
        offset = len(header)
        solutions = parse_query_results(path=results, format=QueryResultsFormat.TSV)
        if not isinstance(solutions, QuerySolutions):
            raise ValueError(f"{results}: not a SELECT answer")
        for solution in solutions:
            line = f.readline()
            if not line.endswith(b"\n"):
                raise ValueError(f"{results}: fewer lines than rows")
            term = solution[by]
            rows.setdefault("" if term is None else str(term), []).append((offset, len(line)))
            offset += len(line)
        if f.readline():
            raise ValueError(f"{results}: more lines than rows")
        index: dict[str, tuple[int, int]] = {}
        with out.open("wb") as w:
            w.write(header)
            at = len(header)
            for key, spans in rows.items():
                start = at
                for offset, length in spans:
                    f.seek(offset)
                    at += w.write(f.read(length))
                index[key] = (start, at - start)
    index.pop("", None)  # rows without the value answer no bound query
    return index
