"""What caching saves on loopback: the dumps (written once per store version, then
served from a file, gzipped when the client takes it), /dataset (computed once per
version) and a revalidation (304).  The peer is `oxigraph serve-read-only` (PyPI
`oxigraph`) on the same data: its whole-dataset GET /store is the nearest thing to a
dump request.  A corpus of N documents (benchmarks/corpus.py) is built into a fresh
store; each request is timed `--repeat` times and the median is kept (the first
request of a version is reported on its own).  Writes benchmarks/caching-N.json.

    python benchmarks/caching.py [--documents 100] [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from benchmarks.endpoint import free_port, wait  # noqa: E402


def timed(client: httpx.Client, url: str, headers: dict) -> tuple[float, int, int]:
    """(seconds, status, bytes on the wire) of one GET."""
    t = time.perf_counter()
    with client.stream("GET", url, headers=headers) as r:
        size = sum(len(c) for c in r.iter_raw())
    return time.perf_counter() - t, r.status_code, size


def measure(client, url: str, headers: dict, repeat: int) -> dict:
    first = timed(client, url, headers)
    rest = [timed(client, url, headers) for _ in range(repeat)]
    assert all(s in (200, 304) for _, s, _ in [first, *rest]), (url, first, rest)
    return {"first_s": round(first[0], 4),
            "median_s": round(statistics.median(t for t, _, _ in rest), 4),
            "bytes": rest[0][2], "status": rest[0][1]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-caching-"))
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(a.documents),
                    str(work / "docs")],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([str(BIN / "kg"), "build", str(work / "docs"), "--store", str(work / "store"),
                    "--dump", str(work / "dumps")], check=True, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
    subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(work / "peer"),
                    "--file", str(work / "dumps" / "dump.nq")], check=True,
                    stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    ours_port, peer_port = free_port(), free_port()
    ours = subprocess.Popen([str(BIN / "kg"), "serve", "--store", str(work / "store"), "--port",
                             str(ours_port)],
                            stderr=subprocess.DEVNULL)
    peer = subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location",
                             str(work / "peer"),
                             "--bind", f"127.0.0.1:{peer_port}"], stderr=subprocess.DEVNULL)
    try:
        base, peer_base = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{peer_port}"
        wait(base + "/", ours)
        wait(peer_base + "/query?query=ASK%7B%7D", peer)
        plain, gz = {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip"}
        with httpx.Client(timeout=300) as c:
            out = {"dump.nq": measure(c, base + "/dumps/dump.nq", plain, a.repeat),
                   "dump.nq gzip": measure(c, base + "/dumps/dump.nq", gz, a.repeat),
                   "dump.ttl": measure(c, base + "/dumps/dump.ttl", plain, a.repeat),
                   "dataset turtle": measure(c, base + "/dataset",
                                             {**plain, "Accept": "text/turtle"}, a.repeat),
                   "peer GET /store n-quads": measure(c, peer_base + "/store",
                                                      {**plain, "Accept": "application/n-quads"},
                                                      a.repeat)}
            tag = c.get(base + "/dumps/dump.nq", headers=plain).headers["etag"]
            out["dump.nq revalidated (304)"] = measure(c, base + "/dumps/dump.nq",
                                                       {**plain, "If-None-Match": tag},
                                                       a.repeat)
    finally:
        for p in (ours, peer):
            p.terminate()
            p.wait(10)
    result = {"documents": a.documents, "repeat": a.repeat, "machine": platform.machine(),
              "cpus": __import__("os").cpu_count(),
              "note": "shared machine (other builds and tests running)",
              "date": time.strftime("%Y-%m-%d"), "requests": out}
    path = ROOT / "benchmarks" / f"caching-{a.documents}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
