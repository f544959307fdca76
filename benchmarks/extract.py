"""Reader throughput: MB/s and documents/s on the samples, and on a corpus of the
samples concatenated 100× (one 26 MB document: shows whether the reader stays
linear).  Single-threaded, through the library verb ``extract_file``.  Then the
same four samples as .docx and as HTML (written by tests/support/writers.py), read
in the same run: MB/s of the file itself and of the Tika text it holds, so the
three front ends compare on the same content.  Writes benchmarks/extract.json.

    python benchmarks/extract.py [--repeat N] [--times 100] [--peer CHECKOUT]

``--peer`` times the text samples with another checkout's reader (e.g. main) in the
same run, for a comparison on a shared machine.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.pipeline import extract_file  # noqa: E402


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--times", type=int, default=100)
    ap.add_argument("--peer", help="another checkout whose reader is timed on the same text")
    args = ap.parse_args()
    files = sorted((ROOT / "data").glob("*.txt"))
    size = sum(f.stat().st_size for f in files)
    t = timed(lambda: [extract_file(f) for f in files], args.repeat)
    print(f"samples: {len(files)} documents, {size / 1e6:.3f} MB: {t * 1000:.0f} ms "
          f"(median of {args.repeat}) = {size / 1e6 / t:.2f} MB/s, "
          f"{len(files) / t:.1f} documents/s")
    result = {"machine": {"cores": os.cpu_count(), "load_average_1min": os.getloadavg()[0],
                          "note": "shared machine: other engineers' jobs ran meanwhile"},
              "repeat": args.repeat, "formats": {}}
    result["formats"].update(formats(files, size, args.repeat))
    if args.peer:
        result["peer"] = peer(args.peer, files, size, args.repeat)

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "corpus.txt"
        big.write_bytes(b"\n".join(f.read_bytes() for f in files) * args.times)
        mb = big.stat().st_size / 1e6
        t = timed(lambda: extract_file(big), max(1, args.repeat // 2))
        s = extract_file(big).summary()
        print(f"{args.times}x concatenated: 1 document, {mb:.1f} MB: {t:.2f} s = {mb / t:.2f} "
              f"MB/s; {s['tables']} tables, {s['indicator_rows']} indicator rows")
        tracemalloc.start()
        extract_file(big)
        peak = tracemalloc.get_traced_memory()[1]
        print(f"peak Python memory reading it: {peak / 1e6:.0f} MB ({peak / 1e6 / mb:.0f}x its "
              f"size)")
    result["concatenated"] = {"times": args.times, "mb": round(mb, 2), "mb_per_s": round(mb / t, 2),
                              "peak_memory_mb": round(peak / 1e6)}
    out = ROOT / "benchmarks" / "extract.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


_PEER = """
import statistics, sys, time
from kg.pipeline import extract_file
files, repeat = sys.argv[1:-1], int(sys.argv[-1])
times, cpu = [], []
for _ in range(repeat):
    t, c = time.perf_counter(), time.process_time()
    for f in files:
        extract_file(f)
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
print(statistics.median(times), statistics.median(cpu))
"""


def peer(checkout: str, files: list[Path], size: int, repeat: int) -> dict:
    """The text samples read by another checkout's reader, in a child process."""
    env = dict(os.environ, PYTHONPATH=checkout,
               KG_ISSUER_REGISTRY=str(Path(checkout) / "registry" / "issuers.csv"))
    out = subprocess.run([sys.executable, "-c", _PEER, *map(str, files), str(repeat)], env=env,
                         capture_output=True, text=True, check=True, cwd=checkout)
    t, c = map(float, out.stdout.split())
    print(f" peer: {checkout}: text {size / 1e6:.3f} MB in {t * 1000:.0f} ms = "
          f"{size / 1e6 / t:.2f} MB/s; per CPU second {size / 1e6 / c:.2f} MB/s")
    return {"checkout": "peer", "seconds": round(t, 4), "mb_per_s": round(size / 1e6 / t, 2),
            "cpu_seconds": round(c, 4), "mb_per_cpu_s": round(size / 1e6 / c, 2)}


def formats(files: list[Path], text_size: int, repeat: int) -> dict:
    """The samples as Tika text, .docx and HTML, read by turns in this one run."""
    from tests.support.variants import from_text
    from tests.support.writers import to_docx, to_html
    models = [from_text(f.read_text(encoding="utf-8")) for f in files]
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        written = {"text": list(files), "docx": [], "html": []}
        for f, m in zip(files, models, strict=False):
            for kind, data in (("docx", to_docx(m)), ("html", to_html(m).encode())):
                path = Path(tmp) / f"{f.stem}.{kind}"
                path.write_bytes(data)
                written[kind].append(path)
        times = {k: [] for k in written}
        cpu = {k: [] for k in written}
        for _ in range(repeat):  # interleaved, so load on the machine hits all three alike
            for kind, paths in written.items():
                t, c = time.perf_counter(), time.process_time()
                for p in paths:
                    extract_file(p)
                times[kind].append(time.perf_counter() - t)
                cpu[kind].append(time.process_time() - c)
        for kind, paths in written.items():
            t, c = statistics.median(times[kind]), statistics.median(cpu[kind])
            own = sum(p.stat().st_size for p in paths)
            out[kind] = {"documents": len(paths), "mb": round(own / 1e6, 3), "seconds": round(t, 4),
                         "mb_per_s": round(own / 1e6 / t, 2),
                         "text_equivalent_mb_per_s": round(text_size / 1e6 / t, 2),
                         "cpu_seconds": round(c, 4),
                         "text_equivalent_mb_per_cpu_s": round(text_size / 1e6 / c, 2)}
            print(f"{kind:>5}: {own / 1e6:.3f} MB in {t * 1000:.0f} ms = {own / 1e6 / t:.2f} MB/s "
                  f"of {kind}, {text_size / 1e6 / t:.2f} MB/s of the Tika text it holds; per CPU "
                  f"second (one core, whatever else runs): {text_size / 1e6 / c:.2f} MB/s")
    return out


if __name__ == "__main__":
    main()
