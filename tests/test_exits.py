"""Exit codes and errors that do not lie: a full disk, inputs that are not regular
files, a bad setting, a locked store, a store that cannot be served.  Each runs the
installed `kg` on real files, a real store and (as root) a real small tmpfs."""
from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.support.cli import kg
from tests.support.samples import DATA, sample

ROOT = os.geteuid() == 0


def no_traceback(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr


@pytest.fixture
def small_disk(tmp_path):
    """A 64 MB tmpfs (root only): a file system that really fills up."""
    if not ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64M", "tmpfs", str(mnt)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)])


@pytest.mark.slow
def test_full_disk_fails_the_build_then_recovers_once_space_is_back(small_disk):
    store = small_disk / "store"
    assert kg("build", str(sample("000")), "--store", str(store), "-q").returncode == 0
    # fill the disk, leaving room to open the store but not to load three documents
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    with open(filler, "wb") as f:
        os.posix_fallocate(f.fileno(), 0, free - 800 * 1024)
    r = kg("build", str(DATA), "--store", str(store))
    no_traceback(r)
    assert r.returncode == 3, r.stdout + r.stderr
    summary = r.stdout.splitlines()[-1]
    assert summary.startswith("4 documents read: 0 loaded, 1 unchanged (skipped), 3 failed")
    assert "the disk is full: free space, then run `kg build` again" in r.stderr

    filler.unlink()
    again = kg("build", str(DATA), "--store", str(store))
    no_traceback(again)
    assert again.returncode == 0, again.stdout + again.stderr
    done = again.stdout.splitlines()
    assert any(line.startswith("4 documents read: ") and " 0 failed" in line for line in done)
    listed = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?g a "
                "<https://w3id.org/bpkg/ontology#DocumentGraph> }", "--format", "csv",
                "--store", str(store))
    assert listed.returncode == 0 and listed.stdout.split() == ["n", "4"], listed.stderr


def test_store_full_at_open_says_how_to_recover(small_disk):
    store = small_disk / "store"
    assert kg("build", str(sample("000")), "--store", str(store), "-q").returncode == 0
    with open(small_disk / "filler", "wb") as f:
        os.posix_fallocate(f.fileno(), 0, shutil.disk_usage(small_disk).free)
    r = kg("build", str(DATA), "--store", str(store))
    no_traceback(r)
    assert r.returncode == 2
    assert "disk is full; free space, then run `kg build` again" in r.stderr


def test_inputs_that_are_not_regular_files_are_named_not_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample("001"), folder / "a_good.txt")
    os.mkfifo(folder / "fifo.txt")                    # no writer: reading would hang
    (folder / "zero.txt").symlink_to("/dev/zero")     # endless: reading fills memory
    (folder / "x.txt").symlink_to("y.txt")            # a loop of two links
    (folder / "y.txt").symlink_to("x.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")          # a folder loop
    r = kg("build", str(folder), "--store", str(tmp_path / "s"), timeout=60)
    no_traceback(r)
    failed = sorted(line for line in r.stdout.splitlines() if line.startswith("failed"))
    assert failed == [
        f"failed    {folder / 'fifo.txt'}: is a pipe (FIFO), not a regular file "
        "(expected a text, .docx or HTML file)",
        f"failed    {folder / 'sub' / 'up'}: symbolic link to a folder already read (a loop); "
        "skipped",
        f"failed    {folder / 'x.txt'}: cannot open: Too many levels of symbolic links",
        f"failed    {folder / 'y.txt'}: cannot open: Too many levels of symbolic links",
        f"failed    {folder / 'zero.txt'}: is a character device, not a regular file "
        "(expected a text, .docx or HTML file)"]
    assert r.returncode == 3


def test_a_50_mb_pipe_is_refused_while_being_written(tmp_path):
    fifo = tmp_path / "big.txt"
    os.mkfifo(fifo)

    def write() -> None:  # a writer that would pass 50 MB if it were read
        try:
            fd = os.open(fifo, os.O_WRONLY)
        except OSError:
            return
        try:
            for _ in range(50):
                os.write(fd, b"x" * 1024 * 1024)
        except OSError:
            pass
        finally:
            os.close(fd)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    time.sleep(0.2)
    r = kg("extract", str(fifo), str(sample("004")), timeout=60)
    no_traceback(r)
    assert f"{fifo}: is a pipe (FIFO), not a regular file" in r.stderr
    assert r.returncode == 0  # the other file was read


@pytest.fixture
def open_tmp():
    """A folder anyone may enter (pytest's own is root's alone): removed after."""
    folder = Path(tempfile.mkdtemp(prefix="kg-test-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_unreadable_folder_is_reported(open_tmp):
    tmp_path = open_tmp
    folder = tmp_path / "in"
    locked = folder / "locked"
    locked.mkdir(parents=True)
    shutil.copy(sample("001"), folder / "a_good.txt")
    shutil.copy(sample("004"), locked / "b.txt")
    locked.chmod(0)
    as_user = None
    if ROOT:  # root reads any folder: run as nobody, in a store nobody may write
        if shutil.which("setpriv") is None:
            pytest.skip("needs setpriv to drop root")
        as_user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        for p in (tmp_path, folder):
            p.chmod(0o777)
        if subprocess.run(as_user + [sys.executable, "-c", "import kg"]).returncode:
            pytest.skip("nobody cannot read the project here")
    try:
        r = kg("build", str(folder), "--store", str(tmp_path / "s"), as_user=as_user)
    finally:
        locked.chmod(0o755)
    no_traceback(r)
    assert f"failed    {locked}: cannot read this folder: Permission denied" in r.stdout
    assert r.returncode == 3


@pytest.mark.parametrize("setting,value,expected", [
    ("KG_WORKERS", "abc", "kg build: setting KG_WORKERS='abc': expected a whole number "
                          "(default 0)"),
    ("KG_COMPACT", "maybe", "kg build: setting KG_COMPACT='maybe': expected true or false")])
def test_a_bad_setting_is_one_line_naming_it(tmp_path, setting, value, expected):
    r = kg("build", str(sample("000")), "--store", str(tmp_path / "s"), env={setting: value})
    assert r.returncode == 2
    assert r.stderr.strip() == expected
    assert not (tmp_path / "s").exists()


def test_a_locked_store_names_the_other_process(tmp_path):
    from kg.store import open_store
    holder = open_store(tmp_path / "s")
    try:
        r = kg("build", str(sample("000")), "--store", str(tmp_path / "s"))
    finally:
        del holder
        gc.collect()
    no_traceback(r)
    assert r.returncode == 2
    assert "another process holds the store at" in r.stderr
    assert "lock file" not in r.stderr


def serve(store: Path) -> subprocess.CompletedProcess:
    return kg("serve", "--store", str(store), "--port", "1", timeout=60)


@pytest.mark.slow
def test_serve_refuses_a_store_it_cannot_serve_before_saying_serving(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = serve(empty)
    assert r.returncode == 2 and "serving" not in r.stderr
    assert r.stderr.strip() == f"kg serve: no store at {empty} (the folder holds none): " \
                               "run `kg build` first"

    unbuilt = tmp_path / "unbuilt"  # built from a folder with no documents in it
    (tmp_path / "nothing").mkdir()
    kg("build", str(tmp_path / "nothing"), "--store", str(unbuilt))
    r = serve(unbuilt)
    assert r.returncode == 2 and "serving" not in r.stderr
    assert "holds no documents: run `kg build data/" in r.stderr

    half = tmp_path / "half"
    assert kg("build", str(sample("000")), "--store", str(half), "-q").returncode == 0
    journal = half / "kg-journal"
    journal.mkdir(exist_ok=True)
    (journal / "batch.nq").write_bytes(b"")  # a committed batch not yet applied
    r = serve(half)
    assert r.returncode == 2 and "serving" not in r.stderr
    assert "has a batch of documents half-written" in r.stderr


def test_serve_says_where_to_go(embedded_built_store):
    from tests.servers import kg_serve
    with kg_serve(str(embedded_built_store[1])) as (base, proc):
        said = [proc.stderr.readline().decode() for _ in range(2)]
    assert said[0].startswith(f"serving {embedded_built_store[1]} at {base}/sparql")
    assert said[1].strip() == f"open {base}/ in a browser; try searching 保财社〔2025〕87号"
