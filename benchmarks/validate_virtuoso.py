"""The compiled engine on Virtuoso, once per fresh server: data/ built into a new
Virtuoso, then its documents validated, timed; ``--instances`` servers one after
another.  Virtuoso plans a query from statistics it samples, so the same query can
take half a second on one server and half a minute on the next: one run per server
shows the spread that a single timed run hides.

    python benchmarks/validate_virtuoso.py [--instances 8] [--out benchmarks/validate_virtuoso.json]
    python benchmarks/validate_virtuoso.py --docs 600 [--some 550]

``--docs N``: one server, N generated documents (tests/support/corpus.py) instead of
data/, built into Virtuoso and into an embedded store; the compiled engine's
findings on both are compared (over 500 documents the embedded store's screens
joined by hash run in chunks, ``SCREEN_CHUNK``; Virtuoso's are plain patterns, one
pass), and the JSON (``validate_virtuoso-N.json``) says whether they
are the same and where they differ; ``--some K`` then validates the first K alone on
both (as ``kg validate --load`` does after K changed: their graphs named in each
query) and compares those findings too, and on Virtuoso again with the screens
joined by hash (sub-SELECTs, in chunks), as before Virtuoso had plain patterns.

Needs Virtuoso (``make setup`` installs it); servers come from benchmarks/scale.py's
``server`` (tests/servers.py).  The JSON names the commit measured.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale import NotAvailable, loadavg, server  # noqa: E402


def _findings(reports) -> set[tuple]:
    """What a finding says, store apart (the order of rows may differ), each once."""
    return {(r.graph, f.shape, f.constraint, f.focus, f.path, f.value_nt or f.value,
             f.severity, f.message_en, f.first_line) for r in reports for f in r.findings}


def _validated(store, some: int = 0) -> tuple[set[tuple], float, int, list[dict]]:
    """The findings, seconds, documents and the five slowest queries (text shortened)
    of every document of ``store``, or of its first ``some``."""
    from kg.validate import document_graphs, load_ontology, load_shapes, validate_store
    graphs = document_graphs(store)[:some or None]
    query, timings = store.query, []

    def timed(text, *args, **kwargs):
        start = time.perf_counter()
        rows = list(query(text, *args, **kwargs))
        timings.append({"s": round(time.perf_counter() - start, 2), "rows": len(rows),
                        "query": " ".join(re.sub(r"VALUES \?g \{[^}]*\}", "VALUES ?g {…}",
                                                 text).split())[:240]})
        return iter(rows)
    store.query = timed  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        reports = validate_store(store, graphs, shapes=load_shapes(), ontology=load_ontology())
        seconds = round(time.perf_counter() - start, 2)
    finally:
        store.query = query  # type: ignore[method-assign]
    return (_findings(reports), seconds, len(graphs),
            sorted(timings, key=lambda t: -t["s"])[:5])


def one_server() -> dict:
    """One validation of data/ on a fresh Virtuoso: its seconds, its slowest query,
    the documents and findings."""
    from kg.pipeline import build
    from kg.store import open_store
    with tempfile.TemporaryDirectory() as folder, server("virtuoso", Path(folder)) as url:
        store = open_store(url)
        failed = [d.file for d in build([ROOT / "data"], store).documents
                  if d.status == "failed"]
        if failed:
            raise RuntimeError(f"data/ did not load into Virtuoso: {failed}")
        found, seconds, documents, slowest = _validated(store)
        return {"seconds": seconds, "slowest_query_s": slowest[0]["s"] if slowest else 0.0,
                "documents": documents, "findings": len(found)}


def same_as_embedded(n: int, some: int = 0) -> dict:
    """``n`` generated documents validated on Virtuoso and on the embedded store (and
    then ``some`` of them, as ``kg validate --load`` does after they changed)."""
    from kg.pipeline import build
    from kg.store import open_store
    from kg.validation.engine import SCREEN_CHUNK
    from tests.support.corpus import generate
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        generate(n, corpus)
        embedded = open_store(Path(folder) / "embedded")
        build([corpus], embedded)
        mine, mine_s, docs, _ = _validated(embedded)
        part = _validated(embedded, some) if some else None
        extra: dict = {}
        with server("virtuoso", Path(folder) / "virtuoso") as url:
            store = open_store(url)
            start = time.perf_counter()
            report = build([corpus], store)
            load_s = round(time.perf_counter() - start, 1)
            failed = [d.file for d in report.documents if d.status == "failed"]
            theirs, theirs_s, their_docs, slowest = _validated(store)
            if part:
                their_part = _validated(store, some)
                # the same, with the screens joined by hash as before (a peer)
                store.capabilities = dataclasses.replace(store.capabilities,
                                                         sub_select_tables=True)
                as_before = _validated(store, some)
                extra = {"some": some, "embedded_some_s": part[1],
                         "virtuoso_some_s": their_part[1],
                         "same_findings_some": part[0] == their_part[0],
                         "findings_some": len(part[0]),
                         "virtuoso_some_slowest": their_part[3],
                         "virtuoso_some_tables_s": as_before[1],
                         "same_findings_some_tables": as_before[0] == part[0]}
    return {"documents": docs, "virtuoso_documents": their_docs, "failed_in_virtuoso": failed,
            "screen_chunk": SCREEN_CHUNK, "virtuoso_load_s": load_s,
            "embedded_s": mine_s, "virtuoso_s": theirs_s,
            "findings": len(mine), "same_findings": mine == theirs,
            "only_embedded": sorted(map(str, mine - theirs))[:20],
            "only_virtuoso": sorted(map(str, theirs - mine))[:20],
            "virtuoso_slowest": slowest} | extra


def code_measured() -> str:
    """The commit measured, ``-dirty`` if the tree had changes."""
    return subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip() or "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--instances", type=int, default=8)
    ap.add_argument("--docs", type=int, help="N generated documents, compared with embedded")
    ap.add_argument("--some", type=int, default=0,
                    help="with --docs: then the first K of them validated alone")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    from kg import config
    if args.docs:
        try:
            result = same_as_embedded(args.docs, args.some)
        except NotAvailable as e:
            sys.exit(f"validate_virtuoso: {e}")
        some = f" --some {args.some}" if args.some else ""
        result = {"command": f"python benchmarks/validate_virtuoso.py --docs {args.docs}{some}",
                  "code": code_measured(),
                  "machine": f"{os.cpu_count()} cores, load average at the end {loadavg()}"
                  } | result
        out = args.out or ROOT / "benchmarks" / f"validate_virtuoso-{args.docs}.json"
        out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return
    args.out = args.out or ROOT / "benchmarks" / "validate_virtuoso.json"
    try:
        runs = [one_server() for _ in range(args.instances)]
    except NotAvailable as e:
        sys.exit(f"validate_virtuoso: {e}")
    seconds = [r["seconds"] for r in runs]
    out = {"command": f"python benchmarks/validate_virtuoso.py --instances {args.instances}",
           "code": code_measured(),
           "machine": f"{os.cpu_count()} cores, load average at the end {loadavg()}",
           "workers": int(str(config.get("workers"))) or os.cpu_count(),
           "runs": runs, "median_s": round(statistics.median(seconds), 2),
           "min_s": min(seconds), "max_s": max(seconds)}
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
