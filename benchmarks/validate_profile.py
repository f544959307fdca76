"""Where the compiled engine's time and memory go: every query of a whole-store run,
one thread, timed, with the anonymous memory it added while it ran.

    python benchmarks/validate_profile.py STORE [--some K] [--out FILE.json]

One thread (``KG_WORKERS=1``) so that each query's time and memory are its own: the
peak of anonymous memory (``RssAnon``, sampled every 20 ms) is reset before each
query.  The JSON has the totals by kind of query (graph screens, node screens,
SHACL-SPARQL rules and other checks without a screen, known by comparing each query
with the compiled shapes; the rest), the heaviest queries by time and by memory
(their text shortened), and the run's total.  ``--some K``: validate the store's
first K documents only (as ``kg validate --load`` does after K changed), not all.
The store is opened read-only.
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


def key(query: str) -> str:
    """A query without its lists of graphs (a screen runs on the whole store or on the
    graphs its graph screen found, perhaps named as its dataset), spaces collapsed."""
    query = re.sub(r"VALUES \?g \{[^}]*\}|FROM NAMED <[^>]*>", "", query)
    return re.sub(r"\s+", " ", query).strip()


def kinds_of(checks) -> dict[str, str]:
    """{`key` of a query the engine sends: its kind}, for the screens and for the
    checks that run without one."""
    from kg.validation.engine import query_for, restricted
    out = {}
    for c in checks:
        if c.graph_screen:
            out[key(restricted(c.graph_screen, [], True))] = "graph screen"
        if c.screen:
            out[key(restricted(c.screen, [], True))] = "node screen"
        if c.precheck:
            out[key(restricted(c.precheck, [], True))] = "whether a minimum count can fail"
        if not c.graph_screen and not c.screen:
            out[key(query_for(c, [], True))] = ("SHACL-SPARQL rule"
                                                if c.component == "SPARQLConstraintComponent"
                                                else "check without a screen")
    return out


def short(query: str) -> str:
    query = re.sub(r"VALUES \(?\?g( \?this)?\)? \{[^}]*\}", "VALUES {…}", query)
    return re.sub(r"\s+", " ", query)[:300]


OTHER = "checks behind screens, findings' labels and spans, the store's view"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--some", type=int, metavar="K", help="validate K documents, not all")
    args = ap.parse_args()

    from kg.store import open_store
    from kg.validate import document_graphs, load_ontology, load_shapes
    from kg.validation import engine
    from kg.validation.compile import compile_shapes

    peak, lock = [0], threading.Lock()  # the lock: a reset never undone by a late sample

    def sample() -> None:
        while True:
            now = anon_mb()
            with lock:
                peak[0] = max(peak[0], now)
            time.sleep(0.02)
    threading.Thread(target=sample, daemon=True).start()

    store = open_store(args.store, read_only=True)
    query, log = store.query, []

    def measured(text, *a, **k):
        with lock:
            before = peak[0] = anon_mb()
        start = time.perf_counter()
        rows = list(query(text, *a, **k))
        log.append({"s": round(time.perf_counter() - start, 3), "rows": len(rows),
                    "added_mb": max(0, peak[0] - before), "kind": kinds.get(key(text), OTHER),
                    "query": short(text)})
        return iter(rows)
    shapes, ontology = load_shapes(), load_ontology()
    every = document_graphs(store)
    graphs = every[:args.some] if args.some else every
    checks, _ = compile_shapes(shapes, ontology, engine.view_of(store, ontology))
    kinds = kinds_of(checks)
    store.query = measured  # type: ignore[method-assign]
    start = time.perf_counter()
    found, _ = engine.validate_graphs(store, graphs, shapes, ontology)
    total = time.perf_counter() - start

    by_kind: dict[str, dict] = {}
    for r in log:
        k = by_kind.setdefault(r["kind"], {"queries": 0, "s": 0.0})
        k["queries"] += 1
        k["s"] = round(k["s"] + r["s"], 2)
    some = f" --some {args.some}" if args.some else ""
    out = {"command": f"python benchmarks/validate_profile.py STORE{some} ({len(every)} documents)",
           "documents": len(every), "validated": len(graphs), "threads": 1,
           "seconds": round(total, 1),
           "queries": len(log), "query_seconds": round(sum(r["s"] for r in log), 1),
           "findings": sum(map(len, found.values())),
           "by_kind": dict(sorted(by_kind.items(), key=lambda kv: -kv[1]["s"])),
           "slowest": sorted(log, key=lambda r: -r["s"])[:args.top],
           "most_memory": sorted(log, key=lambda r: -r["added_mb"])[:args.top]}
    text = json.dumps(out, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
