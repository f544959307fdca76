"""The embedded store: pyoxigraph on disk.

One named graph per source document, replaced whole:

1. one transaction drops the document's graph and its catalog entry;
2. the new quads are written with the bulk loader (ten times faster than a
   transactional insert here, and without its write amplification: see
   benchmarks/build.py);
3. one last transaction writes the catalog entry (content hash, mapper version).

The catalog entry is the commit marker: a graph without one is incomplete (a build
killed between steps 2 and 3) and the next build reloads it, because only a graph
whose catalog hash matches is skipped as unchanged.  Queries see the union of all
graphs as their default graph.

Whole-graph writes from the Graph Store Protocol (``put_graph``, ``add_to_graph``)
are one SPARQL update each, so each is one transaction: a reader sees the old graph
or the new one, never a mix.  Their data goes in as N-Triples written by pyoxigraph
from parsed terms, never as client text.
"""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Triple, serialize

from .base import StoreBase, StoreError


class EmbeddedStore(StoreBase):
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
        self.read_only = read_only

    def replace_graphs(self, items: list[tuple[str, list[Quad] | bytes, list[Quad]]],
                       catalog: str) -> None:
        """Replace several documents' graphs in one bulk write; every catalog entry is
        written after all the quads.  Quads come as pyoxigraph quads or N-Quads bytes
        (what build workers send: cheaper to pass between processes)."""
        for graph, _, _ in items:
            self.remove_graph(graph, catalog)
        data = b"".join(q for _, q, _ in items if isinstance(q, bytes))
        if data:
            self.store.bulk_load(data, format=RdfFormat.N_QUADS)
        objects = [q for _, qs, _ in items if not isinstance(qs, bytes) for q in qs]
        if objects:
            self.store.bulk_extend(objects)
        markers = [q for _, _, cat in items for q in cat]
        if markers:
            self.store.extend(markers)

    def remove_graph(self, graph: str, catalog: str) -> None:
        g = NamedNode(graph)
        self.store.update(f"DROP SILENT GRAPH {g} ;\n"
                          f"DELETE WHERE {{ GRAPH <{catalog}> {{ {g} ?p ?o }} }}")

    def catalog_value(self, catalog: str, graph: str, prop: str) -> str | None:
        for q in self.store.quads_for_pattern(NamedNode(graph), NamedNode(prop), None,
                                              NamedNode(catalog)):
            return q.object.value
        return None

    def query(self, sparql: str, substitutions: dict | None = None, *,
              default_graph: list | None = None, named_graphs: list | None = None,
              base_iri: str | None = None, timeout: float | None = None):
        """pyoxigraph's result (solutions, boolean or triples), evaluated lazily.  The
        default graph is the union of the named graphs unless ``default_graph`` names
        graphs.  ``timeout`` is for the remote store (a lazy result here is timed by
        whoever reads it)."""
        kwargs: dict = {"substitutions": substitutions or None}
        if default_graph:
            kwargs["default_graph"] = list(default_graph)
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = list(named_graphs)
        if base_iri:
            kwargs["base_iri"] = base_iri
        return self.store.query(sparql, **kwargs)

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """A SPARQL Update, one transaction."""
        self.store.update(sparql, base_iri=base_iri)

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph=None):
        """Quads matching a pattern (``None`` matches anything; ``graph`` None: every
        graph)."""
        return self.store.quads_for_pattern(subject, predicate, object, graph)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def quads(self, graph: str | None = None) -> list[Quad]:
        g = NamedNode(graph) if graph else None
        return list(self.store.quads_for_pattern(None, None, None, g))

    def describe_in(self, graph: str, subjects: list[NamedNode]) -> list[Triple]:
        """Every triple of ``graph`` whose subject is one of ``subjects``."""
        g = NamedNode(graph)
        return [q.triple for s in subjects
                for q in self.store.quads_for_pattern(s, None, None, g)]

    def has_graph(self, graph: str | None) -> bool:
        """True for the default graph (``None``, always there) and for a named graph
        in the store, even an empty one."""
        return graph is None or self.store.contains_named_graph(NamedNode(graph))

    def graph_triples(self, graph: str | None) -> list[Triple]:
        g = NamedNode(graph) if graph else DefaultGraph()
        return [q.triple for q in self.store.quads_for_pattern(None, None, None, g)]

    def put_graph(self, graph: str | None, triples: list[Triple]) -> None:
        """Replace a graph (``None``: the default graph) in one transaction."""
        if graph is None:
            self.store.update("CLEAR SILENT DEFAULT ;\n" + _insert_data(None, triples))
            return
        g = NamedNode(graph)
        self.store.update(f"DROP SILENT GRAPH {g} ;\nCREATE SILENT GRAPH {g} ;\n"
                          + _insert_data(g, triples))

    def add_to_graph(self, graph: str | None, triples: list[Triple]) -> None:
        """Merge triples into a graph, creating it if needed, in one transaction."""
        g = NamedNode(graph) if graph else None
        create = f"CREATE SILENT GRAPH {g} ;\n" if g else ""
        self.store.update(create + _insert_data(g, triples))

    def drop_graph(self, graph: str | None) -> None:
        """Remove a named graph; the default graph is emptied."""
        self.store.update(f"DROP SILENT GRAPH {NamedNode(graph)}" if graph else "CLEAR SILENT DEFAULT")

    def flush(self) -> None:
        if self.path is not None:
            self.store.flush()


def _insert_data(graph: NamedNode | None, triples: list[Triple]) -> str:
    """``INSERT DATA`` of triples serialised by pyoxigraph (N-Triples is SPARQL
    syntax); blank nodes become fresh nodes, as a merge needs."""
    data = serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8") if triples else ""
    return f"INSERT DATA {{ GRAPH {graph} {{\n{data}}} }}" if graph else f"INSERT DATA {{\n{data}}}"


def open_store(path: str | Path | None, read_only: bool = False) -> EmbeddedStore:
    return EmbeddedStore(path, read_only)
