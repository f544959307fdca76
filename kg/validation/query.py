"""What compiled checks are made of: the `Check` record, the document's view (which
graph a triple pattern is asked of) and the placeholders for the graphs validated.

A document is validated as pySHACL sees it (kg/validate.py): its own graph, the shared
graph's descriptions of the nodes it reaches, and the ontology.  A triple pattern is
therefore asked of the document graph, and of the shared graph or the ontology graph
only when its predicate occurs there (`View`); a node typed in the shared graph is a
focus node of every document that reaches it (`View.reach`).  ``#GRAPHS#`` in a query
is replaced by a VALUES clause naming the document graphs to validate, ``#FOCUS#`` by
the focus nodes to check (kg/validation/engine.py); where ``?g`` is bound late (a
shared node reached from a document) rows of other graphs are dropped by the engine.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import RDFS, SH

SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
GRAPHS = "#GRAPHS#"  # VALUES ?g { … }: the document graphs to validate
FOCUS = "#FOCUS#"  # the ?g ?this pairs to check: the shape's target, or those a screen found


@dataclass(frozen=True)
class Check:
    """One compiled constraint; ``query`` yields ``?g ?this ?value`` rows."""
    shape: str
    component: str
    severity: str
    path: str | None
    messages: dict  # language → template (``{?value}`` filled in per row); may be empty
    query: str
    value_is_focus: bool = False  # node-level or/xone: pySHACL reports the focus as value
    sums: bool = False  # the rule prints a sum (kg/validation/findings.py, computed_value)
    matches: tuple[str, str] | None = None  # (pattern, flags) a value must match, in Python
    target: str = ""  # what ``#FOCUS#`` in ``query`` stands for: the shape's target
    screen: str | None = None  # a query for the focus nodes where the check may fire
    graph_screen: str | None = None  # one for the document graphs where it may fire
    screen_in_chunks: bool = False  # ``screen`` runs on a chunk of graphs at a time
    precheck: str | None = None  # asked first: no row means the check fires in no graph


@dataclass(frozen=True)
class Fallback:
    shape: str
    reason: str


class Unsupported(Exception):
    """A shape feature this compiler does not translate (pySHACL validates it)."""


@dataclass
class View:
    """Where each predicate can be found besides the document graph, and how deep the
    shared graph's chains go (for reaching shared nodes)."""
    shared: str
    ontology: str
    shared_predicates: set[str]
    ontology_predicates: set[str]
    shared_types: set[str]
    depth: int
    ontology_types: set[str] = field(default_factory=set)  # classes typing ontology nodes
    lang_string_datatype: bool = True  # the store's Capabilities.lang_string_datatype
    tables: bool = True  # the store's Capabilities.sub_select_tables
    counter: itertools.count = field(default_factory=itertools.count)

    def var(self, stem: str = "v") -> str:
        return f"?_{stem}{next(self.counter)}"

    def triple(self, s: str, p: str, o: str) -> str:
        """``s p o`` in the document's view (``p`` is a full IRI)."""
        iri = f"<{p}>"
        parts = [f"GRAPH ?g {{ {s} {iri} {o} }}"]
        if p in self.shared_predicates:
            parts.append(f"GRAPH <{self.shared}> {{ {s} {iri} {o} }}")
        if p in self.ontology_predicates:
            parts.append(f"GRAPH <{self.ontology}> {{ {s} {iri} {o} }}")
        return parts[0] if len(parts) == 1 else "{ " + " } UNION { ".join(parts) + " }"

    def typed(self, node: str, classes: list[str], c: str) -> str:
        """``node`` has a type among ``classes`` (bound to ``c``) in the document's
        view: the shared graph and the ontology are asked only where they type a node
        with one of them."""
        parts = [f"GRAPH ?g {{ {node} a {c} }}"]
        if set(classes) & self.shared_types:
            parts.append(f"GRAPH <{self.shared}> {{ {node} a {c} }}")
        if set(classes) & self.ontology_types:
            parts.append(f"GRAPH <{self.ontology}> {{ {node} a {c} }}")
        return parts[0] if len(parts) == 1 else "{ " + " } UNION { ".join(parts) + " }"

    def reach(self, node: str) -> str:
        """``?g`` is a document graph that reaches ``node`` (a shared node) through
        at most ``depth`` shared-graph links."""
        branches = []
        for d in range(self.depth + 1):
            chain, target = [], node
            for _ in range(d):
                up = self.var("r")
                chain.append(f"GRAPH <{self.shared}> {{ {up} {self.var('p')} {target} }}")
                target = up
            chain.append(f"GRAPH ?g {{ {self.var('s')} {self.var('p')} {target} }}")
            branches.append(" ".join(chain))  # from the node up: bound as early as can be
        return "{ " + " } UNION { ".join(branches) + " }"


def subclasses(ontology: rdflib.Graph, cls) -> list[str]:
    """``cls`` and every class under it (rdfs:subClassOf*), sorted."""
    return sorted(str(c) for c in ontology.transitive_subjects(RDFS.subClassOf, cls))


def values_clause(var: str, iris_: list[str]) -> str:
    return f"VALUES {var} {{ {' '.join(f'<{i}>' for i in iris_)} }}"


_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"(?!\^\^|@)')


def portable_strings(query: str) -> str:
    """Non-ASCII string constants written ``STR("…"@zh)``, the same string: Virtuoso
    reads an untyped one as ``??`` and compares a typed one with nothing
    (kg/store/querytext.py), but reads a tagged one right.  Only for constants in
    expressions (the shapes' SPARQL has none in triple patterns)."""
    return _STRING.sub(lambda m: m[0] if m[1].isascii() else f'STR({m[0]}@zh)', query)
