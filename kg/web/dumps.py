"""The whole-graph dumps, written to files once per store version (plain and gzip)
and served from there: a dump of the samples is megabytes and takes most of a second
to write, which no request should pay twice.  The files live beside the store
(``kg-dumps/`` in its folder, ignored by RocksDB like the snapshots), or in a
temporary folder for a store in memory or a read-only folder; older versions' files
are removed when a new version's are written."""
from __future__ import annotations

import gzip
import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

from .. import iris
from ..store import Store
from . import errors
from .media import DUMPS
from .parts import store_folder

FOLDER = "kg-dumps"


class Dumps:
    def __init__(self, store: Store):
        self.store = store
        self.lock = threading.Lock()
        self.folder: Path | None = None  # made on the first request for a dump

    def _folder(self) -> Path:
        home = store_folder(self.store)
        if home is not None:
            folder = home / FOLDER
            try:
                folder.mkdir(exist_ok=True)
                probe = folder / f".probe-{uuid.uuid4().hex}"
                probe.write_bytes(b"")
                probe.unlink()
                return folder
            except OSError:  # a store on read-only media: dumps go to a temporary folder
                pass
        return Path(tempfile.mkdtemp(prefix="kg-dumps-"))

    def file(self, name: str, gzipped: bool) -> Path:
        """The dump's file for the store's current version, written if missing."""
        if name not in DUMPS:
            raise errors.not_found(f"no dump {name!r}; there are {', '.join(DUMPS)}")
        version = self.store.version if self.store.capabilities.versioned else ""
        with self.lock:  # one writer; the others wait for its file
            folder = self.folder = self.folder or self._folder()
            plain = folder / f"{version or 'unversioned'}-{name}"
            if not version or not plain.exists():  # no version: nothing says it is current
                self._write(version, folder)
            return plain.with_name(plain.name + ".gz") if gzipped else plain

    def _write(self, version: str, folder: Path) -> None:
        """Both dumps of this version (the store's own ``dump``), each also gzipped."""
        tmp = folder / f".{uuid.uuid4().hex}.tmp"
        try:
            for made in self.store.dump(tmp, iris.NS):
                with open(made, "rb") as src, gzip.open(f"{made}.gz", "wb", compresslevel=6) as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                prefix = f"{version or 'unversioned'}-"
                os.replace(f"{made}.gz", folder / f"{prefix}{made.name}.gz")
                os.replace(made, folder / f"{prefix}{made.name}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        for old in folder.iterdir():  # another version's files
            if old.is_file() and not old.name.startswith(f"{version or 'unversioned'}-"):
                old.unlink(missing_ok=True)
