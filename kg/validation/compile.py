"""Shapes → SPARQL.  Each constraint of shapes/ becomes one SELECT that finds its
violations in every document graph at once: rows of ``?g ?this ?value`` (the
document graph, the focus node, the value node).  Most also have a screen (`screens`,
`or_screen`): a cheap scan finding the nodes where they may fire, so that their own
queries run on those alone.  SHACL Core here;
SHACL-SPARQL in rules.py; the document's view and the `Check` record in query.py.

What this module cannot compile is returned as ``Fallback`` (shape and reason): those
shapes are validated by pySHACL.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

import rdflib
from rdflib.namespace import RDF, SH

from .query import (
    FOCUS,
    GRAPHS,
    SEVERITY,
    Check,
    Fallback,
    Unsupported,
    View,
    portable_strings,
    subclasses,
    values_clause,
)
from .rules import in_every_graph, prefixes, sparql_check


def target_pattern(shapes: rdflib.Graph, ontology: rdflib.Graph, shape, view: View,
                   distinct: bool = True) -> str:
    """The ``?g ?this`` pairs the shape targets: a DISTINCT subquery, or (not
    ``distinct``) where the target is one class or predicate of the document graphs,
    the pattern itself, several times faster in pyoxigraph (a node typed twice within
    the class's subclasses then comes twice: the caller's query is DISTINCT).  A
    class without subclasses is the pattern itself either way (each node once)."""
    branches = []
    simple, exact = None, False  # exact: the simple pattern yields each node once
    for cls in shapes.objects(shape, SH.targetClass):
        classes = subclasses(ontology, cls)
        exact = len(classes) == 1
        c = view.var("c")
        branches.append(f"{GRAPHS} GRAPH ?g {{ ?this a {c} }} {values_clause(c, classes)}")
        simple = f"{GRAPHS} GRAPH ?g {{ ?this a <{classes[0]}> }}" if len(classes) == 1 \
            else branches[-1]
        if set(classes) & view.shared_types:
            # reached from any graph: rows of graphs not validated are dropped by the
            # engine (with a FILTER on ?g here, validating data/ took Virtuoso 1.9 to
            # 62.7 s per fresh server, benchmarks/validate_virtuoso-6c14229.json)
            branches.append(f"GRAPH <{view.shared}> {{ ?this a {c} }} {values_clause(c, classes)} "
                            + view.reach("?this"))
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        branches.append(f"{GRAPHS} " + view.triple("?this", str(p), view.var()))
        simple, exact = branches[-1], False
    for t in shapes.objects(shape, SH.target):
        select = shapes.value(t, SH.select)
        if select is None:
            raise Unsupported("a target other than a SPARQL target")
        branches.append(f"{{ {in_every_graph(str(select), view)} }}")
    if not branches:
        raise Unsupported("no target this compiler knows")
    if len(branches) == 1 and simple is not None and (not distinct or exact):
        return simple
    union = "{ " + " } UNION { ".join(branches) + " }"
    return f"{{ SELECT DISTINCT ?g ?this WHERE {{ {union} }} }}"


def path_pattern(shapes: rdflib.Graph, path, subject: str, obj: str, view: View) -> str:
    """A path (an IRI or a sequence of IRIs) from ``subject`` to ``obj``."""
    if isinstance(path, rdflib.URIRef):
        return view.triple(subject, str(path), obj)
    if (path, RDF.first, None) in shapes:
        steps = list(rdflib.collection.Collection(shapes, path))
        if all(isinstance(s, rdflib.URIRef) for s in steps):
            out, here = [], subject
            for i, step in enumerate(steps):
                there = obj if i == len(steps) - 1 else view.var("m")
                out.append(view.triple(here, str(step), there))
                here = there
            return " ".join(out)
    raise Unsupported("a path other than a predicate or a sequence of predicates")


LEXICAL = {  # XSD lexical forms: an ill-typed literal is a datatype violation
    str(rdflib.XSD.integer): r"^[+-]?[0-9]+$",
    str(rdflib.XSD.decimal): r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    str(rdflib.XSD.boolean): r"^(true|false|1|0)$",
}
VALUE_PARAMS = {SH.datatype, SH["class"], SH["in"], SH.pattern, SH.flags, SH.minInclusive,
                SH.maxInclusive, SH.lessThanOrEquals, SH.minCount, SH.maxCount}
DESCRIPTIVE = {SH.path, SH.message, SH.severity, SH.name, SH.description}


def _term(t) -> str:
    return t.n3()


def _literal(text: str) -> str:
    return rdflib.Literal(text).n3()


def _lexical(var: str, datatype) -> str:
    """`` && REGEX(…)``: ``var``'s text is of ``datatype``'s lexical space, where XSD
    has one here (`LEXICAL`); "" for the others."""
    lexical = LEXICAL.get(str(datatype))
    return f" && REGEX(STR({var}), {_literal(lexical)})" if lexical else ""


def value_condition(shapes, ontology, ps, param, arg, view: View) -> tuple[str, str] | None:
    """(extra pattern, violation condition on ``?value``) for a value-type constraint."""
    if param == SH.datatype:
        if arg == RDF.langString:
            return "", '!(isLiteral(?value) && lang(?value) != "")'
        return "", (f'!(isLiteral(?value) && lang(?value) = "" && datatype(?value) = <{arg}>'
                    f'{_lexical("?value", arg)})')
    if param == SH["class"]:
        c, classes = view.var("c"), subclasses(ontology, arg)
        # the classes first: pyoxigraph then looks each up (after the union: scans)
        return "", (f"NOT EXISTS {{ {values_clause(c, classes)} "
                    f"{view.typed('?value', classes, c)} }}")
    if param == SH["in"]:
        members = list(rdflib.collection.Collection(shapes, arg))
        # COALESCE: a value of another kind (a tagged string) is not in the list, even
        # where comparing it is an error; sameTerm would do, but Virtuoso misses with it
        return "", f"!COALESCE(?value IN ({', '.join(_term(m) for m in members)}), false)"
    if param == SH.pattern and not str(arg).isascii():
        return "", "true"  # matched in Python (`Check.matches`): Virtuoso's REGEX reads bytes
    if param == SH.pattern:
        flags = shapes.value(ps, SH.flags)
        extra = f", {_literal(str(flags))}" if flags else ""
        return "", f"isBlank(?value) || !REGEX(STR(?value), {_literal(str(arg))}{extra})"
    if param in (SH.minInclusive, SH.maxInclusive):
        op = ">=" if param == SH.minInclusive else "<="
        return "", f"!COALESCE(?value {op} {_term(arg)}, false)"
    if param == SH.lessThanOrEquals:
        w = view.var("w")
        return view.triple("?this", str(arg), w), f"!COALESCE(?value <= {w}, false)"
    return None


def _bound(extra: str) -> str:
    """The variable of a lessThanOrEquals bound in `value_condition`'s extra pattern."""
    return re.findall(r"\?_w\d+", extra)[0]


def _component(param) -> str:
    local = param.split("#")[1]
    return local[0].upper() + local[1:] + "ConstraintComponent"


def property_checks(shapes, ontology, node_shape, ps, view: View) -> list[Check]:
    """The checks of one property shape (its constraints, one query each), their
    focus nodes left as ``#FOCUS#`` (the shape's target, or the nodes a screen found)."""
    path = shapes.value(ps, SH.path)
    severity = SEVERITY[shapes.value(ps, SH.severity, default=SH.Violation)]
    messages = {m.language: str(m) for m in shapes.objects(ps, SH.message)}
    path_iri = str(path) if isinstance(path, rdflib.URIRef) else None
    target = FOCUS
    out = []
    for param, arg in sorted(shapes.predicate_objects(ps)):
        if param in DESCRIPTIVE or param == SH.flags:
            continue
        if param not in VALUE_PARAMS:
            raise Unsupported(f"sh:{param.split('#')[1]} on a property shape")
        v = view.var()
        if param == SH.minCount:
            n = int(arg)
            where = (f"MINUS {{ {_own_graphs(path_pattern(shapes, path, '?this', v, view))} }}"
                     if n == 1 else
                     f"{{ SELECT ?g ?this (COUNT(DISTINCT {v}) AS ?n) WHERE {{ {target} OPTIONAL "
                     f"{{ {path_pattern(shapes, path, '?this', v, view)} }} }} "
                     f"GROUP BY ?g ?this }} "
                     f"FILTER(?n < {n})")
            query = f"SELECT DISTINCT ?g ?this WHERE {{ {target} {where} }}"
        elif param == SH.maxCount:
            query = (f"SELECT ?g ?this WHERE {{ {target} "
                     f"{path_pattern(shapes, path, '?this', v, view)} }} "
                     f"GROUP BY ?g ?this HAVING (COUNT(DISTINCT {v}) > {int(arg)})")
        else:
            found = value_condition(shapes, ontology, ps, param, arg, view)
            if found is None:
                raise Unsupported(f"sh:{param.split('#')[1]} on a property shape")
            extra, condition = found
            # lessThanOrEquals: a result per value and bound that fail (as pySHACL)
            pair = [_bound(extra)] if param == SH.lessThanOrEquals else []
            query = (f"SELECT DISTINCT ?g ?this ?value {' '.join(pair)} WHERE {{ {target} "
                     f"{path_pattern(shapes, path, '?this', '?value', view)} {extra} "
                     f"FILTER({condition}) }}")
        matches = None
        if param == SH.pattern and not str(arg).isascii():
            matches = (str(arg), str(shapes.value(ps, SH.flags) or ""))
        out.append(Check(str(node_shape), _component(param), severity, path_iri, messages,
                         query, matches=matches))
    return out


def _own_graphs(pattern: str) -> str:
    """A pattern of the document graphs alone (``GRAPH ?g``) restricted to the graphs
    validated: inside a MINUS it is evaluated on its own, and would read every graph
    of the store whatever the graphs validated."""
    return pattern if "GRAPH <" in pattern else f"{GRAPHS} {pattern}"


def _path_steps(shapes, path) -> list:
    """The predicates of a path (an IRI or a sequence of IRIs)."""
    if isinstance(path, rdflib.URIRef):
        return [path]
    return list(rdflib.collection.Collection(shapes, path))


def _table(view: View, s: str, p: str, o: str) -> str:
    """``s p o`` in the document's view as sub-SELECTs: each is evaluated on its own
    and joined with the rest by hash, where a join in one pattern probes the store's
    index once per row (4 to 13 µs each; docs/validation.md).  The document graphs'
    side reads the graphs of the run (``#GRAPHS#``: a chunk of them, which bounds the
    tables), the shared graph's and the ontology's sides are read whole (small).
    Where the store's sub-SELECTs do not join as SPARQL says, the patterns themselves
    (`_selects`)."""
    return _union(_selects(view, s, f"<{p}>", o, p in view.shared_predicates,
                           p in view.ontology_predicates))


def _selects(view: View, s: str, p: str, o: str, shared: bool, ontology: bool) -> list[str]:
    """The sub-SELECTs of ``s p o``: in the document graphs, and in the shared graph
    and the ontology where they may hold it; the patterns themselves where the
    store's sub-SELECTs are not tables (`View.tables`: Virtuoso's MINUS between two
    answers rows its left side does not hold)."""
    names = " ".join(x for x in (s, o) if x.startswith("?"))
    parts = [f"{GRAPHS} GRAPH ?g {{ {s} {p} {o} }}"]
    for graph, there in ((view.shared, shared), (view.ontology, ontology)):
        if there:
            parts.append(f"GRAPH <{graph}> {{ {s} {p} {o} }}")
    if not view.tables:
        return parts
    return [f"SELECT ?g {names} WHERE {{ {parts[0]} }}"] + \
        [f"SELECT {names} WHERE {{ {part} }}" for part in parts[1:]]


def _union(parts: list[str]) -> str:
    union = " } UNION { ".join(parts)
    return f"{{ {union} }}" if len(parts) == 1 else f"{{ {{ {union} }} }}"


def _hashed_path(shapes, path, subject: str, obj: str, view: View) -> str:
    """`path_pattern` as `_table` joins, one per step."""
    out, here = [], subject
    steps = _path_steps(shapes, path)
    for i, step in enumerate(steps):
        there = obj if i == len(steps) - 1 else view.var("m")
        out.append(_table(view, here, str(step), there))
        here = there
    return " ".join(out)


def _path_table(shapes, path, value: str, view: View) -> str:
    """The (graph, focus node, value) rows of a path (`_hashed_path`) as one table
    (the path's patterns where sub-SELECTs are not tables, `_table`)."""
    rows = _hashed_path(shapes, path, "?this", value, view)
    return f"{{ SELECT ?g ?this {value} WHERE {{ {rows} }} }}" if view.tables else f"{{ {rows} }}"


def _canonical(query: str) -> str:
    """The query with its fresh variables renamed in order of appearance: the same
    screen of two shapes (a path and condition they share) is then the same text,
    and runs once for both."""
    names: dict[str, str] = {}
    return re.sub(r"\?_([a-z]+)\d+",
                  lambda m: names.setdefault(m[0], f"?_{m[1]}{len(names)}"), query)


class Screens(NamedTuple):
    """What runs before a constraint's own query: ``graph`` finds the document graphs
    where it may fire, ``node`` the focus nodes there; ``in_chunks``: ``node`` joins
    sub-SELECTs by hash (`_table`), so the engine runs it on a chunk of graphs at a
    time, also over the whole store, which bounds its tables."""
    graph: str | None = None
    node: str | None = None
    in_chunks: bool = False


def screens(shapes, ontology, shape, view: View, target: str) -> dict:
    """{(property shape, component): `Screens`}: the screen query finds
    the focus nodes where that constraint may fire, the graph screen (None for some)
    first the document graphs where the screen may find any (``GROUP BY ?g``, several
    times cheaper than grouping by node); a constraint without them runs on every
    focus node.
    The constraints' own queries then run only on the few nodes found
    (kg/validation/engine.py), each screen's checks together.

    A screen reads the path's triples alone, not joined with the target (where the
    path's predicates are the document graphs' own: the values seen in a document's
    view are then those of its graph), and keeps, by ``GROUP BY … HAVING``, the nodes
    with too many values or a value failing a condition: maxCount and the value
    conditions of a property shape share one such pass.  Its condition is implied by
    the constraints' own (``COUNT(*)`` is at least the distinct values counted), so
    it finds every node they fire on, and perhaps more: the check's own query, with
    the target, decides.  minCount has its own (`min_count_screens`, by graph);
    lessThanOrEquals has its own (a join with the bound, by hash); a pattern matched
    in Python is not screened."""
    out: dict[tuple, Screens] = {}
    for ps in shapes.objects(shape, SH.property):
        path = shapes.value(ps, SH.path)
        own = not {str(p) for p in _path_steps(shapes, path)} & (
            view.shared_predicates | view.ontology_predicates)
        start = GRAPHS if own else target
        v = view.var("s")
        values = f"{start} {path_pattern(shapes, path, '?this', v, view)}"
        grouped, having, by_graph, conditions, joins = [], [], [], [], []
        for param, arg in sorted(shapes.predicate_objects(ps)):
            if param == SH.maxCount:
                grouped.append(param)
                having.append(f"COUNT(*) > {int(arg)}")
                # a node with more than n ≥ 1 values: more values than nodes in its graph
                by_graph.append("COUNT(*) > COUNT(DISTINCT ?this)" if int(arg) else
                                "COUNT(*) > 0")
            elif param in VALUE_PARAMS - {SH.flags, SH.minCount}:
                found = value_condition(shapes, ontology, ps, param, arg, view)
                if found is None or found[1] == "true":  # matched in Python: not screened
                    continue
                extra, condition = found
                condition = "COALESCE(" + re.sub(r"\?value\b", v, condition) + ", false)"
                if param == SH.datatype and (arg != RDF.langString or view.lang_string_datatype):
                    # the same test by datatype() alone (an error for an IRI, so true;
                    # rdf:langString for tagged text): a rdf:langString screen 0.11 s
                    # against 0.16 s with isLiteral and lang at 1,000 documents, a
                    # whole run about 1% faster with the others; Virtuoso's datatype() of
                    # tagged text is none, so that one keeps isLiteral there
                    well_formed = _lexical(v, arg).replace(" && ", " || !", 1)
                    condition = f"COALESCE(datatype({v}) != {_term(arg)}{well_formed}, true)"
                if extra or param == SH["class"]:
                    out[(ps, _component(param))] = _screen_alone(
                        shapes, ontology, path, arg, (extra, condition), own, v, values, view)
                    continue
                grouped.append(param)
                members = list(rdflib.collection.Collection(shapes, arg)) \
                    if param == SH["in"] else []
                if members and all(isinstance(m, rdflib.URIRef) for m in members):
                    # IRIs: in the list where a VALUES row joins (same term, as =);
                    # a hash lookup, several times cheaper than IN on every value
                    ok = view.var("ok")
                    joins.append(f"OPTIONAL {{ VALUES ({v} {ok}) "
                                 f"{{ {' '.join(f'({_term(m)} true)' for m in members)} }} }}")
                    condition = f"!BOUND({ok})"
                conditions.append(condition)
        if conditions:
            having.append(f"SUM(IF({' || '.join(conditions)}, 1, 0)) > 0")
            by_graph.append(having[-1])
        if grouped:
            values = " ".join([values] + joins)
            query = _canonical(f"SELECT ?g ?this WHERE {{ {values} }} "
                               f"GROUP BY ?g ?this HAVING ({' || '.join(having)})")
            graph_query = _canonical(f"SELECT ?g WHERE {{ {values} }} "
                                     f"GROUP BY ?g HAVING ({' || '.join(by_graph)})")
            out.update({(ps, _component(param)): Screens(graph_query, query)
                        for param in grouped})
    return out


def _screen_alone(shapes, ontology, path, arg, found: tuple[str, str], own: bool, v: str,
                  values: str, view: View) -> Screens:
    """The screen of a lessThanOrEquals (the path joined with its bound) or of a
    sh:class (the path ``MINUS`` the values typed with the class, far cheaper than a
    NOT EXISTS per value), by hash and in chunks of graphs where the path is the
    document graphs' own and sub-SELECTs are tables (`_table`; at 10,000 documents the
    `prov:wasDerivedFrom` one took 6 to 7 s either way, 910 MB over the whole store,
    103 MB in chunks), not shared with the property shape's other constraints.
    ``found``: `value_condition`'s (extra pattern, condition on ``v``); ``values``:
    the path's pattern, from the target where it is not the document graphs' ``own``."""
    extra, condition = found
    if extra and own:
        w = _bound(extra)
        return Screens(None, _canonical(
            f"SELECT DISTINCT ?g ?this WHERE {{ {_hashed_path(shapes, path, '?this', v, view)} "
            f"{_table(view, '?this', str(arg), w)} FILTER({condition}) }}"), view.tables)
    if extra:
        return Screens(None, _canonical(
            f"SELECT DISTINCT ?g ?this WHERE {{ {values} {extra} FILTER({condition}) }}"))
    classes = subclasses(ontology, arg)
    if own:
        return Screens(None, _canonical(
            f"SELECT DISTINCT ?g ?this WHERE {{ {_path_table(shapes, path, v, view)} "
            f"MINUS {_typed_table(view, v, classes)} }}"), view.tables)
    c = view.var("c")
    return Screens(None, _canonical(
        f"SELECT DISTINCT ?g ?this WHERE {{ {values} MINUS {{ {GRAPHS} "
        f"{values_clause(c, classes)} {view.typed(v, classes, c)} }} }}"))


def _typed_table(view: View, node: str, classes: list[str]) -> str:
    """`View.typed` as sub-SELECTs (`_table`), one per class: a constant class, since
    a ``VALUES`` of classes beside the graphs' made pyoxigraph scan every type."""
    return _union([q for cls in classes for q in _selects(
        view, node, "a", f"<{cls}>", cls in view.shared_types, cls in view.ontology_types)])


def min_count_screens(shapes, ontology, named, view: View) -> dict[tuple, str]:
    """A graph screen for every ``sh:minCount 1`` constraint on a path of the
    document graphs alone ({(node shape, property shape): screen}): a graph where
    every focus node has a value holds no more distinct nodes in the union of the
    focus nodes and the path's subjects than among the path's subjects alone; one
    scan of the targets and one of the path (no join, no MINUS) finds the graphs
    where one may be missing.

    One query per path, shared by every shape with a ``minCount 1`` on it (the
    targets of all in one union: six classes require prov:wasDerivedFrom, and each
    query of its own scanned the store's largest predicate again), not one for
    all of a shape's paths: the distinct-count sets per graph are what such a
    query holds in memory (at 10,000 documents, 1.5 GB for the four paths of every
    source span at once, 0.4 GB for one).  A shape with a SPARQL target has its
    own (its target needs the shape's prefixes)."""
    by_path: dict[tuple, list[tuple]] = {}  # (path pattern, own shape) -> shapes on it
    for shape in named:
        try:
            target = target_pattern(shapes, ontology, shape, view, distinct=False)
        except Unsupported:
            continue
        own = (shape, SH.target, None) in shapes
        for ps in shapes.objects(shape, SH.property):
            if shapes.value(ps, SH.minCount) != rdflib.Literal(1):
                continue
            try:
                pattern = path_pattern(shapes, shapes.value(ps, SH.path), "?this",
                                       view.var("s"), view)
            except Unsupported:
                continue
            if "GRAPH <" in pattern:
                continue
            key = (_canonical(pattern), shape if own else None)
            by_path.setdefault(key, []).append((shape, ps, target, pattern))
    out = {}
    for (_, alone), on_path in by_path.items():
        header = _target_header(shapes, alone) if alone else ""  # its SPARQL target needs them
        targets = list({_canonical(t): t for _, _, t, _ in on_path}.values())
        members = targets[0] if len(targets) == 1 else \
            "{ " + " } UNION { ".join(targets) + " }"
        screen = header + _canonical(
            f"SELECT ?g WHERE {{ {{ {members} BIND(?this AS ?_in) }} UNION "
            f"{{ {GRAPHS} {on_path[0][3]} BIND(?this AS ?_in) BIND(?this AS ?_has) }} }} "
            f"GROUP BY ?g HAVING (COUNT(DISTINCT ?_in) > COUNT(DISTINCT ?_has))")
        out.update({(shape, ps): screen for shape, ps, _, _ in on_path})
    return out


def unvalued_anywhere(shapes, ontology, shape, ps, view: View) -> str | None:
    """For ``sh:minCount 1`` on a predicate that the shared graph or the ontology also
    holds, in a shape targeting classes alone, some of them typing shared nodes: a
    query finding a node of those classes, in any graph, with no value there, in the
    shared graph or in the ontology.  Where it finds none, the constraint fires in no
    document's view (a focus node is typed in the document graph or in the shared
    graph, and every view holds the shared graph and the ontology), and its own
    query, a DISTINCT over every document reaching a shared node (0.33 s at 1,000
    documents for ``bps:BudgetUnit``), need not run.  Not for classes of the
    document graphs alone: their nodes are many, the question probes each, and the
    check's own query is a cheap MINUS.  None for any other constraint."""
    path = shapes.value(ps, SH.path)
    if shapes.value(ps, SH.minCount) != rdflib.Literal(1) or not isinstance(path, rdflib.URIRef):
        return None
    elsewhere = [(graph, str(path) in held) for graph, held in
                 ((view.shared, view.shared_predicates), (view.ontology, view.ontology_predicates))]
    targets = set(shapes.predicates(shape)) & {SH.targetClass, SH.targetSubjectsOf, SH.target}
    if targets != {SH.targetClass} or not any(held for _, held in elsewhere):
        return None  # a path of the document graphs alone has a graph screen
    classes = sorted({c for cls in shapes.objects(shape, SH.targetClass)
                      for c in subclasses(ontology, cls)})
    if not set(classes) & view.shared_types:
        return None
    c, v = view.var("c"), view.var("v")
    absent = " ".join(f"FILTER NOT EXISTS {{ GRAPH {g} {{ ?this <{path}> {v} }} }}"
                      for g in ["?g"] + [f"<{graph}>" for graph, held in elsewhere if held])
    return _canonical(f"SELECT ?this WHERE {{ GRAPH ?g {{ ?this a {c} }} "
                      f"{values_clause(c, classes)} {absent} }} LIMIT 1")


def member_conforms(shapes, member, view: View) -> str:
    """A SPARQL condition: the focus ``?this`` conforms to ``member`` (a property shape
    with minCount 1, hasValue or equals) — the parts of sh:or and sh:xone."""
    path = shapes.value(member, SH.path)
    if path is None:
        raise Unsupported("a node shape inside sh:or or sh:xone")
    parts = []
    for param, arg in shapes.predicate_objects(member):
        if param in DESCRIPTIVE:
            continue
        v = view.var()
        if param == SH.minCount and int(arg) == 1:
            parts.append(f"EXISTS {{ {path_pattern(shapes, path, '?this', v, view)} }}")
        elif param == SH.hasValue:
            parts.append(f"EXISTS {{ {path_pattern(shapes, path, '?this', _term(arg), view)} }}")
        elif param == SH.equals:
            mine = path_pattern(shapes, path, "?this", v, view)
            other = view.triple("?this", str(arg), v)
            parts.append(f"NOT EXISTS {{ {mine} FILTER NOT EXISTS {{ {other} }} }} && "
                         f"NOT EXISTS {{ {other} FILTER NOT EXISTS {{ {mine} }} }}")
        else:
            raise Unsupported(f"sh:{param.split('#')[1]} inside sh:or or sh:xone")
    return "(" + " && ".join(parts or ["true"]) + ")"


def logical_check(shapes, shape, param, target: str, view: View) -> Check:
    """sh:or (at least one member conforms) or sh:xone (exactly one)."""
    members = list(rdflib.collection.Collection(shapes, shapes.value(shape, param)))
    conds = [member_conforms(shapes, m, view) for m in members]
    if param == SH["or"]:
        violated = "!(" + " || ".join(conds) + ")"
        component = "OrConstraintComponent"
    else:
        violated = "(" + " + ".join(f"IF({c}, 1, 0)" for c in conds) + ") != 1"
        component = "XoneConstraintComponent"
    severity = SEVERITY[shapes.value(shape, SH.severity, default=SH.Violation)]
    messages = {m.language: str(m) for m in shapes.objects(shape, SH.message)}
    return Check(str(shape), component, severity, None, messages,
                 f"SELECT DISTINCT ?g ?this WHERE {{ {target} FILTER({violated}) }}",
                 value_is_focus=True)


def or_screen(shapes, shape, param, view: View) -> str | None:
    """A screen for sh:or with a member ``sh:path P ; sh:equals Q``: a focus node
    violates sh:or only where every member fails, so only where the values of P and
    of Q differ: the pairs of each `MINUS` the other's, both sides joined by hash
    (`_table`) and run on a chunk of graphs at a time where sub-SELECTs are tables
    (at 10,000 documents 5.5 s; a lookup of the other per value took 54 s, the same
    MINUS over the whole store 41 s).  Every variable is bound on both sides, so
    MINUS is NOT EXISTS here.  None for sh:xone, or where no member is of that kind
    (or where P's first predicate or Q is found outside the document graphs)."""
    if param != SH["or"]:
        return None
    outside = view.shared_predicates | view.ontology_predicates
    for m in rdflib.collection.Collection(shapes, shapes.value(shape, param)):
        path, other = shapes.value(m, SH.path), shapes.value(m, SH.equals)
        if other is None or set(shapes.predicates(m)) - DESCRIPTIVE != {SH.equals} \
                or {str(_path_steps(shapes, path)[0]), str(other)} & outside:
            continue
        x = view.var("x")
        mine = _path_table(shapes, path, x, view)
        theirs = _table(view, "?this", str(other), x)
        return _canonical(f"SELECT DISTINCT ?g ?this WHERE {{ {{ {mine} MINUS {theirs} }} "
                          f"UNION {{ {theirs} MINUS {mine} }} }}")
    return None


def _target_header(shapes, shape) -> str:
    """The PREFIX lines a shape's SPARQL target needs ("" without one)."""
    if (shape, SH.target, None) not in shapes:
        return ""
    return prefixes(shapes, next(iter(shapes.objects(shape, SH.target))))


def compile_shape(shapes, ontology, shape, view: View,
                  min_count: dict[tuple, str] | None = None) -> list[Check]:
    """Every check of one named node shape; `Unsupported` if any part is not compiled.
    ``min_count``: the graph screens of the shapes' minCount constraints
    (`min_count_screens`; without them those constraints run unscreened)."""
    header = _target_header(shapes, shape)
    target = target_pattern(shapes, ontology, shape, view, distinct=False)
    exact = target_pattern(shapes, ontology, shape, view)  # rules keep duplicates: one each
    screened = screens(shapes, ontology, shape, view, target)
    for ps in shapes.objects(shape, SH.property):
        if min_count and (shape, ps) in min_count:
            screened[(ps, "MinCountConstraintComponent")] = Screens(min_count[(shape, ps)])
    checks = []
    for param, arg in shapes.predicate_objects(shape):
        if param == SH.property:
            for c in property_checks(shapes, ontology, shape, arg, view):
                found = Screens() if c.matches else screened.get((arg, c.component), Screens())
                unvalued = unvalued_anywhere(shapes, ontology, shape, arg, view) \
                    if c.component == "MinCountConstraintComponent" else None
                checks.append(replace(c, target=target, screen=found.node,
                                      graph_screen=found.graph,
                                      screen_in_chunks=found.in_chunks, precheck=unvalued))
        elif param in (SH["or"], SH.xone):
            screen = or_screen(shapes, shape, param, view)
            checks.append(replace(logical_check(shapes, shape, param, FOCUS, view),
                                  target=target, screen=screen,
                                  screen_in_chunks=screen is not None and view.tables))
        elif param == SH.sparql:
            h, check = sparql_check(shapes, shape, arg, exact, view)
            header = header if h in header else header + h
            checks.append(check)
        elif param not in DESCRIPTIVE | {RDF.type, SH.targetClass, SH.targetSubjectsOf,
                                         SH.target, SH.declare}:
            raise Unsupported(f"sh:{param.split('#')[-1]} on a node shape")
    complete = set(min_count.values()) if min_count else set()  # prefixed where needed
    return [replace(c, query=portable_strings(header + c.query),
                    screen=c.screen and portable_strings(header + c.screen),
                    graph_screen=c.graph_screen and portable_strings(
                        ("" if c.graph_screen in complete else header) + c.graph_screen),
                    target=portable_strings(c.target)) for c in checks]


def compile_shapes(shapes: rdflib.Graph, ontology: rdflib.Graph,
                   view: View) -> tuple[list[Check], list[Fallback]]:
    """Every named node shape compiled, or named as a fallback with the reason."""
    checks, fallbacks = [], []
    named = sorted({s for s in shapes.subjects(RDF.type, SH.NodeShape)
                    if isinstance(s, rdflib.URIRef)})
    min_count = min_count_screens(shapes, ontology, named, view)
    for shape in named:
        try:
            checks += compile_shape(shapes, ontology, shape, view, min_count)
        except Unsupported as e:
            fallbacks.append(Fallback(str(shape), str(e)))
    return checks, fallbacks
