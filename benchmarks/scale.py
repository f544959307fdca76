"""The cost of scale: at each corpus size (1,000 and 10,000 documents by default),
build time and documents/s, peak memory of the build's process tree, store size on
disk, validation time, and p50/p95 of every named query, on the embedded store and
on the SPARQL servers, side by side in one run.

    python benchmarks/scale.py --docs 1000 10000 [--stores embedded,oxigraph,virtuoso]
                               [--runs 5] [--query-timeout 120] [--no-validate]
                               [--out scale.json] [--workdir DIR]

* The corpus comes from tests/support/corpus.py (the first N documents are the same for
  every larger N).
* The build is the real CLI, ``kg build CORPUS --store STORE``, in a subprocess;
  wall time, and peak memory as the largest sum of the resident sets of the build
  process and its workers (psutil, sampled every 0.1 s; pages shared after fork are
  counted once per process, so this errs high).
* Store size: the bytes of the store folder's files after the build (embedded only).
* Validation is the main job's step after the build (Makefile ``run``): ``kg validate
  --store STORE --load``, the compiled engine over every document, its reports written
  into the store; wall time, CPU time, peak memory of its process tree, and where its
  time goes (the command's own phases).  ``--pyshacl-sample K`` also validates K
  documents spread over the corpus with pySHACL (the reference, seconds per document)
  and projects its time for the whole store.  The reports' write makes a new version of
  the store, so the report snapshots are computed again after it, as ``kg serve`` does
  when it starts, and timed.
* Queries: every named query (queries/), parameters as in benchmarks/queries.py
  (the corpus's most cited directive, the issuer prefix 保财); each in its own
  process, one warm-up run then ``--runs`` runs, results consumed fully; a query that
  has not finished within ``--query-timeout`` seconds (warm-up included) is stopped
  and reported as such.  A warm-up slower than ``--slow`` seconds gets one timed run.
* Servers (``oxigraph``, ``virtuoso``) are started on loopback by ``tests/servers.py``
  and built into with ``kg build --store URL`` (remote store support).  Where that
  support is missing (this branch before the merge), the server columns say
  "not available" and no figure is made up.

The table is printed as Markdown and written, with every figure, to ``--out``.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.queries import corpus_values  # noqa: E402

KG = [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())"]
STORES = ("embedded", "oxigraph", "virtuoso")


def loadavg() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


# --- build -----------------------------------------------------------------------

def run_measured(cmd: list[str], **kw) -> dict:
    """Run ``cmd``; wall time, the peak summed RSS and PSS of its process tree (PSS
    shares a page among the processes that map it: workers forked from one server
    share its libraries), and the CPU time of every process seen in the tree (each
    one's own, sampled every 0.1 s: workers reaped by a fork server never reach this
    process's ``RUSAGE_CHILDREN``)."""
    import psutil
    out_file, err_file = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # not pipes:
    started = time.perf_counter()  # a full pipe would stall the child while we sample
    proc = subprocess.Popen(cmd, stdout=out_file, stderr=err_file, cwd=ROOT, **kw)
    peak = peak_main = peak_pss = 0
    cpu: dict[int, float] = {}
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [ps] + ps.children(recursive=True)
            rss = pss = 0
            for p in tree:
                with contextlib.suppress(psutil.Error):
                    info = p.memory_full_info()
                    rss += info.rss
                    pss += info.pss
                    if p.pid == proc.pid:
                        peak_main = max(peak_main, info.rss)
                    t = p.cpu_times()
                    cpu[p.pid] = max(cpu.get(p.pid, 0.0), t.user + t.system)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    out_file.seek(0), err_file.seek(0)
    out, err = out_file.read(), err_file.read()
    out_file.close(), err_file.close()
    return {"seconds": seconds, "returncode": proc.returncode,
            "peak_tree_mb": peak / 1e6, "peak_main_mb": peak_main / 1e6,
            "peak_tree_pss_mb": peak_pss / 1e6, "tree_cpu_s": sum(cpu.values()),
            "stdout": out.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace")}


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def build(corpus: Path, location: str, n: int) -> dict:
    load = loadavg()
    m = run_measured(KG + ["build", str(corpus), "--store", location, "--json"])
    if m["returncode"] != 0:
        raise RuntimeError(f"kg build failed ({m['returncode']}): {m['stderr'][-2000:]}")
    report = json.loads(m["stdout"])
    out = {"seconds": round(m["seconds"], 1), "docs_per_s": round(n / m["seconds"], 2),
           "loaded": report["loaded"], "failed": report["failed"], "triples": report["triples"],
           "peak_tree_mb": round(m["peak_tree_mb"]), "peak_main_mb": round(m["peak_main_mb"]),
           "load_before": load, "load_after": loadavg(),
           # part of seconds: the whole-graph reports computed for the new version
           "snapshots_s": round(sum(x["seconds"] for x in report.get("snapshots", [])), 1),
           "snapshots": {x["query"]: x["seconds"] for x in report.get("snapshots", [])},
           "phases_s": report.get("phases", {})}
    if not location.startswith("http"):
        out["store_mb"] = round(folder_bytes(Path(location)) / 1e6)
    return out


# --- validation ------------------------------------------------------------------

PYSHACL_CHILD = """
import json, statistics, sys, time
from kg.store import open_store
from kg.validate import document_graphs, graph_to_rdflib, load_ontology, load_shapes, validate_graph
store = open_store(sys.argv[1], read_only=True)
k = int(sys.argv[2])
graphs = document_graphs(store)
sample = graphs[::max(1, len(graphs) // k)][:k]
shapes, onto = load_shapes(), load_ontology()
times = []
for g in sample:
    t = time.perf_counter()
    validate_graph(graph_to_rdflib(store, g), shapes, onto, g)
    times.append(time.perf_counter() - t)
print(json.dumps({"graphs": len(graphs), "validated": len(times),
                  "median_s": statistics.median(times), "max_s": max(times), "sum_s": sum(times)}))
"""


def children_cpu_s() -> float:
    """CPU seconds (user + system) of this process's finished children so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def validate_measured(location: str, *options: str) -> dict:
    """``kg validate --store LOCATION OPTIONS --format json -q`` in a subprocess: its
    wall and CPU time, the peak memory of its process tree, and its summary."""
    load, cpu = loadavg(), children_cpu_s()
    m = run_measured(KG + ["validate", "--store", location, *options, "--format", "json",
                           "-q"])
    # the exact figure of the process and what it reaped, or the sampled tree's
    cpu = max(children_cpu_s() - cpu, m["tree_cpu_s"])
    if m["returncode"] not in (0, 1):  # 1: findings
        raise RuntimeError(f"kg validate failed ({m['returncode']}): {m['stderr'][-2000:]}")
    s = json.loads(m["stdout"])["summary"]
    return {"seconds": m["seconds"], "cpu_s": cpu, "peak_tree_mb": round(m["peak_tree_mb"]),
            "peak_tree_pss_mb": round(m["peak_tree_pss_mb"]),
            "summary": s, "findings": s["violations"] + s["warnings"] + s["infos"],
            "load_before": load, "load_after": loadavg()}


def validate(location: str) -> dict:
    """``kg validate --load`` over every document, as the main job runs it after a
    first build."""
    # --all: every document, also where a store reused from an earlier run holds reports
    v = validate_measured(location, "--load", "--all")
    s = v["summary"]
    return {"seconds": round(v["seconds"], 1), "cpu_s": round(v["cpu_s"], 1),
            "peak_tree_mb": v["peak_tree_mb"], "peak_tree_pss_mb": v["peak_tree_pss_mb"],
            "documents": s["graphs"],
            "validated": s["validated"], "findings": v["findings"],
            "engine": s["engine"], "phases_s": s.get("phases", {}),
            "fallbacks": [f["shape"] for f in s["fallbacks"]],
            "load_before": v["load_before"], "load_after": v["load_after"]}


SNAPSHOTS_CHILD = """
import json, sys
from kg.results import materialise_reports
from kg.store import open_store
print(json.dumps(dict(materialise_reports(open_store(sys.argv[1])))))
"""


def snapshots(location: str) -> dict:
    """The report snapshots for the store's version after ``kg validate --load`` wrote
    it: what ``kg serve`` computes when it starts (so the queries below are timed as
    served)."""
    m = run_measured([sys.executable, "-c", SNAPSHOTS_CHILD, location])
    if m["returncode"] != 0:
        raise RuntimeError(f"snapshots failed: {m['stderr'][-2000:]}")
    return {"seconds": round(m["seconds"], 1),
            "queries": json.loads(m["stdout"].strip().splitlines()[-1])}


def pyshacl_sample(location: str, sample: int) -> dict:
    done = subprocess.run([sys.executable, "-c", PYSHACL_CHILD, location, str(sample)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    v = json.loads(done.stdout.strip().splitlines()[-1])
    v["projected_whole_s"] = v["sum_s"] / v["validated"] * v["graphs"]
    return {k: round(x, 2) if isinstance(x, float) else x for k, x in v.items()}


# --- queries ---------------------------------------------------------------------

QUERY_CHILD = """
import json, sys, time
from kg.results import run
from kg.store import open_store
location, name, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
runs, slow = int(sys.argv[4]), float(sys.argv[5])
store = open_store(location, read_only=True)
def once():
    t = time.perf_counter()
    n = sum(1 for _ in run(store, name, params))
    return time.perf_counter() - t, n
first, rows = once()
times = sorted(once()[0] for _ in range(runs if first < slow else 1))
p95 = times[min(len(times) - 1, int(round(len(times) * 0.95)) - 1)]
print(json.dumps({"p50_ms": times[len(times) // 2] * 1000, "p95_ms": p95 * 1000, "rows": rows,
                  "runs": len(times), "warmup_ms": first * 1000}))
"""


def time_queries(location: str, values: dict, runs: int, timeout: float, slow: float) -> dict:
    from benchmarks.queries import cases
    out = {}
    for name, query, params in cases(values):
        try:
            done = subprocess.run([sys.executable, "-c", QUERY_CHILD, location, query,
                                   json.dumps(params, ensure_ascii=False), str(runs), str(slow)],
                                  capture_output=True, text=True, cwd=ROOT, timeout=timeout)
        except subprocess.TimeoutExpired:
            out[name] = {"timeout_s": timeout}
            print(f"    {name:28s} over {timeout:.0f} s (stopped)", flush=True)
            continue
        if done.returncode != 0:
            out[name] = {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "?"}
            print(f"    {name:28s} error: {out[name]['error']}", flush=True)
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        out[name] = {k: round(v, 1) if isinstance(v, float) else v for k, v in r.items()}
        print(f"    {name:28s} p50 {r['p50_ms']:9.1f} ms  p95 {r['p95_ms']:9.1f} ms  "
              f"{r['rows']:7d} rows ({r['runs']} runs)", flush=True)
    return out


# --- servers ---------------------------------------------------------------------

class NotAvailable(Exception):
    """A store kind this checkout cannot run (the reason says why)."""


@contextlib.contextmanager
def server(kind: str, folder: Path):
    """The query URL of a fresh ``kind`` server (tests/servers.py), or NotAvailable."""
    try:
        from kg.store import is_remote  # noqa: F401  (remote store support is merged)
        from tests.servers import SERVERS, ServerUnavailable
    except ImportError as e:
        raise NotAvailable(f"remote stores are not available on this branch ({e})") from None
    try:
        cm = SERVERS[kind](folder)
        url = cm.__enter__()
    except ServerUnavailable as e:
        raise NotAvailable(str(e)) from None
    try:
        yield url
    finally:
        cm.__exit__(None, None, None)


# --- the run ---------------------------------------------------------------------

def measure_size(n: int, stores: list[str], work: Path, a) -> dict:
    from tests.support.corpus import generate
    corpus = work / f"corpus-{n}"
    t = time.perf_counter()
    if not (corpus / "corpus.json").exists():
        generate(n, corpus)
    print(f"\n== {n} documents (corpus generated in {time.perf_counter() - t:.0f} s; "
          f"load average {loadavg()})", flush=True)
    values = corpus_values(corpus)
    result: dict = {"docs": n, "parameters": values, "stores": {}}
    for kind in stores:
        print(f"  -- {kind}", flush=True)
        r: dict = {}
        result["stores"][kind] = r
        try:
            with contextlib.ExitStack() as stack:
                kept = work / f"build-{n}.json"  # an embedded build's figures, for --reuse
                reused = False
                if kind == "embedded":
                    location = str(work / f"store-{n}")
                    reused = a.reuse and kept.exists() and Path(location).exists()
                    if not reused:
                        shutil.rmtree(location, ignore_errors=True)  # a fresh build
                else:
                    location = stack.enter_context(server(kind, work / f"{kind}-{n}"))
                if reused:
                    r["build"] = json.loads(kept.read_text()) | {"reused": True}
                else:
                    r["build"] = build(corpus, location, n)
                    if kind == "embedded":
                        kept.write_text(json.dumps(r["build"]))
                b = r["build"]
                print(f"    build {b['seconds']} s = {b['docs_per_s']} documents/s, "
                      f"{b['triples']:,} triples, peak {b['peak_tree_mb']} MB (tree), "
                      f"store {b.get('store_mb', '?')} MB; load {b['load_before']} -> "
                      f"{b['load_after']}", flush=True)
                if kind == "embedded" and a.validate:
                    r["validation"] = v = validate(location)
                    print(f"    validation {v['seconds']} s wall, {v['cpu_s']} s CPU, "
                          f"{v['findings']:,} findings, peak {v['peak_tree_mb']} MB, "
                          f"phases {v['phases_s']}", flush=True)
                    r["snapshots_after_validation"] = snapshots(location)
                    print(f"    snapshots again (as kg serve starts) "
                          f"{r['snapshots_after_validation']['seconds']} s", flush=True)
                if kind == "embedded" and a.pyshacl_sample:
                    r["pyshacl_sample"] = pyshacl_sample(location, a.pyshacl_sample)
                    print(f"    pySHACL sample {r['pyshacl_sample']}", flush=True)
                r["queries"] = time_queries(location, values, a.runs, a.query_timeout, a.slow)
        except NotAvailable as e:
            r["not_available"] = str(e)
            print(f"    not available: {e}", flush=True)
        r["load_after"] = loadavg()
    return result


def fmt_q(q: dict | None) -> str:
    if not q:
        return "n/a"
    if "timeout_s" in q:
        return f"> {q['timeout_s']:.0f} s"
    if "error" in q:
        return "error"
    one = " (1 run)" if q.get("runs") == 1 else ""
    return f"{_ms(q['p50_ms'])} / {_ms(q['p95_ms'])}{one}"


def _ms(ms: float) -> str:
    return f"{ms / 1000:.1f} s" if ms >= 10_000 else f"{ms:.0f} ms" if ms >= 100 else f"{ms:.1f} ms"


def markdown(results: list[dict], stores: list[str]) -> str:
    sizes = [r["docs"] for r in results]
    head = "| | " + " | ".join(f"{n:,} documents" for n in sizes) + " |"
    lines = [head, "|---|" + "---|" * len(sizes)]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    for kind in stores:
        stores_at = [r["stores"].get(kind, {}) for r in results]
        if all("not_available" in s for s in stores_at):
            row(f"**{kind}**", [f"not available: {stores_at[0]['not_available']}"] * len(sizes))
            continue
        b = [s.get("build", {}) for s in stores_at]
        row(f"**{kind}** build", [f"{x['seconds']:.0f} s = {x['docs_per_s']:.1f} documents/s "
                                  f"({x['triples'] / 1e6:.1f} M triples)"
                                  + (" (an earlier run's build, reused)" if x.get("reused") else "")
                                  if x else "n/a" for x in b])
        row(f"{kind} peak memory (build process tree)",
            [f"{x['peak_tree_mb']:,} MB (main {x['peak_main_mb']:,} MB)" if x else "n/a"
             for x in b])
        if any("store_mb" in x for x in b):
            row(f"{kind} store on disk",
                [f"{x['store_mb'] / 1000:.1f} GB" if x else "n/a" for x in b])
        row(f"{kind} load average during build",
            [f"{x['load_before'].split()[0]} → {x['load_after'].split()[0]} (1 min)" if x else "n/a"
             for x in b])
        v = [s.get("validation") for s in stores_at]
        if any(v):
            row(f"{kind} validation (`kg validate --load`, {v[0]['engine'] if v[0] else ''})",
                [f"{x['seconds']:.0f} s wall, {x['cpu_s']:.0f} s CPU, peak {x['peak_tree_mb']:,} MB"
                 f" ({x['findings']:,} findings)" if x else "n/a" for x in v])
        a = [s.get("snapshots_after_validation") for s in stores_at]
        if any(a):
            row(f"{kind} report snapshots again after the reports' write (as `kg serve` starts)",
                [f"{x['seconds']:.0f} s" if x else "n/a" for x in a])
        p = [s.get("pyshacl_sample") for s in stores_at]
        if any(p):
            row(f"{kind} validation (pySHACL sample)",
                [f"median {x['median_s']:.1f} s/document ({x['validated']} of {x['graphs']}), "
                 f"whole store ≈ {x['projected_whole_s'] / 3600:.1f} h projected"
                 if x else "n/a" for x in p])
    names = sorted({q for r in results for s in r["stores"].values() for q in s.get("queries", {})})
    if names:
        lines += ["", "p50 / p95 per named query:", ""]
        cols = [(n, k) for n in sizes for k in stores]
        lines.append("| query | " + " | ".join(f"{k} {n:,}" for n, k in cols) + " |")
        lines.append("|---|" + "---|" * len(cols))
        by = {(r["docs"], k): r["stores"].get(k, {}) for r in results for k in stores}
        for q in names:
            lines.append(f"| `{q}` | " + " | ".join(
                fmt_q(by[c].get("queries", {}).get(q)) if "not_available" not in by[c] else "n/a"
                for c in cols) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--stores", default="embedded,oxigraph,virtuoso")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--query-timeout", type=float, default=120.0)
    ap.add_argument("--slow", type=float, default=5.0,
                    help="a query whose warm-up takes longer is timed once")
    ap.add_argument("--no-validate", dest="validate", action="store_false",
                    help="leave out `kg validate --load` after the build")
    ap.add_argument("--pyshacl-sample", type=int, default=0, metavar="K",
                    help="also validate K documents with pySHACL and project the whole store")
    ap.add_argument("--reuse", action="store_true",
                    help="an embedded store built by an earlier run in --workdir is not built "
                         "again: its build figures are that run's (the JSON says reused)")
    ap.add_argument("--out", type=Path, default=Path("scale.json"))
    ap.add_argument("--workdir", type=Path, help="keep corpora and stores here (default: a "
                    "temporary folder, removed at the end)")
    a = ap.parse_args()
    stores = [s.strip() for s in a.stores.split(",") if s.strip()]
    bad = [s for s in stores if s not in STORES]
    if bad:
        ap.error(f"unknown store kind {bad}; choose from {', '.join(STORES)}")
    with contextlib.ExitStack() as stack:
        work = a.workdir or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        work.mkdir(parents=True, exist_ok=True)
        info = {"cpus": os.cpu_count(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                "load_at_start": loadavg(), "stores": stores}
        results = []
        for n in a.docs:
            results.append(measure_size(n, stores, work, a))
            table = markdown(results, stores)
            a.out.write_text(json.dumps({"machine": info, "results": results, "table": table},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n" + table)
    print(f"\n(written to {a.out}; load average at the end {loadavg()})")


if __name__ == "__main__":
    main()
