"""kg/memory.py with pyoxigraph's own engine: the hash tables of large queries,
freed when they end, go back to the system when released (glibc keeps them otherwise)."""
from __future__ import annotations

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg import memory


def anonymous_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    pytest.skip("no /proc/self/status")


def test_a_large_querys_freed_memory_goes_back_to_the_system():
    if not memory.release():
        pytest.skip("this C library has no malloc_trim")
    store = Store()
    p, q = NamedNode("urn:p"), NamedNode("urn:q")
    store.extend(Quad(NamedNode(f"urn:s{i}"), pred, Literal(i), NamedNode(f"urn:g{i % 50}"))
                 for pred in (p, q) for i in range(200_000))
    memory.release()
    before = anonymous_mb()
    # a hash join of 200,000 rows with 200,000 and a MINUS of as many: hash tables
    # freed when the answer has been read
    join = ("SELECT DISTINCT ?g ?s WHERE { "
            "{ SELECT ?g ?s ?a WHERE { GRAPH ?g { ?s <urn:p> ?a } } } "
            "{ SELECT ?g ?s ?b WHERE { GRAPH ?g { ?s <urn:q> ?b } } } FILTER(?a != ?b) }")
    minus = "SELECT ?g ?s WHERE { GRAPH ?g { ?s <urn:p> ?a } MINUS { GRAPH ?g { ?s <urn:q> ?b } } }"
    assert sum(1 for _ in store.query(join)) == 0
    assert sum(1 for _ in store.query(minus)) == 0
    held = anonymous_mb() - before
    assert held > 20, f"the queries left only {held:.0f} MB held: nothing to release"
    memory.release()
    assert anonymous_mb() - before < held / 2
