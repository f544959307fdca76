"""Availability under a wave of heavy queries, on loopback, side by side with
`oxigraph serve-read-only` (PyPI `oxigraph`) on the same data.

50 clients for ``--seconds``: ``--heavy`` of them send a cartesian product that
never finishes within the timeout (both servers get ``--timeout``), the others
cheap queries (``ASK {}``, one project's triples, the number of projects; for
kg serve, 5 of them ask for the /issuers page instead).  A
client that gets a 503 with ``Retry-After`` waits a second and sends again.
Measured per server: every answer's status, the cheap answers' latency (p50, p95,
max), the process tree's resident memory when idle, at its peak and how long after
the wave it took to come back under 1.5 times idle (watched for 60 s).  The
servers run one after the other, never together; the machine may be shared, so
the load average is recorded.

    pip install oxigraph   # the test extras have it
    python benchmarks/load.py [--seconds 20] [--heavy 20] [--timeout 10]

Writes benchmarks/load.json.  Bounded: each server gets the wave plus at most 60 s
of watching.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
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

from benchmarks.endpoint import build_both, free_port, wait  # noqa: E402
from tests.support.processes import descendants  # noqa: E402

CLIENTS = 50
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = ["ASK {}",
         "PREFIX bp: <https://w3id.org/bpkg/ontology#> SELECT (COUNT(?p) AS ?n) WHERE { ?p a "
         "bp:Project }",
         "PREFIX bp: <https://w3id.org/bpkg/ontology#> "
         "SELECT ?p ?o WHERE { { SELECT ?s WHERE { ?s a bp:Project } LIMIT 1 } ?s ?p ?o }"]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all processes below it, in MB."""
    kb = 0
    for p in [pid, *descendants(pid)]:
        try:
            with open(f"/proc/{p}/status") as f:
                kb += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except OSError:
            pass
    return kb / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def wave(url: str, pid: int, seconds: float, heavy: int, timeout: float,
         page: str | None = None) -> dict:
    """50 clients for ``seconds``; then watch memory for up to 60 s.  ``page``: a
    page URL that 5 of the cheap clients ask for instead (kg serve only)."""
    for q in CHEAP:  # warm, and check the cheap queries work
        assert httpx.post(url, data={"query": q}, timeout=30).status_code == 200
    time.sleep(1)
    idle = tree_rss_mb(pid)
    records: list[tuple[str, int, float, bool]] = []
    end = time.monotonic() + seconds
    lock = threading.Lock()
    peak = [idle]

    def client(i: int) -> None:
        kind = "heavy" if i < heavy else "page" if page and i >= CLIENTS - 5 else "cheap"
        with httpx.Client(timeout=3 * timeout) as c:  # no answer by then counts as an error
            n = 0
            while time.monotonic() < end:
                q = HEAVY if kind == "heavy" else CHEAP[(i + n) % len(CHEAP)]
                n += 1
                start = time.monotonic()
                try:
                    r = c.get(page) if kind == "page" else c.post(
                        url, data={"query": q},
                        headers={"Accept": "application/sparql-results+json"})
                    status, announced = r.status_code, bool(r.headers.get("retry-after"))
                except httpx.HTTPError:
                    status, announced = 0, False
                with lock:
                    records.append((kind, status, time.monotonic() - start, announced))
                if status == 503 and announced:
                    time.sleep(1)

    def sample() -> None:
        while time.monotonic() < end:
            peak[0] = max(peak[0], tree_rss_mb(pid))
            time.sleep(0.5)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    threads.append(threading.Thread(target=sample))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = time.monotonic()
    recovered = None
    while time.monotonic() - after < 60:
        rss = tree_rss_mb(pid)
        peak[0] = max(peak[0], rss)
        if rss < 1.5 * idle:
            recovered = round(time.monotonic() - after, 1)
            break
        time.sleep(0.5)
    cheap = [t for k, s, t, _ in records if k == "cheap" and s == 200]
    pages = [t for k, s, t, _ in records if k == "page" and s == 200]
    statuses: dict[str, dict[str, int]] = {}
    for k, s, _, announced in records:
        key = f"{s}{' Retry-After' if announced else ''}"
        statuses.setdefault(k, {}).setdefault(key, 0)
        statuses[k][key] += 1
    errors = sum(1 for k, s, _, _ in records if s not in (200, 503))  # 0: no answer
    return {"statuses": statuses, "errors_other_than_200_or_503": errors,
            "cheap_answered": len(cheap),
            "cheap_seconds": {"p50": round(percentile(cheap, 0.5), 3),
                              "p95": round(percentile(cheap, 0.95), 3),
                              "max": round(max(cheap, default=0), 3)},
            "page_seconds": {"answered": len(pages), "p95": round(percentile(pages, 0.95), 3),
                             "max": round(max(pages, default=0), 3)} if page else None,
            "rss_mb": {"idle": round(idle), "peak": round(peak[0]),
                       "after_wave": round(tree_rss_mb(pid))},
            "seconds_to_under_1.5x_idle": recovered}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20, help="length of the wave")
    ap.add_argument("--heavy", type=int, default=20, help="clients (of 50) sending heavy queries")
    ap.add_argument("--timeout", type=int, default=10, help="query timeout of both servers, s")
    a = ap.parse_args()
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    if not oxigraph:
        sys.exit("the peer is missing: pip install oxigraph")
    out = {"machine": {"cores": os.cpu_count(),
                       "load_average_at_start": round(os.getloadavg()[0], 2),
                       "note": "loopback only; the load average says what else ran"},
           "clients": CLIENTS, "heavy_clients": a.heavy, "wave_seconds": a.seconds,
           "query_timeout_seconds": a.timeout, "heavy_query": HEAVY, "cheap_queries": CHEAP}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build_both(tmp, oxigraph)
        servers = {
            "kg serve": ([BIN / "kg", "serve", "--store", tmp / "ours", "--port", "{port}"],
                         "/sparql", {"KG_QUERY_TIMEOUT": str(a.timeout)}),
            "oxigraph serve-read-only": ([oxigraph, "serve-read-only", "--location", tmp / "peer",
                                          "--bind", "127.0.0.1:{port}", "--union-default-graph",
                                          "--timeout-s", str(a.timeout)], "/query", {}),
        }
        for name, (cmd, path, env) in servers.items():
            port = free_port()
            argv = [str(c).replace("{port}", str(port)) for c in cmd]
            proc = subprocess.Popen(argv, env={**os.environ, **env}, stderr=subprocess.DEVNULL)
            try:
                url = f"http://127.0.0.1:{port}{path}"
                wait(url, proc)
                page = f"http://127.0.0.1:{port}/issuers" if path == "/sparql" else None
                out[name] = wave(url, proc.pid, a.seconds, a.heavy, a.timeout, page)
                print(name, json.dumps(out[name], ensure_ascii=False))
            finally:
                proc.terminate()
                proc.wait(30)
    out["machine"]["load_average_at_end"] = round(os.getloadavg()[0], 2)
    (ROOT / "benchmarks" / "load.json").write_text(json.dumps(out, ensure_ascii=False, indent=1)
                                                   + "\n")


if __name__ == "__main__":
    main()
