"""Stores behind one interface, chosen by the ``store`` setting (``--store``): a
folder is the embedded pyoxigraph store, an ``http://`` or ``https://`` URL a SPARQL
1.1 server (see docs/stores.md)."""
from __future__ import annotations

from pathlib import Path

from .base import Capabilities, QueryTimeout, Store, StoreError
from .embedded import EmbeddedStore


def is_remote(location: str | Path | None) -> bool:
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


def open_store(location: str | Path | None, read_only: bool = False) -> Store:
    """``EmbeddedStore`` for a folder (``None``: in memory), ``RemoteStore`` for a URL."""
    if is_remote(location):
        from .remote import RemoteStore
        return RemoteStore(str(location), read_only)
    return EmbeddedStore(location, read_only)


__all__ = ["Capabilities", "EmbeddedStore", "Store", "QueryTimeout", "StoreError", "is_remote",
           "open_store"]
