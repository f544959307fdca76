"""Build throughput and memory: documents/s and triples/s into the embedded store,
CPU seconds per document (all processes: robust when other jobs share the machine),
peak memory (RSS of the building process and of its largest worker), store size on
disk, and pySHACL validation time per document.  On the samples and on a generated
corpus (tests/support/corpus.py).

    python benchmarks/build.py [--docs 1000] [--validate 20]
    python benchmarks/build.py --docs 300 --only-corpus --validate 0
    python benchmarks/build.py --write 100   # store writes alone, by method

``--write N`` compares ways of writing N prepared documents into a fresh store, in
batches of 20: the bulk loader alone (not atomic; strict, and lenient: no IRI or
literal checks, as the build loads its own serialisation; and all N in one load,
as a large ``batch_quads`` does), one transaction per batch
(``Store.load``), and the journaled bulk load the build uses (atomic on a kill).
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
import json, os, resource, sys, time
from kg.pipeline import build
from kg.store import open_store
store = open_store(sys.argv[2])
t = time.perf_counter()
r = build([sys.argv[1]], store)
dt = time.perf_counter() - t
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": dt, "loaded": r.count("loaded"), "failed": r.count("failed"),
                  "triples": r.triples, "peak_mb": me.ru_maxrss / 1024,
                  "worker_peak_mb": kids.ru_maxrss / 1024,
                  "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  "load": os.getloadavg()[0]}))
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
          f"{m['failed']} failed); {m['cpu'] / n * 1000:.0f} CPU ms per document; peak RSS "
          f"{m['peak_mb']:.0f} MB (workers {m['worker_peak_mb']:.0f} MB); store "
          f"{m['store_mb']:.0f} MB; load average {m['load']:.1f}")


def measure_writes(folder: Path, n: int, tmp: Path) -> None:
    """Store writes alone: the same prepared documents written three ways."""
    import shutil

    from pyoxigraph import RdfFormat, Store

    from kg import iris
    from kg.pipeline import expand, prepare
    from kg.store import open_store
    base = iris.base(None)
    preps = [prepare(str(p), base) for p in expand([folder])[:n]]
    quads = sum(p.triples for p in preps)
    batches = [preps[i:i + 20] for i in range(0, len(preps), 20)]

    def bulk(store):
        for b in batches:
            store.bulk_load(b"".join(p.nquads for p in b), format=RdfFormat.N_QUADS)

    def bulk_lenient(store):  # what the build does: its own serialisation needs no checks
        for b in batches:
            store.bulk_load(b"".join(p.nquads for p in b), format=RdfFormat.N_QUADS,
                            lenient=True)

    def bulk_one_load(store):  # one load of everything: what a large batch_quads gives
        store.bulk_load(b"".join(p.nquads for p in preps), format=RdfFormat.N_QUADS,
                        lenient=True)

    def transaction(store):
        for b in batches:
            store.load(b"".join(p.nquads for p in b), format=RdfFormat.N_QUADS)

    def journaled(store):
        for b in batches:
            store.replace_graphs([(p.graph, p.nquads, []) for p in b], iris.catalog_graph(base))

    for name, write, kg_store in (("bulk loader (not atomic)", bulk, False),
                                  ("bulk loader, lenient (not atomic)", bulk_lenient, False),
                                  ("bulk loader, lenient, one load (not atomic)", bulk_one_load,
                                   False),
                                  ("one transaction per batch", transaction, False),
                                  ("journaled bulk load (the build)", journaled, True)):
        folder_ = tmp / "w"
        store = open_store(folder_) if kg_store else Store(str(folder_))
        t = time.perf_counter()
        write(store)
        store.flush()
        dt = time.perf_counter() - t
        print(f"write {n} documents, {name}: {dt:.1f} s = {quads / dt:,.0f} quads/s")
        del store
        shutil.rmtree(folder_)


def measure_validation(store_dir: Path, count: int) -> None:
    from kg.store import open_store
    from kg.validate import (
        document_graphs,
        graph_to_rdflib,
        load_ontology,
        load_shapes,
        validate_graph,
    )
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
    ap.add_argument("--only-corpus", action="store_true", help="skip the samples")
    ap.add_argument("--write", type=int, metavar="N", default=0,
                    help="only compare store write methods on N documents")
    a = ap.parse_args()
    from tests.support.corpus import generate
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if a.write:
            generate(a.write, tmp / "corpus")
            measure_writes(tmp / "corpus", a.write, tmp)
            return
        if not a.only_corpus:
            report("samples", 4, measure_build(ROOT / "data", tmp / "s1"))
        t = time.perf_counter()
        generate(a.docs, tmp / "corpus")
        print(f"generated {a.docs} documents in {time.perf_counter() - t:.1f} s")
        report("corpus", a.docs, measure_build(tmp / "corpus", tmp / "s2"))
        if a.validate:
            measure_validation(tmp / "s2", a.validate)


if __name__ == "__main__":
    main()
