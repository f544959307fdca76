"""Proof that a speed-up changed no output: build documents into a fresh embedded
store with ``kg.pipeline.build`` (worker processes as in ``kg build``) and write the
SHA-256 of ``EmbeddedStore.canonical_nquads(graph)`` for every named graph but the
catalog (which holds import times).  Run it before and after a change, compare.

    python benchmarks/same_output.py OUT.json data/ /tmp/corpus-300 [--workers 2]
    python benchmarks/same_output.py NEW.json data/ /tmp/corpus-300 --compare OLD.json
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import iris  # noqa: E402
from kg.pipeline import build  # noqa: E402
from kg.store import open_store  # noqa: E402


def digests(folders: list[str], workers: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for folder in folders:
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "store")
            report = build([folder], store, workers=workers)
            failed = [d.file for d in report.documents if d.status != "loaded"]
            if failed:
                out[f"{folder}:failed"] = ",".join(sorted(failed))
            for g in store.named_graphs():
                if g == iris.catalog_graph():
                    continue
                out[g] = hashlib.sha256(store.canonical_nquads(g)).hexdigest()
            out[f"{folder}:triples"] = str(report.triples)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--compare", help="an earlier OUT.json: exit 1 on any difference")
    a = ap.parse_args()
    d = digests(a.folders, a.workers)
    Path(a.out).write_text(json.dumps(d, indent=1, sort_keys=True))
    print(f"{len(d)} entries written to {a.out}")
    if a.compare:
        old = json.loads(Path(a.compare).read_text())
        diff = sorted(k for k in old.keys() | d.keys() if old.get(k) != d.get(k))
        for k in diff[:20]:
            print(f"DIFFERENT {k}: {old.get(k)} -> {d.get(k)}")
        print(f"{len(diff)} differences among {len(old)} / {len(d)} entries")
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
