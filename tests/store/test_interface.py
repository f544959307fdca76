"""What each kind of store declares it can do, and what the build does with it:
snapshots are kept only by a store that says it keeps them."""
from __future__ import annotations

from kg.results import materialise_reports
from kg.store import Capabilities, open_store

NONE = Capabilities(versioned=False, snapshots=False, local_folder=False)


def test_an_embedded_store_on_disk_can_do_everything(built_store):
    store, folder, report = built_store
    assert store.capabilities == Capabilities(versioned=True, snapshots=True, local_folder=True)
    assert store.path == folder and store.version
    # the build kept the reports' answers (the named queries marked snapshot)
    assert report.snapshots and {name for name, _ in report.snapshots} >= {"funding-levels"}


def test_a_store_in_memory_keeps_no_snapshots():
    store = open_store(None)
    assert store.capabilities == NONE and store.recovered == 0
    assert materialise_reports(store) == []


def test_a_server_store_keeps_no_snapshots(built_stores):
    store, url, report = built_stores("oxigraph")
    assert store.capabilities == NONE and store.path == url and store.version == ""
    assert report.snapshots == [] and report.recovered == 0
    assert materialise_reports(store) == []
