"""Endpoint speed on loopback, side by side with `oxigraph serve` (PyPI `oxigraph`,
the same engine as our store, with its own Rust HTTP server) on the same data:
p50/p95 latency of every named query, and throughput with 8 concurrent clients.

    pip install oxigraph   # `make bench` does it
    python benchmarks/endpoint.py [--requests 40] [--seconds 10]
"""
from __future__ import annotations

import argparse
import shutil
import socket
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str) -> None:
    for _ in range(200):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not start")


def ask(url: str, query: str, client: httpx.Client) -> float:
    t = time.perf_counter()
    r = client.post(url, content=query.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    r.raise_for_status()
    return time.perf_counter() - t


def latency(url: str, query: str, n: int) -> tuple[float, float]:
    with httpx.Client(timeout=60) as c:
        ask(url, query, c)  # warm up
        times = sorted(ask(url, query, c) for _ in range(n))
    return times[len(times) // 2] * 1000, times[int(len(times) * 0.95) - 1] * 1000


def throughput(url: str, queries: list[str], clients: int, seconds: float) -> float:
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        with httpx.Client(timeout=60) as c:
            k = i
            while time.perf_counter() < stop:
                ask(url, queries[k % len(queries)], c)
                done[i] += 1
                k += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2, help="kg serve worker processes")
    a = ap.parse_args()
    if not shutil.which("oxigraph", path=str(BIN)) and not shutil.which("oxigraph"):
        sys.exit("the peer is missing: pip install oxigraph")
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run([BIN / "kg", "build", str(ROOT / "data"), "--store", tmp / "ours",
                        "--dump", tmp / "dump"], check=True, capture_output=True)
        subprocess.run([oxigraph, "load", "--location", tmp / "peer", "--file",
                        tmp / "dump" / "dump.nq"], check=True, capture_output=True)
        p1, p2 = free_port(), free_port()
        ours = subprocess.Popen([BIN / "kg", "serve", "--store", tmp / "ours", "--port", str(p1),
                                 "--workers", str(a.workers)], stderr=subprocess.DEVNULL)
        peer = subprocess.Popen([oxigraph, "serve-read-only", "--location", tmp / "peer",
                                 "--bind", f"127.0.0.1:{p2}", "--union-default-graph"],
                                stderr=subprocess.DEVNULL)
        try:
            url1, url2 = f"http://127.0.0.1:{p1}/sparql", f"http://127.0.0.1:{p2}/query"
            wait(url1)
            wait(url2)
            named = catalog()
            print(f"{'query':<14}{'ours p50':>10}{'p95':>8}{'peer p50':>10}{'p95':>8}  ms")
            for name, q in named.items():
                o50, o95 = latency(url1, q.text, a.requests)
                x50, x95 = latency(url2, q.text, a.requests)
                print(f"{name:<14}{o50:>10.1f}{o95:>8.1f}{x50:>10.1f}{x95:>8.1f}")
            texts = [q.text for q in named.values()]
            ot = throughput(url1, texts, a.clients, a.seconds)
            xt = throughput(url2, texts, a.clients, a.seconds)
            print(f"kg serve with {a.workers} worker processes; oxigraph serve-read-only")
            print(f"throughput, {a.clients} clients, {a.seconds:g} s: ours {ot:.1f} req/s, "
                  f"peer {xt:.1f} req/s, ratio {ot / xt:.2f}")
        finally:
            ours.terminate()
            peer.terminate()
            ours.wait()
            peer.wait()


if __name__ == "__main__":
    main()
