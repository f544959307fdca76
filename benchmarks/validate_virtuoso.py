"""The compiled engine on Virtuoso, once per fresh server: data/ built into a new
Virtuoso, then ``validate_store`` over its documents, timed; ``--instances`` servers
one after another.  Virtuoso plans a query from sampled statistics, so the same
query can take 0.1 s on one server and 13 s on the next: one run per server shows
the spread that a single timed run hides.

    python benchmarks/validate_virtuoso.py [--instances 8] [--out benchmarks/validate_virtuoso.json]

Needs Virtuoso (``make setup`` installs it); servers come from tests/servers.py.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one_server() -> dict:
    """Seconds of one validation of data/ on a fresh Virtuoso, its slowest query and
    how many findings it gave."""
    from kg.pipeline import build
    from kg.store import open_store
    from kg.validate import document_graphs, load_ontology, load_shapes, validate_store
    from tests.servers import virtuoso_server
    with tempfile.TemporaryDirectory() as folder, virtuoso_server(folder) as url:
        store = open_store(url)
        build([ROOT / "data"], store)
        slowest, query = 0.0, store.query

        def timed(text, *args, **kwargs):
            nonlocal slowest
            start = time.perf_counter()
            rows = list(query(text, *args, **kwargs))
            slowest = max(slowest, time.perf_counter() - start)
            return iter(rows)
        store.query = timed  # type: ignore[method-assign]
        start = time.perf_counter()
        reports = validate_store(store, document_graphs(store), shapes=load_shapes(),
                                 ontology=load_ontology())
        return {"seconds": round(time.perf_counter() - start, 2),
                "slowest_query_s": round(slowest, 2),
                "findings": sum(len(r.findings) for r in reports)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--instances", type=int, default=8)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "validate_virtuoso.json")
    args = ap.parse_args()
    runs = [one_server() for _ in range(args.instances)]
    seconds = [r["seconds"] for r in runs]
    out = {"command": "python benchmarks/validate_virtuoso.py --instances "
                      f"{args.instances}",
           "machine": f"{os.cpu_count()} cores, load average at the end "
                      + " ".join(f"{x:.1f}" for x in os.getloadavg()),
           "workers": os.environ.get("KG_WORKERS", "default"),
           "documents": len(list((ROOT / "data").glob("*.txt"))),
           "runs": runs, "median_s": round(statistics.median(seconds), 2),
           "min_s": min(seconds), "max_s": max(seconds)}
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
