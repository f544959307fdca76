"""Reader throughput: MB/s and documents/s on the samples, and on a corpus of the
samples concatenated 100× (one 26 MB document: shows whether the reader stays
linear).  Single-threaded, through the library verb ``extract_file``.

    python benchmarks/extract.py [--repeat N] [--times 100]
"""
from __future__ import annotations

import argparse
import statistics
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
    args = ap.parse_args()
    files = sorted((ROOT / "data").glob("*.txt"))
    size = sum(f.stat().st_size for f in files)
    t = timed(lambda: [extract_file(f) for f in files], args.repeat)
    print(f"samples: {len(files)} documents, {size / 1e6:.3f} MB: {t * 1000:.0f} ms "
          f"(median of {args.repeat}) = {size / 1e6 / t:.2f} MB/s, {len(files) / t:.1f} documents/s")

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "corpus.txt"
        big.write_bytes(b"\n".join(f.read_bytes() for f in files) * args.times)
        mb = big.stat().st_size / 1e6
        t = timed(lambda: extract_file(big), max(1, args.repeat // 2))
        s = extract_file(big).summary()
        print(f"{args.times}x concatenated: 1 document, {mb:.1f} MB: {t:.2f} s = {mb / t:.2f} MB/s; "
              f"{s['tables']} tables, {s['indicator_rows']} indicator rows")
        tracemalloc.start()
        extract_file(big)
        peak = tracemalloc.get_traced_memory()[1]
        print(f"peak Python memory reading it: {peak / 1e6:.0f} MB ({peak / 1e6 / mb:.0f}x its size)")


if __name__ == "__main__":
    main()
