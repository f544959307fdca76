"""docs/performance.md, built from the measurements in benchmarks/*.json (each
written by its own script here), so the figures in the documentation are the
measured ones.  A test checks the page is up to date.

    python benchmarks/report.py
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "docs" / "performance.md"
SOURCES = {"queries": "benchmarks/queries.py", "scale": "benchmarks/scale.py",
           "rebuild": "benchmarks/rebuild.py", "validate": "benchmarks/validate.py",
           "validate_profile": "benchmarks/validate_profile.py",
           "validate_costs": "benchmarks/validate_costs.py",
           "validate_virtuoso": "benchmarks/validate_virtuoso.py"}


def _table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join("" if v is None else str(v).replace("|", "\\|") for v in r)
              + " |" for r in rows]
    return "\n".join(lines)


def _queries(d: dict) -> str:
    store = _table(["query", "parameters", "p50 ms", "p95 ms", "rows"],
                   [[q["query"], " ".join(f"{k}={v}" for k, v in q.get("params", {}).items()),
                     q.get("p50_ms"), q.get("p95_ms"), q.get("rows")] for q in d.get("store", [])])
    sampled = _table(["query", "values sampled", "of", "served p95 ms", "live p95 ms", "rows max"],
                     [[q["query"], q.get("values"), q.get("of"), q.get("served_p95_ms"),
                       q.get("live_p95_ms"), q.get("rows_max")] for q in d.get("sampled", [])])
    return (f"Every named query on the store:\n\n{store}\n\nParametrised queries over random "
            f"values:\n\n{sampled}")


def _scale(d: dict) -> str:
    m = d.get("machine", {})
    return (f"{m.get('cpus')} CPUs, started {m.get('started')}, load at start "
            f"{m.get('load_at_start')}.\n\n{d.get('table', '')}")


def _rebuild(d: dict) -> str:
    return _table(["code measured", "documents", "first build s", "unchanged rebuild s (median)",
                   "runs s", "load average", "measured"],
                  [[label, r["docs"], r["first_build_s"], r["unchanged_rebuild_s"],
                    " / ".join(map(str, r["unchanged_rebuild_runs_s"])),
                    " ".join(map(str, r["load_average"])), r["measured"]] for label,
                    r in d.items()])


def _validate(d: dict) -> str:
    runs = [("compiled, embedded store", d.get("compiled_embedded") or {},
             d.get("ratio_pyshacl_over_compiled_embedded")),
            ("compiled, Oxigraph server", d.get("compiled_oxigraph_server") or {},
             d.get("ratio_pyshacl_over_compiled_oxigraph"))]
    table = _table(["engine", "wall s", "CPU s (kg's processes)", "peak MB (RSS, summed)",
                    "peak MB (PSS)", "findings", "ratio to pySHACL"],
                   [[name, r.get("seconds"), r.get("cpu_s"), r.get("peak_tree_mb"),
                     r.get("peak_tree_pss_mb", "n/a"), r.get("findings"), ratio]
                    for name, r, ratio in runs])
    sample = d.get("sample", {})
    projection = d.get("projection_10000", {})
    return (f"`{d.get('command')}`; {d.get('machine')}.\n\n{table}\n\n"
            f"pySHACL: {sample.get('pyshacl_cpu_s_per_document')} s of CPU per document on a "
            f"sample of {sample.get('documents')} (identical findings: "
            f"{sample.get('identical_findings')}).  10,000 documents, projected linearly: "
            f"{projection.get('compiled_embedded_s')} s wall, "
            f"{projection.get('compiled_embedded_cpu_s')} s CPU.\n")


def _cut(query: str, n: int = 150) -> str:
    return f"`{query[:n]}…`" if len(query) > n else f"`{query}`"


def _validate_costs(d: dict) -> str:
    copy = d.get("in_memory_copy")
    head = ["step", "what it adds", "seconds", "µs a row"]
    steps = _table(head + (["in memory: seconds", "µs a row"] if copy else []),
                   [[r["step"], r["adds"], r["s"], r["us_per_row"]]
                    + ([r["in_memory_s"], r["in_memory_us_per_row"]] if copy else [])
                    for r in d.get("steps", [])])
    peer = (f"\n\nIn memory: a copy of the {copy['quads']:,} quads the steps read, made in "
            f"{copy['s']} s ({copy['us_per_quad']} µs a quad; {copy['how']})." if copy else "")
    return (f"`{d.get('command')}`; {d.get('machine')}.  {d.get('rows'):,} rows of "
            f"`{d.get('predicate')}` (`{d.get('class')}` for the probe and the join), "
            f"best of three:\n\n{steps}{peer}")


def _validate_profile(d: dict) -> str:
    kinds = _table(["kind of query", "queries", "seconds"],
                   [[k, v["queries"], v["s"]] for k, v in d.get("by_kind", {}).items()])
    slowest = _table(["seconds", "MB added", "rows", "query"],
                     [[r["s"], r["added_mb"], r["rows"], _cut(r["query"])]
                      for r in d.get("slowest", [])[:6]])
    heaviest = _table(["MB added", "seconds", "query"],
                      [[r["added_mb"], r["s"], _cut(r["query"])]
                       for r in d.get("most_memory", [])[:6]])
    return (f"`{d.get('command')}`: {d.get('validated', d.get('documents'))} of "
            f"{d.get('documents')} documents validated, one thread: {d.get('seconds')} s, "
            f"{d.get('queries')} queries ({d.get('query_seconds')} s of them), "
            f"{d.get('findings')} findings.\n\n{kinds}\n\nSlowest:\n\n{slowest}\n\n"
            f"Most memory:\n\n{heaviest}")


def _validate_virtuoso(d: dict) -> str:
    if "same_findings" in d:  # --docs N: generated documents, compared with embedded
        differ = "" if d["same_findings"] else (
            f"  Only on embedded: {d['only_embedded']}; only on Virtuoso: {d['only_virtuoso']}.")
        return (f"`{d.get('command')}` at {d.get('code')}; {d.get('machine')}.  "
                f"{d['documents']} generated documents (the embedded store's screens joined "
                f"by hash in chunks of {d['screen_chunk']}), loaded into Virtuoso in "
                f"{d['virtuoso_load_s']} s; the "
                f"compiled engine took {d['virtuoso_s']} s there and {d['embedded_s']} s on "
                f"the embedded store.  {d['findings']:,} distinct findings, "
                f"{'the same on both' if d['same_findings'] else 'not the same'}.{differ}"
                + (f"  Then the first {d['some']} alone (their graphs named in each query): "
                   f"{d['virtuoso_some_s']} s on Virtuoso, {d['embedded_some_s']} s "
                   f"embedded, {d['findings_some']:,} findings, "
                   f"{'the same' if d['same_findings_some'] else 'not the same'}; on "
                   f"Virtuoso with the screens joined by hash (sub-SELECTs, in chunks) "
                   f"{d['virtuoso_some_tables_s']} s, findings "
                   f"{'the same' if d['same_findings_some_tables'] else 'not the same'}."
                   if "some" in d else ""))
    runs = _table(["server", "validation s", "slowest query s", "documents", "findings"],
                  [[i, r["seconds"], r["slowest_query_s"], r.get("documents"), r["findings"]]
                   for i, r in enumerate(d.get("runs", []), 1)])
    return (f"`{d.get('command')}` at {d.get('code')}; {d.get('machine')}; data/ built "
            f"into a fresh Virtuoso for each run.  Median {d.get('median_s')} s, "
            f"{d.get('min_s')} to {d.get('max_s')} s.\n\n{runs}")


def render() -> str:
    out = ["<!-- generated by `python benchmarks/report.py` from benchmarks/*.json; "
           "do not edit (tests/test_docs.py checks it) -->\n", "# Performance\n",
           "Figures measured on the project's 2-CPU development machine, often shared with "
           "other jobs (the load average is given where it was recorded).  Each section "
           "names the file and the script that wrote it; the history of these figures is "
           "in [CHANGELOG.md](../CHANGELOG.md).\n"]
    for f in sorted(HERE.glob("*.json")):
        kind = f.stem.split("-")[0]
        data = json.loads(f.read_text(encoding="utf-8"))
        body = {"queries": _queries, "scale": _scale, "rebuild": _rebuild,
                "validate": _validate, "validate_profile": _validate_profile,
                "validate_costs": _validate_costs,
                "validate_virtuoso": _validate_virtuoso}.get(kind)
        if body is None:
            continue
        out.append(f"## {f.name}\n\nWritten by `{SOURCES[kind]}`.\n\n{body(data)}\n")
    return "\n".join(out)


def main() -> None:
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
