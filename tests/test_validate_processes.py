"""The compiled engine's queries in worker processes (a run of many documents on a
store on disk): the same findings as in threads, on a store opened read-only or
writable (``kg validate --load``: reopened read-only for the run, writable again for
the reports), with workers that are gone when the run ends."""
from __future__ import annotations

import contextlib
import os
import signal

import pytest

from kg.errors import KgError
from kg.pipeline import build
from kg.store import StoreError, open_store
from kg.validate import validate_command
from tests.conftest import DATA
from tests.support.processes import descendants, pool_workers, run_script


@pytest.fixture
def store_folder(tmp_path):
    store = open_store(tmp_path / "st")
    build([DATA], store)
    store.flush()
    del store
    return tmp_path / "st"


def findings(reports) -> list[dict]:
    return [f.__dict__ for r in reports for f in r.findings]


def run(store, monkeypatch, processes: bool, **options):
    """``kg validate`` on ``store``; the worker processes it started."""
    monkeypatch.setenv("KG_WORKERS", "2")
    monkeypatch.setenv("KG_VALIDATION_PROCESSES_FROM", "1" if processes else "0")
    before = set(descendants(os.getpid()))
    seen: dict[int, int] = {}
    reports, summary = validate_command(
        store, progress=lambda done, total: seen.update(descendants(os.getpid())), **options)
    return reports, summary, pool_workers(seen, before)


def test_a_writable_store_is_validated_in_processes_and_writable_after(store_folder,
                                                                        monkeypatch):
    store = open_store(store_folder)
    in_threads, _, alone = run(store, monkeypatch, processes=False)
    assert not alone
    reports, summary, started = run(store, monkeypatch, processes=True, load=True,
                                 everything=True)
    assert started  # one lane here, one in a worker process
    assert findings(reports) == findings(in_threads)
    assert summary["graphs"] == 4 and summary["validated"] == 4
    assert sum(len(r.findings) for r in reports) > 0  # findings to compare
    assert not store.read_only
    # the reports were written after the run, and are kept: nothing is stale
    _, again = validate_command(store, load=True)
    assert again["validated"] == 0 and again["unchanged"] == 4
    store.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")
    assert store.query("ASK { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")


def test_a_write_while_others_read_the_store_fails_and_writing_comes_back(store_folder):
    store = open_store(store_folder)
    with store.readable_elsewhere() as folder:
        assert folder == str(store_folder)
        other = open_store(folder, read_only=True)  # what a worker does
        assert other.query("ASK { GRAPH ?g { ?s ?p ?o } }")
        with pytest.raises(StoreError, match="read-only"):
            store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert store.query("ASK { <urn:a> <urn:b> <urn:c> }")


def test_a_read_only_store_is_validated_in_processes_that_end_with_the_run(store_folder,
                                                                           monkeypatch):
    store = open_store(store_folder, read_only=True)
    in_threads, _, _ = run(store, monkeypatch, processes=False)
    reports, _, started = run(store, monkeypatch, processes=True)
    assert findings(reports) == findings(in_threads)
    assert started and not started & set(descendants(os.getpid()))
    with pytest.raises(StoreError, match="read-only"):  # never reopened for writing
        store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_a_worker_that_cannot_open_the_store_ends_the_run_with_the_reason(store_folder,
                                                                          monkeypatch, capfd):
    """The store opened here, then a build's half-written batch appears: the worker
    cannot open the store, and says why, without a traceback."""
    store = open_store(store_folder, read_only=True)
    (store_folder / "kg-journal").mkdir(exist_ok=True)
    (store_folder / "kg-journal" / "batch.nq").write_bytes(b"")
    with pytest.raises(KgError, match="worker process cannot open the store: .*half-written"):
        run(store, monkeypatch, processes=True)
    assert "Traceback" not in capfd.readouterr().err


def test_a_worker_killed_mid_run_ends_it_with_an_error_and_the_store_writable(store_folder,
                                                                              monkeypatch):
    store = open_store(store_folder)
    others = set(descendants(os.getpid()))  # another test's pool, if any
    killed: set[int] = set()

    def kill_workers(done: int, total: int) -> None:
        for pid in pool_workers(descendants(os.getpid()), others) - killed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)

    monkeypatch.setenv("KG_WORKERS", "2")
    monkeypatch.setenv("KG_VALIDATION_PROCESSES_FROM", "1")
    with pytest.raises(KgError, match="worker process ended before its work was done"):
        validate_command(store, load=True, everything=True, progress=kill_workers)
    assert killed
    assert not store.read_only
    store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


@pytest.mark.parametrize("workers", ["2", "3"])
def test_a_script_without_a_main_guard_validates_in_processes(store_folder, tmp_path,
                                                              workers):
    """Workers started fresh do not run the calling script again (multiprocessing
    would, and the script would validate again in each worker, which fails); with
    two worker processes too, each started while the script is hidden."""
    out = run_script(
        tmp_path,
        "import os, sys\n"
        "from kg.store import open_store\n"
        "from kg.validate import validate_command\n"
        "from tests.support.processes import descendants, pool_workers\n"
        "seen = {}\n"
        "reports, summary = validate_command(open_store(sys.argv[1], read_only=True),\n"
        "    progress=lambda done, total: seen.update(descendants(os.getpid())))\n"
        "print('documents', summary['graphs'])\n"
        "print('workers', len(pool_workers(seen)))\n",
        str(store_folder), env={"KG_WORKERS": workers, "KG_VALIDATION_PROCESSES_FROM": "1"},
        timeout=300)
    assert out.splitlines()[-2:] == ["documents 4", f"workers {int(workers) - 1}"]


def test_a_store_larger_than_the_limit_is_validated_in_threads(store_folder, monkeypatch):
    """Each worker process holds its own largest query, which grows with the store:
    above ``validation_processes_up_to`` documents the lanes are threads."""
    store = open_store(store_folder, read_only=True)
    monkeypatch.setenv("KG_VALIDATION_PROCESSES_UP_TO", "3")
    reports, summary, started = run(store, monkeypatch, processes=True)
    assert summary["graphs"] == 4 and not started
    monkeypatch.setenv("KG_VALIDATION_PROCESSES_UP_TO", "4")
    again, _, started = run(store, monkeypatch, processes=True)
    assert started and findings(again) == findings(reports)
