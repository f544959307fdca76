"""`kg build` on real files: the summary (failures with their reasons), progress on
a log and on a terminal, incremental rebuilds, and --prune."""
from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess

import pytest

from kg import iris
from kg.progress import Progress, bar_line, log_line
from kg.store import open_store
from tests.support.cli import KG, kg


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Eight generated documents, an empty one and a binary one."""
    from tests.support.corpus import generate
    folder = tmp_path_factory.mktemp("in")
    docs = generate(8, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    return folder, docs


@pytest.mark.slow
def test_summary_and_log_progress_name_each_failure(corpus, tmp_path):
    folder, docs = corpus
    store = tmp_path / "s"
    r = kg("build", str(folder), "--store", str(store))
    assert r.returncode == 3, r.stderr  # some documents failed, the others loaded
    out = r.stdout.splitlines()
    failed = sorted(line for line in out if line.startswith("failed"))
    assert failed == [  # file, line, what is wrong and what was expected
        f"failed    {folder / 'binary.txt'}:1: binary file (NUL byte found); give the plain "
        "text (Tika text/plain), the .docx itself or an HTML page (expected UTF-8 or GB18030 text)",
        f"failed    {folder / 'empty.txt'}:1: file is empty (expected a budget disclosure as text)"]
    assert out[-1].startswith("10 documents read: 8 loaded, 0 unchanged (skipped), 2 failed, "
                              "0 removed; ")
    assert "documents/s)" in out[-1]
    # not a terminal: plain lines, no bar redrawn in place; the last says it is done
    assert "\r" not in r.stderr
    assert r.stderr.splitlines()[-1].startswith("kg build: 10/10 documents (100%), ")
    # the whole batch loaded despite the broken files
    s = open_store(store)
    assert len(s.stored_documents(iris.catalog_graph())) == 8
    del s

    again = kg("build", str(folder), "--store", str(store), "--json")
    report = json.loads(again.stdout)
    assert ((report["read"], report["loaded"], report["unchanged"], report["failed"])
            == (10, 0, 8, 2))
    assert again.stderr == ""  # --json: no progress


@pytest.mark.slow
def test_prune_removes_documents_no_longer_in_the_input(corpus, tmp_path):
    folder, docs = corpus
    store = tmp_path / "s"
    # empty.txt and binary.txt fail
    assert kg("build", str(folder), "--store", str(store), "-q").returncode == 3
    kept = [d for d in docs[2:]]
    r = kg("build", *map(str, kept), "--store", str(store), "-q")
    assert "2 stored documents not in this input; --prune removes them" in r.stdout
    assert r.stderr == ""  # --quiet
    s = open_store(store)
    assert len(s.stored_documents(iris.catalog_graph())) == 8  # kept without --prune
    del s

    r = kg("build", *map(str, kept), "--store", str(store), "-q", "--prune", "-v")
    assert ", 2 removed;" in r.stdout and "not in this input" not in r.stdout
    removed = sorted(line.split()[1] for line in r.stdout.splitlines()
                     if line.startswith("removed"))
    assert removed == sorted(iris.graph(d.stem) for d in docs[:2])
    s = open_store(store)
    catalog = iris.catalog_graph()
    assert s.stored_documents(catalog) == sorted(iris.graph(d.stem) for d in kept)
    for g in removed:  # the graph and its catalog entry are gone
        assert not s.has_graph(g)
        assert not list(s.store.quads_for_pattern(iris_node(g), None, None, iris_node(catalog)))


def iris_node(iri: str):
    from pyoxigraph import NamedNode
    return NamedNode(iri)


def test_progress_bar_on_a_terminal(corpus, tmp_path):
    """Through a pseudo-terminal: the bar is redrawn in place and erased at the end."""
    folder, docs = corpus
    master, slave = pty.openpty()
    p = subprocess.Popen(KG + ["build", *map(str, docs[:4]), "--store", str(tmp_path / "s")],
                         stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    out = p.stdout.read()
    assert p.wait() == 0
    text = seen.decode()
    assert "\r\x1b[Kkg build [" in text and "/4 documents" in text and "documents/s  ETA" in text
    assert text.endswith("\r\x1b[K")  # erased before the summary
    assert out.splitlines()[-1].startswith("4 documents read: 4 loaded")


def test_progress_lines_in_a_log_come_at_intervals():
    now = [0.0]
    out = io.StringIO()
    p = Progress(out, tty=False, interval=10, clock=lambda: now[0])
    for i in range(1, 101):
        now[0] = i * 0.5  # 2 documents/s for 50 s
        p(i, 100)
    p.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 5  # at 10, 20, 30 and 40 s, and when done (50 s)
    assert lines[0] == "kg build: 20/100 documents (20%), 2.0 documents/s, 0:10 elapsed, ETA 0:40"
    assert lines[-1].startswith("kg build: 100/100 documents (100%)")


def test_progress_bar_rendering():
    assert bar_line(120, 300, 14.4, width=10) == \
        "[####------] 120/300 documents  40%  8.3 documents/s  ETA 0:22"
    assert bar_line(0, 300, 1.0, width=4).endswith("0.0 documents/s  ETA ?")
    assert log_line(300, 300, 3700.0) == \
        "300/300 documents (100%), 0.1 documents/s, 1:01:40 elapsed, ETA 0:00"
    out = io.StringIO()
    p = Progress(out, tty=True, redraw=0, clock=lambda: 1.0)
    p(1, 2)
    p(2, 2)
    p.close()
    assert out.getvalue().count("\r\x1b[Kkg build [") == 2 and out.getvalue().endswith("\r\x1b[K")
