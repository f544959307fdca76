"""SHACL-SPARQL constraints (and SPARQL targets) run in every document graph at once:
the shape's own SELECT, its WHERE clause inside ``GRAPH ?g``."""
from __future__ import annotations

import re

from rdflib.namespace import SH

from .findings import summed
from .query import GRAPHS, SEVERITY, Check, Unsupported, View


def _parts(select: str) -> tuple[str, str, str]:
    """(what comes before the WHERE clause's braces, inside them, after them)."""
    q = select.replace("$this", "?this")
    start = q.index("{", q.upper().index("WHERE"))
    depth = 0
    for end in range(start, len(q)):
        depth += {"{": 1, "}": -1}.get(q[end], 0)
        if depth == 0:
            break
    return q[:start], q[start + 1:end], q[end + 1:]


_PLAIN_HEAD = re.compile(r"(?is)\s*SELECT\s+(DISTINCT\s+)?\?this\s+\?value\s+WHERE\s*")


def focused(select: str, target: str) -> str | None:
    """The rule with the focus nodes bound first, as pySHACL binds ``$this`` (in
    pyoxigraph many times faster than joining the rule's answers over every graph):
    for a rule that selects ``$this ?value`` with nothing after its WHERE clause."""
    head, body, tail = _parts(select)
    m = _PLAIN_HEAD.fullmatch(head)
    if m is None or tail.strip():
        return None
    return f"SELECT {m.group(1) or ''}?g ?this ?value WHERE {{ {target} GRAPH ?g {{ {body} }} }}"


def in_every_graph(select: str, view: View) -> str:
    """A SHACL-SPARQL SELECT run in every document graph: its WHERE clause inside
    ``GRAPH ?g``, ``?g`` selected and grouped by, ``$this`` as ``?this``."""
    head, body, tail = _parts(select)
    head = re.sub(r"(?i)SELECT\s+(DISTINCT\s+)?", lambda m: m.group(0) + "?g ", head, count=1)
    tail = re.sub(r"(?i)GROUP\s+BY", "GROUP BY ?g", tail, count=1)
    return f"{head}{{ {GRAPHS} GRAPH ?g {{ {body} }} }}{tail}"


def prefixes(shapes, node) -> str:
    """PREFIX lines of a SHACL-SPARQL constraint's sh:prefixes."""
    out = []
    for p in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(p, SH.declare):
            prefix, namespace = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            out.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(out) + "\n"


def _mentioned(select: str, header: str) -> set[str]:
    """The IRIs a SPARQL text names (prefixed names expanded)."""
    names = dict(re.findall(r"PREFIX (\w+): <([^>]+)>", header))
    out = set(re.findall(r"<([^>\s]+)>", select))
    for prefix, local in re.findall(r"\b(\w+):([\w-]+)", select):
        if prefix in names:
            out.add(names[prefix] + local)
    return out


def sparql_check(shapes, shape, constraint, target: str, view: View) -> tuple[str, Check]:
    """A SHACL-SPARQL constraint run in every document graph (its predicates must be
    the documents' own: in the shared graph or the ontology they would be missed)."""
    header = prefixes(shapes, constraint)
    select = str(shapes.value(constraint, SH.select))
    elsewhere = _mentioned(select, header) & (view.shared_predicates | view.ontology_predicates)
    if elsewhere:
        raise Unsupported(f"its SPARQL uses {sorted(elsewhere)} from outside the document graph")
    severity = SEVERITY[shapes.value(shape, SH.severity, default=SH.Violation)]
    messages = {m.language: str(m) for m in shapes.objects(constraint, SH.message)} or \
        {m.language: str(m) for m in shapes.objects(shape, SH.message)}
    query = focused(select, target) or \
        f"SELECT ?g ?this ?value WHERE {{ {target} {{ {in_every_graph(select, view)} }} }}"
    return header, Check(str(shape), "SPARQLConstraintComponent", severity, None, messages, query,
                         sums=summed(select))
