"""Rebuilds do only what changed: an unchanged document is hashed, never read or
mapped; a first build killed half-way resumes with the documents it had not loaded."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from kg import iris, pipeline
from kg.store import open_store
from tests.support.cli import KG

DOCS = 20


@pytest.mark.slow
def test_unchanged_documents_are_hashed_not_read(tmp_path, monkeypatch):
    from tests.support.corpus import generate
    files = generate(6, tmp_path / "in")
    store = open_store(tmp_path / "s")
    assert pipeline.build([tmp_path / "in"], store, workers=1).count("loaded") == 6
    edited = files[2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    read = []  # the real reader, counted
    real = pipeline.extract_file
    monkeypatch.setattr(pipeline, "extract_file", lambda p: read.append(Path(p).name) or real(p))
    report = pipeline.build([tmp_path / "in"], store, workers=1)
    assert (report.count("unchanged"), report.count("loaded")) == (5, 1)
    assert read == [edited.name]
    forced = pipeline.build([tmp_path / "in"], store, workers=1, force=True)
    assert forced.count("loaded") == 6 and len(read) == 7


def stored(folder: Path) -> int:
    s = open_store(folder)  # opened for writing: a committed batch is finished first
    n = len(s.stored_documents(iris.catalog_graph()))
    del s
    return n


@pytest.mark.slow
def test_a_killed_first_build_resumes_with_what_it_had_not_loaded(tmp_path):
    from tests.support.corpus import generate
    generate(DOCS, tmp_path / "in")
    env = {**os.environ, "KG_WORKERS": "1", "KG_BATCH_QUADS": "3000", "KG_COMPACT": "false",
           "KG_SNAPSHOTS": "false"}
    def build(store, *more):
        return subprocess.Popen(
            KG + ["build", str(tmp_path / "in"), "--store", str(store), *more], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    started = time.monotonic()
    assert build(tmp_path / "ref").wait() == 0
    delay = (time.monotonic() - started) / 2
    for _attempt in range(6):  # a kill that lands before the first batch or after the last: retried
        store = tmp_path / f"killed{_attempt}"
        p = build(store)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        done = stored(store) if store.exists() else 0
        if 0 < done < DOCS:
            break
        delay = delay * 1.5 if done == 0 else delay / 2
    assert 0 < done < DOCS, "no kill landed between two batches"
    p = build(store, "--json")
    out, _ = p.communicate(timeout=300)
    report = json.loads(out)
    assert p.returncode == 0
    assert (report["unchanged"], report["loaded"]) == (done, DOCS - done)
    shutil.rmtree(tmp_path / "ref")
