"""Stores behind one interface.  Only the embedded pyoxigraph store exists so far;
a remote SPARQL 1.1 server is the planned second kind (see README, Limits)."""
from .embedded import EmbeddedStore, open_store

__all__ = ["EmbeddedStore", "open_store"]
