"""A real `kg build` killed with SIGKILL mid-way leaves every document at its old
version or its new one, with the catalog entry of that version; rerunning finishes.

The old and new versions of each document graph come from reference stores built
beforehand; the killed builds run over a copy of a store holding the old version,
with small batches (setting ``batch_quads``) so that kills land inside batches.
"""
from __future__ import annotations

import gc
import os
import random
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from kg import iris
from kg.map.terms import BP
from kg.store import open_store
from kg.store.embedded import StoreError
from tests.support.cli import KG

DOCS = 20
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def run_build(corpus: Path, store: Path, env: dict) -> subprocess.Popen:
    """The CLI in its own process group (with its worker processes); its stderr goes
    to ``<store>.log``."""
    with open(f"{store}.log", "ab") as log:
        return subprocess.Popen(KG + ["build", str(corpus), "--store", str(store)], env=env,
                                stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)


def kill(build: subprocess.Popen) -> None:
    """SIGKILL the build, then whatever of its workers is left."""
    build.send_signal(signal.SIGKILL)
    build.wait()
    try:
        os.killpg(build.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def documents(store) -> list[str]:
    catalog = iris.catalog_graph()
    return sorted(q.subject.value for q in store.store.quads_for_pattern(
        None, NamedNode(RDF_TYPE), BP.DocumentGraph, NamedNode(catalog)))


def versions(store_dir: Path) -> dict[str, tuple[bytes, str]]:
    """Each document graph's canonical N-Quads and catalog content hash."""
    store = open_store(store_dir)
    catalog = iris.catalog_graph()
    out = {g: (store.canonical_nquads(g), store.catalog_value(catalog, g, BP.contentHash.value))
           for g in documents(store)}
    del store
    gc.collect()  # the store's lock goes with the object
    return out


def bump_an_amount(path: Path) -> None:
    """Change the first amount printed (12.34 → 13.34): a new version of the document."""
    text = path.read_text(encoding="utf-8")
    m = re.search(r"(?<![\d.])(\d+)\.(\d\d)(?![\d.])", text)
    assert m, path
    path.write_text(text[:m.start()] + f"{int(m.group(1)) + 1}.{m.group(2)}" + text[m.end():],
                    encoding="utf-8")


def check_old_or_new(store_dir: Path, old: dict, new: dict) -> dict[str, int]:
    """Every document graph is exactly its old or its new version and its catalog entry
    names that version; returns how many are at each."""
    store = open_store(store_dir)  # a writer: finishes a batch a kill left committed
    catalog = iris.catalog_graph()
    seen = {"old": 0, "new": 0}
    assert set(documents(store)) <= set(old) | set(new)
    for g in new:
        data = store.canonical_nquads(g)
        sha = store.catalog_value(catalog, g, BP.contentHash.value)
        if old[g][0] != new[g][0] and data == new[g][0]:
            assert sha == new[g][1], f"{g}: new graph under the old catalog entry"
            seen["new"] += 1
        else:
            assert data == old[g][0], f"{g}: neither its old nor its new version " \
                                      f"({len(data.splitlines())} quads)"
            assert sha == old[g][1], f"{g}: old graph under a new catalog entry"
            seen["old"] += 1
    del store
    gc.collect()
    return seen


@pytest.mark.slow
def test_a_killed_build_leaves_each_document_old_or_new(tmp_path):
    from tests.support.corpus import generate
    env = {**os.environ, "KG_WORKERS": "2", "KG_BATCH_QUADS": "12000"}
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    files = generate(DOCS, old_dir)
    shutil.copytree(old_dir, new_dir)
    changed = sorted(random.Random(7).sample(range(DOCS), DOCS * 3 // 4))
    for i in changed:
        bump_an_amount(new_dir / files[i].name)

    base_store = tmp_path / "base"  # the old version, built by the real CLI
    started = time.monotonic()
    assert run_build(old_dir, base_store, env).wait() == 0
    full = time.monotonic() - started
    ref_new = tmp_path / "ref-new"
    assert run_build(new_dir, ref_new, env).wait() == 0
    old, new = versions(base_store), versions(ref_new)
    assert set(old) == set(new) and len(new) == DOCS
    assert sum(old[g][0] != new[g][0] for g in new) == len(changed)

    rng = random.Random(11)
    work = tmp_path / "work"
    for fraction in (0.3, 0.5, 0.7):
        delay = full * (fraction + rng.uniform(-0.1, 0.1))
        # the machine may be faster now: a kill too late is retried sooner
        for _attempt in range(5):
            if work.exists():
                shutil.rmtree(work)
            shutil.copytree(base_store, work)
            build = run_build(new_dir, work, env)
            time.sleep(delay)
            kill(build)
            if build.returncode == -signal.SIGKILL:
                break
            delay /= 2
        assert build.returncode == -signal.SIGKILL, "every build ended before its kill"
        inside = (work / "kg-journal" / "batch.nq").exists()  # killed inside a batch
        if inside:  # readers are refused until a writer finishes the batch
            with pytest.raises(StoreError, match="half-written"):
                open_store(work, read_only=True)
        seen = check_old_or_new(work, old, new)
        print(f"killed at {delay:.1f} s{' inside a batch' if inside else ''}: {seen}")

    finish = run_build(new_dir, work, env)
    assert finish.wait() == 0, Path(f"{work}.log").read_text()
    seen = check_old_or_new(work, old, new)
    assert seen == {"old": DOCS - len(changed), "new": len(changed)}
