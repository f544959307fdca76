"""Build throughput and memory: documents/s and triples/s into the embedded store,
peak memory (RSS of a fresh process), store size on disk, and pySHACL validation
time per document.  On the samples and on a generated corpus (benchmarks/corpus.py).

    python benchmarks/build.py [--docs 1000] [--validate 20]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = """
import json, resource, sys, time
from kg.pipeline import build
from kg.store import open_store
store = open_store(sys.argv[2])
t = time.perf_counter()
r = build([sys.argv[1]], store)
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "loaded": r.count("loaded"), "failed": r.count("failed"),
                  "triples": r.triples,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure_build(folder: Path, store: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(store)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    m = json.loads(out.strip().splitlines()[-1])
    m["store_mb"] = sum(f.stat().st_size for f in store.rglob("*") if f.is_file()) / 1e6
    return m


def report(name: str, n: int, m: dict) -> None:
    print(f"{name}: {n} documents in {m['seconds']:.1f} s = {n / m['seconds']:.1f} documents/s, "
          f"{m['triples'] / m['seconds']:,.0f} triples/s ({m['triples']:,} triples, "
          f"{m['failed']} failed); peak RSS {m['peak_mb']:.0f} MB; store {m['store_mb']:.0f} MB")


def measure_validation(store_dir: Path, count: int) -> None:
    from kg.store import open_store
    from kg.validate import (document_graphs, graph_to_rdflib, load_ontology, load_shapes,
                             validate_graph)
    store = open_store(store_dir, read_only=True)
    shapes, onto = load_shapes(), load_ontology()
    times = []
    for g in document_graphs(store)[:count]:
        t = time.perf_counter()
        validate_graph(graph_to_rdflib(store, g), shapes, onto, g)
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"validation (pySHACL): {len(times)} documents, median {times[len(times) // 2]:.2f} s, "
          f"max {times[-1]:.2f} s per document")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--validate", type=int, default=20)
    a = ap.parse_args()
    from benchmarks.corpus import generate
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        report("samples", 4, measure_build(ROOT / "data", tmp / "s1"))
        t = time.perf_counter()
        generate(a.docs, tmp / "corpus")
        print(f"generated {a.docs} documents in {time.perf_counter() - t:.1f} s")
        report("corpus", a.docs, measure_build(tmp / "corpus", tmp / "s2"))
        measure_validation(tmp / "s2", a.validate)


if __name__ == "__main__":
    main()
