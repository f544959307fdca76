"""Materialised answers of whole-graph reports, kept beside the embedded store.

A report such as ``funding-levels`` reads every project of the graph: on this engine
each index lookup costs microseconds, so at 1,000 documents the live answer takes
seconds (README, Measured).  The graph changes only when something writes it (a
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
"""
from __future__ import annotations

import hashlib
import os
import sys
import uuid
from pathlib import Path

FOLDER = "kg-snapshots"  # inside the store folder (RocksDB ignores folders)
_VERSION = "VERSION"
_SUFFIX = ".tsv"


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
        versions.  Called before and after every write of the store."""
        self.folder.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex
        tmp = self.folder / f"{_VERSION}.{token}.tmp"
        tmp.write_text(token + "\n", "ascii")
        os.replace(tmp, self.folder / _VERSION)
        for f in self.folder.iterdir():
            if f.name != _VERSION and not f.name.startswith(token):
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
        tmp = path.with_name(path.name + f".{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(body)
        os.replace(tmp, path)
        if self.version() != version:  # a write started meanwhile
            path.unlink(missing_ok=True)
            return None
        return path
