"""The embedded store: pyoxigraph on disk.

One named graph per source document.  A document is replaced by a single SPARQL
Update (drop its graph, drop its catalog entry, insert both anew), which oxigraph
applies as one transaction: a failed load leaves the old version whole, never half
of each.  Queries see the union of all graphs as their default graph.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, serialize

from ..errors import KgError


class StoreError(KgError):
    """The store cannot be opened or written."""


def _insert_block(quads: Iterable[Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(
            f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())


class EmbeddedStore:
    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        try:
            if path is None:
                self.store = Store()
            elif read_only:
                self.store = Store.read_only(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self.store = Store(str(path))
        except OSError as e:
            raise StoreError(f"cannot open the store at {path}: {e}") from None
        self.path = path

    def replace_graph(self, graph: str, quads: list[Quad], catalog: str,
                      catalog_quads: list[Quad]) -> None:
        """Replace one document's graph and its catalog entry, atomically."""
        g = NamedNode(graph)
        update = (f"DROP SILENT GRAPH {g} ;\n"
                  f"DELETE WHERE {{ GRAPH <{catalog}> {{ {g} ?p ?o }} }} ;\n"
                  f"INSERT DATA {{ {_insert_block([*quads, *catalog_quads])} }}")
        self.store.update(update)

    def remove_graph(self, graph: str, catalog: str) -> None:
        g = NamedNode(graph)
        self.store.update(f"DROP SILENT GRAPH {g} ;\n"
                          f"DELETE WHERE {{ GRAPH <{catalog}> {{ {g} ?p ?o }} }}")

    def catalog_value(self, catalog: str, graph: str, prop: str) -> str | None:
        for q in self.store.quads_for_pattern(NamedNode(graph), NamedNode(prop), None,
                                              NamedNode(catalog)):
            return q.object.value
        return None

    def query(self, sparql: str, substitutions: dict | None = None):
        return self.store.query(sparql, substitutions=substitutions or None,
                                use_default_graph_as_union=True)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def quads(self, graph: str | None = None) -> list[Quad]:
        g = NamedNode(graph) if graph else None
        return list(self.store.quads_for_pattern(None, None, None, g))

    def canonical_nquads(self, graph: str | None = None) -> bytes:
        """Sorted N-Quads: byte-identical for the same content (no blank nodes)."""
        data = serialize(self.quads(graph), format=RdfFormat.N_QUADS)
        lines = sorted(set(data.splitlines(keepends=True)))
        return b"".join(lines)

    def dump(self, folder: str | Path, prefixes: dict[str, str]) -> list[Path]:
        """Write ``dump.nq`` (every graph, canonical order) and ``dump.ttl`` (their
        union as Turtle) into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        nq = folder / "dump.nq"
        nq.write_bytes(self.canonical_nquads())
        ttl = folder / "dump.ttl"
        triples = {q.triple for q in self.quads()}
        ttl.write_bytes(serialize(sorted(triples, key=str), format=RdfFormat.TURTLE,
                                  prefixes=prefixes))
        return [nq, ttl]

    def flush(self) -> None:
        if self.path is not None:
            self.store.flush()


def open_store(path: str | Path | None, read_only: bool = False) -> EmbeddedStore:
    return EmbeddedStore(path, read_only)
