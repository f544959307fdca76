"""Endpoint speed on loopback, side by side with `oxigraph serve-read-only` (PyPI
`oxigraph`, the same engine as our store, with its own Rust HTTP server) on the same
data (our build's dump loaded into the peer), the same queries and the same result
format (SPARQL JSON): p50/p95 latency of every named query, and throughput with 8
concurrent clients.

Both servers run as subprocesses on the same machine and may use every core (the
peer runs a thread per connection; ours runs queries in a thread pool, pyoxigraph
releases the GIL while it evaluates and serialises).  Before measuring, every query
is sent to both and must give the same number of rows.  Latency requests alternate
between the two servers, and throughput is measured in rounds that alternate which
server goes first, so load from other processes falls on both alike; each round's
figures are printed, then medians.  A request that fails (not 200, or no answer)
is counted as an error, not as done.

    pip install oxigraph   # `make bench` does it
    python benchmarks/endpoint.py [--requests 40] [--seconds 10] [--rounds 3]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from kg.queries import catalog  # noqa: E402

JSON = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, proc: subprocess.Popen) -> None:
    for _ in range(400):
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not start")


def post(url: str, query: str, client: httpx.Client) -> httpx.Response:
    return client.post(url, content=query.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": JSON})


def ask(url: str, query: str, client: httpx.Client) -> float:
    t = time.perf_counter()
    post(url, query, client).raise_for_status()
    return time.perf_counter() - t


def rows(url: str, query: str) -> int:
    with httpx.Client(timeout=60) as c:
        r = post(url, query, c)
        r.raise_for_status()
        return len(r.json()["results"]["bindings"])


def latency(urls: list[str], query: str, n: int) -> list[tuple[float, float]]:
    """p50 and p95 in ms for each URL; requests alternate between the URLs."""
    times: list[list[float]] = [[] for _ in urls]
    clients = [httpx.Client(timeout=60) for _ in urls]
    try:
        for url, c in zip(urls, clients, strict=False):
            ask(url, query, c)  # warm up (and open the connection)
        for _ in range(n):
            for i, (url, c) in enumerate(zip(urls, clients, strict=False)):
                times[i].append(ask(url, query, c))
    finally:
        for c in clients:
            c.close()
    out = []
    for t in times:
        t.sort()
        out.append((t[len(t) // 2] * 1000, t[max(0, int(len(t) * 0.95) - 1)] * 1000))
    return out


def throughput(url: str, queries: list[str], clients: int, seconds: float) -> tuple[float, int]:
    """Requests answered per second by ``clients`` threads each sending the queries in
    turn for ``seconds`` (the last answers are waited for and counted, and so is
    their time), and the number of failed requests."""
    done, failed = [0] * clients, [0] * clients
    start = threading.Barrier(clients + 1)
    stop = [0.0]

    def worker(i: int) -> None:
        with httpx.Client(timeout=60) as c:
            k = i
            start.wait()
            while time.perf_counter() < stop[0]:
                try:
                    ok = post(url, queries[k % len(queries)], c).status_code == 200
                except httpx.HTTPError:
                    ok = False
                done[i] += ok
                failed[i] += not ok
                k += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    stop[0] = time.perf_counter() + seconds
    t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - t0), sum(failed)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})"


def build_both(tmp: Path, oxigraph: str) -> None:
    """The samples built into our store (``tmp/ours``) and, from its dump, into the
    peer's (``tmp/peer``): the same data on both sides."""
    subprocess.run([BIN / "kg", "build", str(ROOT / "data"), "--store", tmp / "ours",
                    "--dump", tmp / "dump"], check=True, capture_output=True)
    subprocess.run([oxigraph, "load", "--location", tmp / "peer", "--file",
                    tmp / "dump" / "dump.nq"], check=True, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=40, help="latency requests per query")
    ap.add_argument("--seconds", type=float, default=10, help="length of a throughput round")
    ap.add_argument("--rounds", type=int, default=3, help="throughput rounds per server")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1, help="kg serve worker processes")
    a = ap.parse_args()
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    if not oxigraph:
        sys.exit("the peer is missing: pip install oxigraph")
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build_both(tmp, oxigraph)
        p1, p2 = free_port(), free_port()
        ours = subprocess.Popen([BIN / "kg", "serve", "--store", tmp / "ours", "--port", str(p1),
                                 "--workers", str(a.workers)], stderr=subprocess.DEVNULL)
        peer = subprocess.Popen([oxigraph, "serve-read-only", "--location", tmp / "peer",
                                 "--bind", f"127.0.0.1:{p2}", "--union-default-graph"],
                                stderr=subprocess.DEVNULL)
        try:
            urls = [f"http://127.0.0.1:{p1}/sparql", f"http://127.0.0.1:{p2}/query"]
            wait(urls[0], ours)
            wait(urls[1], peer)
            named = catalog()
            for name, q in named.items():
                got = [rows(u, q.text) for u in urls]
                if got[0] != got[1]:
                    sys.exit(f"{name}: {got[0]} rows from us, {got[1]} from the peer")
            print(f"{'query':<14}{'rows':>6}{'ours p50':>10}{'p95':>8}{'peer p50':>10}{'p95':>8}  "
                  f"ms")
            for name, q in named.items():
                (o50, o95), (x50, x95) = latency(urls, q.text, a.requests)
                print(f"{name:<14}{rows(urls[0], q.text):>6}{o50:>10.1f}{o95:>8.1f}"
                      f"{x50:>10.1f}{x95:>8.1f}")
            texts = [q.text for q in named.values()]
            ot, xt, ratios = [], [], []
            for r in range(a.rounds):
                order = [0, 1] if r % 2 == 0 else [1, 0]
                got = {}
                for i in order:
                    got[i] = throughput(urls[i], texts, a.clients, a.seconds)
                ot.append(got[0][0])
                xt.append(got[1][0])
                ratios.append(got[0][0] / got[1][0])
                print(f"round {r + 1}: ours {got[0][0]:.1f} req/s ({got[0][1]} errors), "
                      f"peer {got[1][0]:.1f} req/s ({got[1][1]} errors), ratio {ratios[-1]:.2f}")
            print(f"kg serve with {a.workers} worker process{'es' if a.workers > 1 else ''}; "
                  f"oxigraph serve-read-only; load average {os.getloadavg()[0]:.2f} at the end")
            print(f"throughput, {a.clients} clients, {a.rounds} rounds of {a.seconds:g} s, median "
                  f"(min–max): ours {spread(ot)} req/s, peer {spread(xt)} req/s, "
                  f"ratio {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})")
        finally:
            ours.terminate()
            peer.terminate()
            ours.wait()
            peer.wait()


if __name__ == "__main__":
    main()
