"""What one row costs pyoxigraph in the compiled engine's queries: the unit costs
behind `validate_profile.py`'s totals, measured on the largest family of triples in
a built store (the source spans' ``bp:firstLine``, one per span).

    python benchmarks/validate_costs.py STORE [--out benchmarks/validate_costs-N.json]

Each step adds one thing to the one before, as the screens and checks do: a scan of
one predicate over every document graph, grouped by graph, counting distinct
subjects, testing each value (the ``sh:datatype xsd:integer`` screen's condition), and
apart, an index probe per row (``FILTER EXISTS``, as a join within one pattern does)
and a hash join of two scans (sub-SELECTs, as the screens joined by hash do).  Best of
three runs each; the store is opened read-only.  ``N`` in the file name: the store's
documents.

The peer, in the same run: every step again on an in-memory pyoxigraph store holding
a copy of the triples the steps read (the spans' types and lines), with what making
the copy cost per quad: whether validating on a copy in memory would pay.  The
copy is held while the script runs: at 10,000 documents (5.8 million quads) the
script's resident memory was 3.4 GB.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.iris import BP  # noqa: E402

P, C = f"<{BP}firstLine>", f"<{BP}SourceSpan>"
INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"
CONDITION = f'COALESCE(datatype(?o) != {INTEGER} || !REGEX(STR(?o), "^[+-]?[0-9]+$"), true)'

STEPS = [  # (name, what it adds, query)
    ("scan", "read every triple of the predicate",
     f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s {P} ?o }} }}"),
    ("grouped", "grouped by document graph",
     f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s {P} ?o }} }} GROUP BY ?g"),
    ("distinct", "and its distinct subjects counted per graph (maxCount's screen)",
     f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s {P} ?o }} }} GROUP BY ?g "
     f"HAVING (COUNT(*) > COUNT(DISTINCT ?s))"),
    ("condition", "and each value tested (the datatype screen's condition)",
     f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s {P} ?o }} }} GROUP BY ?g "
     f"HAVING (COUNT(*) > COUNT(DISTINCT ?s) || SUM(IF({CONDITION}, 1, 0)) > 0)"),
    ("probe", "apart: an index probe per row (each span's line looked up)",
     f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s a {C} FILTER EXISTS {{ ?s {P} ?o }} }} }}"),
    ("hash_join", "apart: the same pairs as a hash join of two scans",
     f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s a {C} }} }} }} "
     f"{{ SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s {P} ?o }} }} }} }}"),
]


def best(store, query: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in store.query(query):
            pass
        times.append(time.perf_counter() - start)
    return min(times)


def in_memory_copy(store):
    """A pyoxigraph store in memory with the quads the steps read, and the seconds
    copying them took."""
    import pyoxigraph
    start = time.perf_counter()
    copy = pyoxigraph.Store()
    a = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    copy.bulk_extend(store.quads_for_pattern(None, pyoxigraph.NamedNode(P[1:-1]), None, None))
    copy.bulk_extend(store.quads_for_pattern(None, a, pyoxigraph.NamedNode(C[1:-1]), None))
    return copy, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    import pyoxigraph
    store = pyoxigraph.Store.read_only(a.store)
    rows = int(next(iter(store.query(STEPS[0][2])))["n"].value)  # also a warm-up
    if not rows:
        sys.exit(f"validate_costs: no {P} triples in {a.store}")
    counted = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?c {{ ?g a <{BP}DocumentGraph> }} }}"
    documents = int(next(iter(store.query(counted)))["n"].value)
    copy, copy_s = in_memory_copy(store)
    steps = []
    for name, adds, query in STEPS:
        s, m = best(store, query), best(copy, query)
        steps.append({"step": name, "adds": adds, "s": round(s, 3),
                      "us_per_row": round(s / rows * 1e6, 2),
                      "in_memory_s": round(m, 3), "in_memory_us_per_row": round(m / rows * 1e6, 2)})
    out = {"command": f"python benchmarks/validate_costs.py STORE ({documents} documents)",
           "machine": f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
           "documents": documents, "rows": rows, "predicate": P, "class": C, "steps": steps,
           "in_memory_copy": {"quads": len(copy), "s": round(copy_s, 2),
                              "us_per_quad": round(copy_s / len(copy) * 1e6, 2),
                              "how": "Store().bulk_extend(quads_for_pattern(…)) per pattern"}}
    path = a.out or ROOT / "benchmarks" / f"validate_costs-{documents}.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
