"""Where the compiled engine's time and memory go: every query of a whole-store run,
one thread, timed, with the anonymous memory it added while it ran.

    python benchmarks/validate_profile.py STORE [--out benchmarks/validate_profile-N.json]

One thread (``KG_WORKERS=1``) so that each query's time and memory are its own: the
peak of anonymous memory (``RssAnon``, sampled every 20 ms) is reset before each
query.  The JSON has the totals by kind of query (graph screens, node screens,
SHACL-SPARQL rules, checks behind screens, the rest), the heaviest queries by time
and by memory (their text shortened), and the run's total.  The store is opened
read-only.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["KG_WORKERS"] = "1"


def anon_mb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) // 1024
    return 0


def kind(query: str) -> str:
    """The kind of a compiled query, from its text (kg/validation/compile.py)."""
    head = query.lstrip()
    if head.startswith("PREFIX"):
        return "SHACL-SPARQL rule"
    if head.startswith("SELECT ?g WHERE"):
        return "graph screen"
    if head.startswith("SELECT DISTINCT ?g ?this"):
        return "node screen"
    if "VALUES (?g ?this)" in query:
        return "check on screened nodes, or a finding's labels and spans"
    return "other (the view, a check without screen)"


def short(query: str) -> str:
    query = re.sub(r"VALUES \(?\?g( \?this)?\)? \{[^}]*\}", "VALUES {…}", query)
    return re.sub(r"\s+", " ", query)[:300]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()

    from kg.store import open_store
    from kg.validate import document_graphs, load_ontology, load_shapes
    from kg.validation import engine

    peak = [0]

    def sample() -> None:
        while True:
            peak[0] = max(peak[0], anon_mb())
            time.sleep(0.02)
    threading.Thread(target=sample, daemon=True).start()

    store = open_store(args.store, read_only=True)
    query, log = store.query, []

    def measured(text, *a, **k):
        before = anon_mb()
        peak[0] = before
        start = time.perf_counter()
        rows = list(query(text, *a, **k))
        log.append({"s": round(time.perf_counter() - start, 3), "rows": len(rows),
                    "added_mb": max(0, peak[0] - before), "kind": kind(text),
                    "query": short(text)})
        return iter(rows)
    store.query = measured  # type: ignore[method-assign]
    graphs = document_graphs(store)
    start = time.perf_counter()
    found, _ = engine.validate_graphs(store, graphs, load_shapes(), load_ontology())
    total = time.perf_counter() - start

    kinds: dict[str, dict] = {}
    for r in log:
        k = kinds.setdefault(r["kind"], {"queries": 0, "s": 0.0})
        k["queries"] += 1
        k["s"] = round(k["s"] + r["s"], 2)
    out = {"command": f"python benchmarks/validate_profile.py STORE ({len(graphs)} documents)",
           "documents": len(graphs), "threads": 1, "seconds": round(total, 1),
           "queries": len(log), "query_seconds": round(sum(r["s"] for r in log), 1),
           "findings": sum(map(len, found.values())),
           "by_kind": dict(sorted(kinds.items(), key=lambda kv: -kv[1]["s"])),
           "slowest": sorted(log, key=lambda r: -r["s"])[:args.top],
           "most_memory": sorted(log, key=lambda r: -r["added_mb"])[:args.top]}
    text = json.dumps(out, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
