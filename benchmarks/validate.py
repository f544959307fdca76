"""Validation at scale: the compiled engine (shapes as SPARQL, kg/validation/) against
pySHACL (the reference, kg/validate.py), in the same run on the same store.

    python benchmarks/validate.py [--docs 1000] [--sample 50] [--workdir DIR]
                                  [--out benchmarks/validate-1000.json] [--store PATH]

* The corpus comes from benchmarks/corpus.py (seed 1) and is built with the real
  ``kg build`` into an embedded store (benchmarks/scale.py's ``build``).
* Compiled engine: ``kg validate --store STORE --format json`` in a subprocess, on the
  embedded store and on an Oxigraph server serving a copy of the same store folder
  (pyoxigraph and the server share the storage format); wall time and the peak
  resident memory of the process tree (benchmarks/scale.py's ``run_measured``; for
  the server, the validating client and the server process are measured apart).
* pySHACL over all documents takes about an hour of CPU here, so it runs on a random
  sample (``--sample``, seed 1) in one process, and its time for all documents is
  extrapolated from the sample's (said so in the JSON).  The compiled engine runs on
  the same sample too, and the two engines' findings on it are compared.
* ``--store PATH``: measure an existing store of ``--docs`` documents instead (read,
  never written: the server serves a copy); the JSON names it.
* 10,000 documents are not built (25+ minutes on this machine): the JSON projects the
  compiled engine's time linearly from 1,000 and says it is a projection.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import generate  # noqa: E402
from benchmarks.scale import build, run_measured, validate_measured  # noqa: E402

SAMPLE_CHILD = """
import json, sys, time, resource
from kg.store import open_store
from kg.validate import validate_store
store = open_store(sys.argv[1], read_only=True)
graphs = json.loads(sys.argv[2])
out = {}
for engine in ("sparql", "pyshacl"):
    cpu, wall = time.process_time(), time.perf_counter()
    reports = validate_store(store, graphs, engine=engine, workers=1)
    out[engine] = {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall,
                   "findings": [[f.__dict__ for f in r.findings] for r in reports]}
out["identical"] = out["sparql"]["findings"] == out["pyshacl"]["findings"]
out["findings"] = sum(map(len, out["sparql"].pop("findings")))
out["pyshacl"].pop("findings")
print(json.dumps(out))
"""


def compiled(location: str) -> dict:
    """``kg validate`` with the compiled engine, whole, in a subprocess; its wall time
    and its CPU time (on a shared machine the wall time waits for other jobs' turns)."""
    v = validate_measured(location)
    s = v["summary"]
    return {"seconds": round(v["seconds"], 2), "cpu_s": round(v["cpu_s"], 2),
            "engine_seconds": s["seconds"],
            "documents": s["graphs"], "findings": v["findings"],
            "by_shape": s["by_shape"], "fallbacks": s["fallbacks"],
            "peak_tree_mb": v["peak_tree_mb"], "peak_tree_pss_mb": v["peak_tree_pss_mb"],
            "load_before": v["load_before"], "load_after": v["load_after"]}


def on_server(folder: Path, work: Path) -> dict:
    """The compiled engine on an Oxigraph server serving a copy of the store."""
    import psutil

    from tests.servers import oxigraph_server
    served = work / "oxigraph"
    shutil.rmtree(served, ignore_errors=True)
    shutil.copytree(folder, served / "data", ignore=shutil.ignore_patterns("kg-*"))
    with oxigraph_server(served, timeout_s=600) as url:
        server = max((p for p in psutil.process_iter(["cmdline"])
                      if p.info["cmdline"] and str(served) in " ".join(p.info["cmdline"])),
                     key=lambda p: p.pid)
        os.environ["KG_REMOTE_TIMEOUT"] = "600"
        out = compiled(url)
        out["server_rss_mb_after"] = round(server.memory_info().rss / 1e6)
    return out


def sample_run(location: str, n: int, k: int) -> dict:
    from kg.store import open_store
    from kg.validate import document_graphs
    store = open_store(location, read_only=True)
    graphs = sorted(random.Random(1).sample(document_graphs(store), k))
    del store
    m = run_measured([sys.executable, "-c", SAMPLE_CHILD, location, json.dumps(graphs)])
    if m["returncode"] != 0:
        raise RuntimeError(m["stderr"][-2000:])
    r = json.loads(m["stdout"])
    per_doc = r["pyshacl"]["cpu_s"] / k
    return {"documents": k, "seed": 1, "identical_findings": r["identical"],
            "findings": r["findings"], "peak_tree_mb": round(m["peak_tree_mb"]),
            "pyshacl": {k2: round(v, 2) for k2, v in r["pyshacl"].items()},
            "sparql": {k2: round(v, 2) for k2, v in r["sparql"].items()},
            "pyshacl_cpu_s_per_document": round(per_doc, 2),
            "pyshacl_all_documents_cpu_s_extrapolated": round(per_doc * n),
            "extrapolation": f"pySHACL was run on {k} of {n} documents (random sample, seed 1); "
                             f"its time for all {n} is the sample's CPU time per document x {n}"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--workdir", help="keep the corpus and store here (default: a temp dir)")
    ap.add_argument("--out", help="default: benchmarks/validate-DOCS.json")
    ap.add_argument("--store", help="an existing store of --docs documents (not rebuilt)")
    a = ap.parse_args()
    work = Path(a.workdir or tempfile.mkdtemp(prefix="kg-validate-"))
    corpus, folder = work / "corpus", Path(a.store or work / "store")
    if a.store:
        built = {"reused": "an existing store, given with --store (not rebuilt)"}
    elif not folder.exists():
        generate(a.docs, corpus, seed=1)
        built = build(corpus, str(folder), a.docs)
    else:
        built = {"reused": "the store of an earlier run with the same --workdir (not rebuilt)"}
    started = time.perf_counter()
    embedded = compiled(str(folder))
    server = on_server(folder, work)
    sample = sample_run(str(folder), a.docs, a.sample)
    pyshacl_all = sample["pyshacl_all_documents_cpu_s_extrapolated"]
    result = {
        "machine": f"{os.cpu_count()} cores (load average when the compiled engine started "
                   f"{embedded['load_before']}; each step's load before and after is below)",
        "command": f"python benchmarks/validate.py --docs {a.docs} --sample {a.sample}",
        "documents": a.docs, "build": built,
        "compiled_embedded": embedded, "compiled_oxigraph_server": server,
        "sample": sample,
        "ratio_pyshacl_over_compiled_embedded": round(pyshacl_all / embedded["seconds"], 1),
        "ratio_pyshacl_over_compiled_oxigraph": round(pyshacl_all / server["seconds"], 1),
        "ratio_cpu_pyshacl_over_compiled_embedded": round(pyshacl_all / embedded["cpu_s"], 1),
        "ratio_note": "pySHACL's extrapolated CPU seconds for all documents over the compiled "
                      "engine's wall seconds for all documents (kg validate, whole process); "
                      "ratio_cpu: over its CPU seconds (the client's only, for the server)",
        "projection_10000": {
            "compiled_embedded_s": round(embedded["seconds"] * 10000 / a.docs),
            "compiled_embedded_cpu_s": round(embedded["cpu_s"] * 10000 / a.docs),
            "pyshacl_cpu_s": round(sample["pyshacl_cpu_s_per_document"] * 10000),
            "note": "a projection, linear in the number of documents, from the figures "
                    f"at {a.docs}; 10,000 documents were not built for this benchmark"},
        "seconds_measuring": round(time.perf_counter() - started),
    }
    out = Path(a.out or ROOT / "benchmarks" / f"validate-{a.docs}.json")
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "build"}, ensure_ascii=False,
                     indent=1))


if __name__ == "__main__":
    main()
