"""The layout-variant sweep: many seeds of tests/support/variants.py on every sample,
as Tika text, and every few as .docx and HTML.  Counts the variants that give their
sample's records (same projects, amounts, plans, goals, indicator rows, citations;
spans on the variant's own locations; coverage ≥ 0.99) and lists any that do not.
Writes benchmarks/variants.json.

    python benchmarks/variants.py [--count 40] [--seed 2026] [--every 5]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.disclosure import extract  # noqa: E402
from kg.pipeline import extract_file  # noqa: E402
from kg.read.document import layout_of  # noqa: E402
from tests.support.answers import answers, purposes_kept, span_problems  # noqa: E402
from tests.support.variants import to_tika, variant, variant_specs  # noqa: E402
from tests.support.writers import to_docx, to_html  # noqa: E402

MIN_COVERAGE = 0.99


def check(base, data: bytes, name: str) -> tuple[bool, float, str]:
    source, layout = layout_of(data, name)
    d = extract(source, layout)
    coverage = d.placed_lines / d.content_lines if d.content_lines else 1.0
    problems = []
    if answers(d) != answers(base):
        problems.append("records differ")
    if not purposes_kept(base, d):
        problems.append("purpose lost")
    if span_problems(d, layout.lines):
        problems.append("spans off")
    if coverage < MIN_COVERAGE:
        problems.append(f"coverage {coverage:.4f}")
    return not problems, coverage, ", ".join(problems)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=40, help="variants per sample")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--every", type=int, default=5, help="also as .docx and HTML every N-th")
    args = ap.parse_args()
    started = time.perf_counter()
    result = {"count_per_sample": args.count, "seed": args.seed, "min_coverage": MIN_COVERAGE,
              "samples": {}, "transforms_used": Counter(), "failures": []}
    for path in sorted((ROOT / "data").glob("*.txt")):
        prefix = path.name[:3]
        base = extract_file(path)
        text = path.read_text(encoding="utf-8")
        row = {"checked": 0, "same_records": 0, "lowest_coverage": 1.0, "by_format": Counter()}
        for k, (names, tight, seed) in enumerate(variant_specs(args.count, args.seed)):
            doc = variant(text, names, seed)
            result["transforms_used"].update(names + (["tight_titles"] if tight else []))
            forms = [("text", to_tika(doc, tight_titles=tight).encode())]
            if k % args.every == 0:
                forms += [("docx", to_docx(doc)), ("html", to_html(doc).encode())]
            for kind, data in forms:
                ok, coverage, why = check(base, data, f"{prefix}-{k}.{kind}")
                row["checked"] += 1
                row["same_records"] += ok
                row["by_format"][kind] += 1
                row["lowest_coverage"] = round(min(row["lowest_coverage"], coverage), 4)
                if not ok:
                    result["failures"].append({"sample": prefix, "variant": k, "format": kind,
                                               "transforms": names, "tight_titles": tight,
                                               "seed": seed, "problem": why})
        print(f"{prefix}: {row['same_records']}/{row['checked']} variants give the sample's "
              f"records; lowest coverage {row['lowest_coverage']}")
        result["samples"][prefix] = row
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["machine"] = {"cores": os.cpu_count(), "load_average_1min": os.getloadavg()[0],
                         "note": "shared machine: other engineers' jobs ran meanwhile"}
    out = ROOT / "benchmarks" / "variants.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(result['failures'])} failures; {result['seconds']} s; wrote "
          f"{out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
