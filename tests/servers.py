"""Real SPARQL servers on loopback, started from the project's own files: plain
context managers (pytest fixtures in tests/store/conftest.py and the benchmarks use
the same ones).

    with oxigraph_server(tmpdir) as url:      # http://127.0.0.1:PORT/query
        store = open_store(url)

    with virtuoso_server(tmpdir) as url:      # http://127.0.0.1:PORT/sparql
        ...

Each server gets a free port, its files in ``tmpdir`` and is stopped (its process,
by id) when the block ends.  ``oxigraph`` comes from PyPI (the ``oxigraph`` package,
test extras), Virtuoso from Debian (``virtuoso-opensource-7-bin``, ``make setup``).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIRTUOSO_INI = ROOT / "tests" / "store" / "virtuoso.ini"


class ServerUnavailable(RuntimeError):
    """The server's program is not installed (a skip, not a failure)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def kg_serve(store: str, token: str = "", seconds: float = 30):
    """The real ``kg serve --store STORE`` on a free loopback port, once it answers:
    yields (base URL, process); stopped on exit, its stderr left to read."""
    port = free_port()
    env = {**os.environ, "KG_WRITE_TOKEN": token}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", store,
                             "--port", str(port)], env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "kg serve did not start"
                time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(10)


def built_page(source: Path, store: Path, path: str) -> str:
    """``kg build SOURCE --store STORE``, then the HTML page at ``path`` as the real
    ``kg serve`` gives it."""
    build = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(source), "--store",
                            str(store)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    with kg_serve(str(store)) as (base, _):
        with urllib.request.urlopen(base + path, timeout=30) as r:
            return r.read().decode("utf-8")


def _wait_http(url: str, proc: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}) before it was ready; "
                               f"its log {log}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server at {url} was not ready after {seconds} s; log {log}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def oxigraph_program() -> str:
    """The ``oxigraph`` server CLI next to this Python (the venv), else on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise ServerUnavailable("the oxigraph server is not installed "
                                "(pip install -e '.[test]' installs it)")
    return found


@contextlib.contextmanager
def oxigraph_server(folder: str | Path, timeout_s: int = 30):
    """``oxigraph serve`` on a free loopback port, data in ``folder``, the union of the
    named graphs as default graph (as the embedded store queries).  Yields the query
    URL; the Graph Store and update URLs are derived from it (kg/store/remote.py)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [oxigraph_program(), "serve", "--location", str(folder / "data"),
             "--bind", f"127.0.0.1:{port}", "--union-default-graph",
             "--timeout-s", str(timeout_s)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_http(base + "/query?query=ASK%7B%7D", proc, log, 30)
        yield base + "/query"
    finally:
        _stop(proc)


def virtuoso_programs() -> tuple[str, str]:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not server or not isql:
        raise ServerUnavailable("Virtuoso is not installed (Debian package "
                                "virtuoso-opensource-7-bin; `make setup` installs it)")
    return server, isql


def virtuoso_ini(folder: Path, sql_port: int, http_port: int, max_rows: int = 1000000,
                 max_seconds: int = 60) -> str:
    """tests/store/virtuoso.ini with this run's folder, ports and limits filled in."""
    text = VIRTUOSO_INI.read_text(encoding="utf-8")
    return (text.replace("@DIR@", str(folder)).replace("@SQL_PORT@", str(sql_port))
            .replace("@HTTP_PORT@", str(http_port)).replace("@MAX_ROWS@", str(max_rows))
            .replace("@MAX_SECONDS@", str(max_seconds)))


def isql(isql_program: str, sql_port: int, statements: str, password: str = "dba") -> str:
    """Run SQL through ``isql-vt`` (as dba); raises on an error."""
    done = subprocess.run([isql_program, f"127.0.0.1:{sql_port}", "dba", password],
                          input=statements, capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or "*** Error" in done.stdout:
        raise RuntimeError(f"isql-vt failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# Writes through the anonymous /sparql and /sparql-graph-crud endpoints: a loopback
# test server only.  A real server keeps these closed and kg writes with a user and
# password (settings remote_user / remote_password, the -auth endpoints).
VIRTUOSO_GRANTS = """
GRANT SPARQL_UPDATE TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
"""


@contextlib.contextmanager
def virtuoso_server(folder: str | Path, max_rows: int = 1000000, max_seconds: int = 60):
    """Virtuoso 7 on free loopback ports, its database in ``folder`` (a fresh one),
    configured by tests/store/virtuoso.ini (``max_rows``: ResultSetMaxRows,
    ``max_seconds``: MaxQueryExecutionTime).  Yields the query URL (``/sparql``)."""
    server, isql_program = virtuoso_programs()
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(folder, sql_port, http_port, max_rows, max_seconds),
                   encoding="utf-8")
    log = folder / "virtuoso-stdout.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([server, "+foreground", "+configfile", str(ini)],
                                cwd=folder, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{http_port}"
        _wait_http(base + "/sparql?query=ASK%7B%7D", proc, log, 120)
        isql(isql_program, sql_port, VIRTUOSO_GRANTS)
        yield base + "/sparql"
    finally:
        _stop(proc)


SERVERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}

# the kinds of store the store-wide tests run over (``built_stores`` in tests/conftest.py)
STORE_KINDS = ["embedded", *SERVERS]


# Named queries on which Virtuoso 7.2.5 cannot give the embedded store's answers:
# its own evaluation or compiler, not the adapter (README, Stores).  Each test that
# hits one is an expected failure on Virtuoso (strict: it must fail) with this reason.
VIRTUOSO_DIVERGES: dict[str, str] = {}

# tests of tests/test_lineage.py and tests/test_store_queries.py that run one of them
VIRTUOSO_DIVERGING_TESTS: dict[str, str] = {}
