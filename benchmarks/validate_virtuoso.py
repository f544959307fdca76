"""The compiled engine on Virtuoso, once per fresh server: data/ built into a new
Virtuoso, then its documents validated, timed; ``--instances`` servers one after
another.  Virtuoso plans a query from statistics it samples, so the same query can
take half a second on one server and half a minute on the next: one run per server
shows the spread that a single timed run hides.

    python benchmarks/validate_virtuoso.py [--instances 8] [--out benchmarks/validate_virtuoso.json]

Needs Virtuoso (``make setup`` installs it); servers come from benchmarks/scale.py's
``server`` (tests/servers.py).  The JSON names the commit measured.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import NotAvailable, loadavg, server  # noqa: E402


def one_server() -> dict:
    """One validation of data/ on a fresh Virtuoso: its seconds, its slowest query,
    the documents and findings."""
    from kg.pipeline import build
    from kg.store import open_store
    from kg.validate import document_graphs, load_ontology, load_shapes, validate_store
    with tempfile.TemporaryDirectory() as folder, server("virtuoso", Path(folder)) as url:
        store = open_store(url)
        failed = [d.file for d in build([ROOT / "data"], store).documents
                  if d.status == "failed"]
        if failed:
            raise RuntimeError(f"data/ did not load into Virtuoso: {failed}")
        slowest, query = 0.0, store.query

        def timed(text, *args, **kwargs):
            nonlocal slowest
            start = time.perf_counter()
            rows = list(query(text, *args, **kwargs))
            slowest = max(slowest, time.perf_counter() - start)
            return iter(rows)
        store.query = timed  # type: ignore[method-assign]
        graphs = document_graphs(store)
        start = time.perf_counter()
        reports = validate_store(store, graphs, shapes=load_shapes(), ontology=load_ontology())
        return {"seconds": round(time.perf_counter() - start, 2),
                "slowest_query_s": round(slowest, 2), "documents": len(graphs),
                "findings": sum(len(r.findings) for r in reports)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--instances", type=int, default=8)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "validate_virtuoso.json")
    args = ap.parse_args()
    from kg import config
    try:
        runs = [one_server() for _ in range(args.instances)]
    except NotAvailable as e:
        sys.exit(f"validate_virtuoso: {e}")
    seconds = [r["seconds"] for r in runs]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    out = {"command": f"python benchmarks/validate_virtuoso.py --instances {args.instances}",
           "code": commit or "unknown",
           "machine": f"{os.cpu_count()} cores, load average at the end {loadavg()}",
           "workers": int(str(config.get("workers"))) or os.cpu_count(),
           "runs": runs, "median_s": round(statistics.median(seconds), 2),
           "min_s": min(seconds), "max_s": max(seconds)}
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
