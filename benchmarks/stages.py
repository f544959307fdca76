"""Where a build's time goes, stage by stage, in one process (no pool): read, layout,
extract, map, de-duplicate, serialise N-Quads, pickle the result for the main
process, and (optionally) the store's bulk write.

    python benchmarks/stages.py CORPUS_DIR [--limit N] [--store]
"""
from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyoxigraph import RdfFormat, serialize  # noqa: E402

from kg import iris  # noqa: E402
from kg.extract.disclosure import extract  # noqa: E402
from kg.map.document import doc_id, map_disclosure  # noqa: E402
from kg.pipeline import Prepared, _no_cyclic_gc, expand  # noqa: E402
from kg.read.layout import parse_layout  # noqa: E402
from kg.read.text import read_source  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--store", action="store_true", help="also time the bulk write")
    a = ap.parse_args()
    paths = expand([a.corpus])
    if a.limit:
        paths = paths[:a.limit]
    base = iris.base(None)
    t = defaultdict(float)
    blobs = []
    quads_total = 0
    t0 = time.process_time()
    for p in paths:
        with _no_cyclic_gc():
            s = time.process_time()
            src = read_source(p)
            s1 = time.process_time()
            t["read"] += s1 - s
            layout = parse_layout(src.text, src.file)
            s2 = time.process_time()
            t["layout"] += s2 - s1
            d = extract(src, layout)
            s3 = time.process_time()
            t["extract"] += s3 - s2
            graph, quads = map_disclosure(d, base)
            s4 = time.process_time()
            t["map"] += s4 - s3
            unique = list(dict.fromkeys(quads))
            s5 = time.process_time()
            t["dedup"] += s5 - s4
            data = serialize(unique, format=RdfFormat.N_QUADS)
            s6 = time.process_time()
            t["serialise"] += s6 - s5
            prep = Prepared(str(p), graph, doc_id(d), Path(d.file).name, d.sha256, data,
                            len(unique), len(d.warnings))
            b = pickle.dumps(prep, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.loads(b)
            s7 = time.process_time()
            t["pickle"] += s7 - s6
            quads_total += len(unique)
            blobs.append(data)
    total = time.process_time() - t0
    if a.store:
        from pyoxigraph import Store
        with tempfile.TemporaryDirectory() as tmp:
            st = Store(tmp)
            s = time.process_time()
            for i in range(0, len(blobs), 50):
                st.bulk_load(b"".join(blobs[i:i + 50]), format=RdfFormat.N_QUADS)
            st.flush()
            t["store (bulk_load)"] = time.process_time() - s
    n = len(paths)
    print(f"{n} documents, {quads_total:,} quads; read→pickle {total:.2f} s CPU = "
          f"{n / total:.1f} documents per CPU-second")
    for k, v in t.items():
        print(f"  {k:18s} {v:7.2f} s  {v / n * 1000:7.1f} ms/doc  {v / total * 100:5.1f} %")


if __name__ == "__main__":
    main()
