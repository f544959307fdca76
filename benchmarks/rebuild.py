"""An unchanged rebuild: seconds for `kg build` over a store that already holds
every document (nothing to load), on a generated corpus (tests/support/corpus.py).
Results are merged into benchmarks/rebuild.json under ``--label`` (one entry per
code version measured, e.g. before and after a change), with the machine's load.

    python benchmarks/rebuild.py --docs 300 --label hash-first
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).with_name("rebuild.json")
KG = str(Path(sys.executable).with_name("kg"))


def timed_build(corpus: Path, store: Path) -> float:
    started = time.perf_counter()
    subprocess.run([KG, "build", str(corpus), "--store", str(store), "-q"], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3, help="unchanged rebuilds timed (median kept)")
    ap.add_argument("--label", required=True, help="what code was measured")
    args = ap.parse_args()
    from tests.support.corpus import generate
    with tempfile.TemporaryDirectory() as tmp:
        corpus, store = Path(tmp, "in"), Path(tmp, "store")
        generate(args.docs, corpus)
        first = timed_build(corpus, store)
        again = sorted(timed_build(corpus, store) for _ in range(args.runs))
    result = {"docs": args.docs, "first_build_s": round(first, 2),
              "unchanged_rebuild_s": round(again[len(again) // 2], 2),
              "unchanged_rebuild_runs_s": [round(t, 2) for t in again],
              "load_average": [round(x, 2) for x in os.getloadavg()],
              "cpus": os.cpu_count(),
              "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    results = json.loads(OUT.read_text()) if OUT.exists() else {}
    results[args.label] = result
    OUT.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps({args.label: result}, indent=1))


if __name__ == "__main__":
    main()
