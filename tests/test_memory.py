"""kg/memory.py with pyoxigraph's own engine: the hash tables of large queries,
freed when they end, go back to the system when released (glibc keeps them
otherwise).  Measured in a process of its own, the queries run in a thread as the
validation's are."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kg import memory

MEASURE = r"""
import json, threading
from pyoxigraph import Literal, NamedNode, Quad, Store
from kg import memory

def anonymous_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024

store = Store()
p, q = NamedNode("urn:p"), NamedNode("urn:q")
store.extend(Quad(NamedNode(f"urn:s{i}"), pred, Literal(i), NamedNode(f"urn:g{i % 50}"))
             for pred in (p, q) for i in range(200_000))
# a hash join of 200,000 rows with 200,000 and a MINUS of as many: hash tables
# freed when the answer has been read
join = ("SELECT DISTINCT ?g ?s WHERE { "
        "{ SELECT ?g ?s ?a WHERE { GRAPH ?g { ?s <urn:p> ?a } } } "
        "{ SELECT ?g ?s ?b WHERE { GRAPH ?g { ?s <urn:q> ?b } } } FILTER(?a != ?b) }")
minus = "SELECT ?g ?s WHERE { GRAPH ?g { ?s <urn:p> ?a } MINUS { GRAPH ?g { ?s <urn:q> ?b } } }"
memory.release()
out = {"before": anonymous_mb()}

def run():
    out["rows"] = sum(1 for _ in store.query(join)) + sum(1 for _ in store.query(minus))
    out["after_queries"] = anonymous_mb()
    memory.release()
    out["after_release"] = anonymous_mb()

thread = threading.Thread(target=run)
thread.start()
thread.join()
print(json.dumps(out))
"""


def test_a_large_querys_freed_memory_goes_back_to_the_system():
    if not memory.release():
        pytest.skip("this C library has no malloc_trim")
    done = subprocess.run([sys.executable, "-c", MEASURE], capture_output=True, text=True,
                          timeout=120, check=True)
    got = json.loads(done.stdout)
    assert got["rows"] == 0
    held = got["after_queries"] - got["before"]
    if held < 20:
        pytest.skip(f"the allocator gave back the queries' memory itself ({held:.0f} MB held)")
    assert got["after_release"] - got["before"] < held / 2, got
