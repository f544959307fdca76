"""The compiled engine: the checks of kg/validation/compile.py run in the store (the
embedded one or a SPARQL server), a chunk of document graphs per query, so the data
never leaves the store; only findings come back.  Shapes it cannot compile are
validated by pySHACL on those graphs (``fallbacks``, named in the report).
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import rdflib
from pyoxigraph import BlankNode
from rdflib.namespace import RDF

from .. import config, iris, memory
from ..errors import KgError
from ..workers import fresh_pool, start_fork_server, stop_workers
from .compile import compile_shapes
from .findings import DESCRIBING, Finding, computed_value, line_number, location, messages, printed
from .pyshacl_engine import pyshacl_reports
from .query import FOCUS, GRAPHS, Check, Fallback, View, values_clause

PROV_FROM = iris.NS["prov"] + "wasDerivedFrom"


DATASET_MAX = 200  # graphs validated at most for a query naming its dataset (FROM NAMED)


def dataset(store, graphs: list[str], every: bool = False) -> str:
    """``FROM NAMED`` each graph of a few documents' view (theirs, the shared graph,
    the ontology), or nothing (the whole store, or more than `DATASET_MAX`).  Then
    every part of a query reads those graphs alone, also what pyoxigraph evaluates on
    its own (a side of a ``UNION``, a ``MINUS``), which a ``VALUES ?g`` does not reach:
    one document of 10,000 took 45 s without it (docs/validation.md)."""
    if every or not graphs or len(graphs) > DATASET_MAX \
            or not store.capabilities.query_datasets:
        return ""
    return " ".join(f"FROM NAMED <{g}>" for g in
                    [*graphs, iris.shared_graph(store.base_iri), iris.ONTOLOGY])


_OUTER_WHERE = re.compile(r"^((?:\s*PREFIX\s+\S*\s*<[^>]*>)*\s*SELECT\b[^{]*?)\bWHERE\b",
                          re.IGNORECASE)


def with_dataset(query: str, clause: str) -> str:
    """The query with ``clause`` (FROM NAMED …) before its outermost WHERE."""
    if not clause:
        return query
    m = _OUTER_WHERE.match(query)
    if m is None:
        raise ValueError(f"no outer SELECT … WHERE in {query[:200]!r}")
    return f"{m.group(1)}{clause} {query[len(m.group(1)):]}"


def restricted(query: str, graphs: list[str], every: bool = False, clause: str = "") -> str:
    """A query restricted to ``graphs``, or (``every``: they are all the store's
    document graphs) not restricted at all: a VALUES clause naming every graph is
    joined at a cost that grows with its length for each row it meets (quadratic over
    a whole store), and even a FILTER on the graph's name decodes it for each row.
    Rows of other graphs (the shared graph, the ontology, reports; any graph that
    reaches a shared node the shape targets, restricted or not) are dropped by the
    callers (`_run_unit`, `_run_screened`, `_run`), where a set lookup costs nothing."""
    if every:
        return query.replace(GRAPHS, "")
    return with_dataset(query.replace(GRAPHS, values_clause("?g", graphs)), clause)


def focused(check: Check, focus: list[tuple[str, str]] | None = None) -> str:
    """The check's query on every node its shape targets, or only on those of the
    (graph, node) pairs in ``focus`` (a screen's finds) that it targets."""
    nodes = check.target if focus is None else \
        "VALUES (?g ?this) { " + " ".join(f"(<{g}> <{n}>)" for g, n in focus) + " } " \
        + check.target
    return check.query.replace(FOCUS, nodes)


def query_for(check: Check, graphs: list[str], every: bool = False,
              focus: list[tuple[str, str]] | None = None) -> str:
    """The check's query (`focused`) on ``graphs``."""
    return restricted(focused(check, focus), graphs, every)


def _ask(store, query: str, graphs: list[str], every: bool):
    """The answer to ``query`` on ``graphs`` (`restricted`, naming them as its
    `dataset` where they are few)."""
    return store.query(restricted(query, graphs, every, dataset(store, graphs, every)))


def view_of(store, ontology: rdflib.Graph) -> View:
    """What the compiler needs to know of this store: which predicates and classes
    the shared graph holds, and how long its chains of shared nodes are."""
    shared = iris.shared_graph(store.base_iri)
    s = f"<{shared}>"
    preds = {r["p"].value for r in store.query(
        f"SELECT DISTINCT ?p WHERE {{ GRAPH {s} {{ ?x ?p ?y }} }}")}
    types = {r["t"].value for r in store.query(
        f"SELECT DISTINCT ?t WHERE {{ GRAPH {s} {{ ?x a ?t }} }}")}
    links = defaultdict(set)
    # a link to a node the graph describes: the described nodes as a table, joined by
    # hash (0.19 s against 0.28 s as one pattern, at 1,000 documents; before any work)
    described = f"{{ SELECT DISTINCT ?b WHERE {{ GRAPH {s} {{ ?b ?q ?c }} }} }}"
    for r in store.query(f"SELECT DISTINCT ?a ?b WHERE {{ GRAPH {s} {{ ?a ?p ?b "
                         f"FILTER(!isLiteral(?b)) }} {described} }}"):
        links[r["a"].value].add(r["b"].value)
    return View(shared, iris.ONTOLOGY, preds, {str(p) for p in ontology.predicates()},
                types, _longest_chain(links),
                ontology_types={str(t) for t in ontology.objects(None, RDF.type)},
                lang_string_datatype=store.capabilities.lang_string_datatype,
                tables=store.capabilities.sub_select_tables)


def _longest_chain(links: dict[str, set[str]], cap: int = 8) -> int:
    """Links in the longest chain of shared nodes (``cap`` if they form a cycle)."""
    memo: dict[str, int] = {}

    def depth(node: str, seen: frozenset) -> int:
        if node in seen:
            return cap
        if node not in memo:
            memo[node] = min(cap, max((1 + depth(n, seen | {node}) for n in links.get(node, ())),
                                      default=0))
        return memo[node]
    return max((depth(n, frozenset()) for n in list(links)), default=0)


@dataclass
class Row:
    check: Check
    graph: str
    focus: str
    value: Any  # a pyoxigraph term or None


FOCUS_CHUNK = 1000  # (graph, node) pairs per query of the checks behind a screen
GRAPH_CHUNK = 2000  # document graphs per query of the checks behind a graph screen
#: document graphs per query of a screen joined by hash (`Check.screen_in_chunks`): at
#: 10,000 documents the source spans' firstLine ≤ lastLine took 4.5 s and 280 MB in
#: chunks of 500, 8.9 s and 963 MB more over the whole store (docs/validation.md)
SCREEN_CHUNK = 500


Unit = tuple[str | None, str | None, list[Check]]  # (graph screen, screen, checks)


def _run_unit(store, unit: Unit, graphs: list[str], every: bool) -> list[Row]:
    """A screen's checks (or one check that has none) on ``graphs``: the graph screen
    finds the document graphs where they may fire, the screen the focus nodes there,
    and the checks run on those alone (on none where nothing is found: the common
    case)."""
    graph_screen, screen, checks = unit
    if graph_screen is not None:
        wanted = set(graphs)
        found = sorted({r["g"].value for r in _ask(store, graph_screen, graphs, every)}
                       & wanted)
        # many found in a whole-store run: the whole store again (checks are exact; a
        # list of thousands of graphs costs more than the documents it leaves out)
        if not (every and len(found) > GRAPH_CHUNK):
            graphs, every = found, False
    # a list of graphs a graph screen found: in chunks; the whole store: one pass
    step = GRAPH_CHUNK if graph_screen is not None and not every else len(graphs) or 1
    out: list[Row] = []
    try:
        for start in range(0, len(graphs), step):
            out += _run_screened(store, screen, checks, graphs[start:start + step], every)
    finally:
        memory.release()  # the hash tables of whole-store queries (kg/memory.py)
    return out


def _run_screened(store, screen: str | None, checks: list[Check], graphs: list[str],
                  every: bool) -> list[Row]:
    if screen is None:
        return [row for check in checks for row in _run(store, check, graphs, every)]
    wanted = set(graphs)
    # a screen joined by hash: its tables bounded by a chunk's graphs, one chunk asked
    # at a time as the last is read
    parts = [(graphs[start:start + SCREEN_CHUNK], False)
             for start in range(0, len(graphs), SCREEN_CHUNK)] \
        if checks[0].screen_in_chunks else [(graphs, every)]
    answers = (_ask(store, screen, part, whole) for part, whole in parts)
    found = [(r["g"], r["this"]) for answer in answers for r in answer
             if r["g"].value in wanted]
    if any(isinstance(node, BlankNode) for _, node in found):  # not in a VALUES clause
        return [row for check in checks for row in _run(store, check, graphs, every)]
    pairs = sorted({(g.value, node.value) for g, node in found})
    return [row for start in range(0, len(pairs), FOCUS_CHUNK) for check in checks
            for row in _run(store, check, graphs, every, pairs[start:start + FOCUS_CHUNK])]


def units(checks: list[Check]) -> list[Unit]:
    """The checks grouped by their screens (a check without any on its own)."""
    behind: dict[tuple[str | None, str | None], list[Check]] = {}
    alone: list[Unit] = []
    for check in checks:
        if check.screen is None and check.graph_screen is None:
            alone.append((None, None, [check]))
        else:
            behind.setdefault((check.graph_screen, check.screen), []).append(check)
    return alone + [(g, s, cs) for (g, s), cs in behind.items()]


def _run(store, check: Check, graphs: list[str], every: bool,
         focus: list[tuple[str, str]] | None = None) -> list[Row]:
    """The check's rows on ``graphs`` (on the ``focus`` pairs only, if given).  Where
    its `Check.precheck` answers nothing, the check is not sent: it cannot fire
    (`unvalued_anywhere` says why)."""
    if check.precheck is not None and not any(True for _ in _ask(store, check.precheck,
                                                                    graphs, every)):
        return []
    out = []
    wanted = set(graphs)
    for r in _ask(store, focused(check, focus), graphs, every):
        if r["g"].value not in wanted:  # a graph not validated (an unrestricted query)
            continue
        value = r["this"] if check.value_is_focus else _get(r, "value")
        if check.matches and not isinstance(value, BlankNode) \
                and _matches(check.matches, value.value):
            continue
        out.append(Row(check, r["g"].value, r["this"].value, value))
    return out


def _matches(pattern: tuple[str, str], text: str) -> bool:
    """sh:pattern with sh:flags (XPath flags i, s, m, x), as REGEX would."""
    flags = 0
    for f, bit in (("i", re.I), ("s", re.S), ("m", re.M), ("x", re.X)):
        flags |= bit if f in pattern[1] else 0
    return re.search(pattern[0], text, flags) is not None


def _get(row, name: str):
    """A variable's value, None where it is unbound or not selected."""
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _facts(store, view: View, pairs: list[tuple[str, str]]):
    """For each (graph, focus): its printed labels and its source spans, read in the
    document's view (two queries per chunk)."""
    values = "VALUES (?g ?this) { " + " ".join(f"(<{g}> <{f}>)" for g, f in pairs) + " }"
    props: defaultdict[tuple, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    branches = " UNION ".join(f"{{ {view.triple('?this', d, '?o')} BIND(<{d}> AS ?p) }}"
                              for d in DESCRIBING)
    q = f"SELECT ?g ?this ?p ?o WHERE {{ {values} {branches} }}"
    for r in store.query(q):
        props[(r["g"].value, r["this"].value)][r["p"].value].append(r["o"].value)
    spans = defaultdict(list)
    q = (f"SELECT ?g ?this ?first ?last ?name WHERE {{ {values} "
         f"{view.triple('?this', PROV_FROM, '?span')} "
         f"OPTIONAL {{ {view.triple('?span', iris.BP + 'firstLine', '?first')} }} "
         f"OPTIONAL {{ {view.triple('?span', iris.BP + 'lastLine', '?last')} }} "
         f"OPTIONAL {{ {view.triple('?span', iris.NS['oa'] + 'hasSource', '?src')} "
         f"{view.triple('?src', iris.BP + 'fileName', '?name')} }} }}")
    for r in store.query(q):
        first, last, name = _get(r, "first"), _get(r, "last"), _get(r, "name")
        spans[(r["g"].value, r["this"].value)].append(
            (name.value if name else None, line_number(first.value if first else None),
             line_number(last.value if last else None)))
    return props, spans


def _nt(term) -> str | None:
    if term is None:
        return None
    return f"_:{term.value}" if isinstance(term, BlankNode) else str(term)


def findings_of(store, view: View, rows: list[Row]) -> dict[str, list[Finding]]:
    """Rows → located, worded findings, by document graph."""
    pairs = sorted({(r.graph, r.focus) for r in rows})
    props, spans = {}, {}
    parts = [pairs[start:start + 500] for start in range(0, len(pairs), 500)]
    if len(parts) > 1 and _workers() > 1:  # side by side, as the checks ran
        with ThreadPoolExecutor(min(_workers(), len(parts))) as threads:
            facts = list(threads.map(lambda part: _facts(store, view, part), parts))
    else:
        facts = [_facts(store, view, part) for part in parts]
    for p, s in facts:
        props.update(p)
        spans.update(s)
    out = defaultdict(list)
    for r in rows:
        value, nt = computed_value(r.check.sums, r.value.value if r.value is not None else None,
                                   _nt(r.value))
        zh, en = messages(r.check.messages, r.check.component, r.check.path, value)
        file, first, last = location(spans.get((r.graph, r.focus), []))
        out[r.graph].append(Finding(
            r.check.severity, r.check.shape, r.focus, r.check.path, value,
            printed(props.get((r.graph, r.focus), {})), zh, en, file, first, last,
            r.check.component, nt))
    return out


def validate_graphs(store, graphs: list[str], shapes: rdflib.Graph, ontology: rdflib.Graph,
                    chunk: int = 2000,
                    progress=None) -> tuple[dict[str, list[Finding]], list[Fallback]]:
    """Findings of every graph in ``graphs`` ({graph: findings}) and the fallbacks.  The
    checks run side by side (each screen with its checks; `_side_by_side`).  Every
    document of the store is validated in one pass; a list of some, ``chunk`` graphs
    per query."""
    in_processes = _lanes_in_processes(store, len(graphs))
    if in_processes:  # started now, it gets ready while the shapes are compiled (if
        start_fork_server(WORKER_PRELOAD)  # they fail, it idles until this process ends)
    view = view_of(store, ontology)
    checks, fallbacks = compile_shapes(shapes, ontology, view)
    work = units(checks)
    found: dict[str, list[Finding]] = {g: [] for g in graphs}
    prefix = iris.base(store.base_iri) + "graph/"
    documents = {g for g in store.named_graphs() if g.startswith(prefix)}
    if set(graphs) == documents:  # the whole store: one pass, no list of graphs
        chunk = max(chunk, len(graphs))
    chunks = [graphs[start:start + chunk] for start in range(0, len(graphs), chunk)]
    done = 0
    with _side_by_side(store, work, chunks, in_processes) as run:
        for k, part in enumerate(chunks):
            rows = []
            for n, got in enumerate(run(k, set(part) == documents), 1):
                rows += got
                if progress and n < len(work):  # documents of the chunk, pro rata the work
                    progress(done + len(part) * n // (len(work) + 1), len(graphs))
            for g, fs in findings_of(store, view, rows).items():
                found[g] += fs
            done += len(part)
            if progress:
                progress(done, len(graphs))
    if fallbacks and graphs:
        subset = _shapes_subset(shapes, [f.shape for f in fallbacks])
        for r in pyshacl_reports(store, graphs, subset, ontology):
            found[r.graph] += r.findings
    for fs in found.values():
        fs.sort(key=Finding.sort_key)
    return found, fallbacks


RunChunk = Callable[[int, bool], Iterator[list[Row]]]  # (chunk, every) → rows of each unit


@contextmanager
def _side_by_side(store, work: list[Unit], chunks: list[list[str]],
                  in_processes: bool) -> Iterator[RunChunk]:
    """``run(k, every)``: the rows of every unit of ``work`` on ``chunks[k]``, unit by
    unit (as they end in lanes, in order in threads), ``workers`` units at a time
    (setting; 0: one per core).

    A server answers several requests at once, so threads suffice there.  pyoxigraph
    evaluates without holding the GIL, but two threads of one process slow each
    other's queries down by a quarter or more, where two processes do not
    (docs/validation.md).  So a run of many documents on a store on disk (from
    setting ``validation_processes_from`` up to ``validation_processes_up_to``:
    ``in_processes``, `_lanes_in_processes`) runs
    one lane in a thread of this process and the others in worker processes, each
    opening the store read-only: not one worker per lane, and not on a large store,
    since each process holds the store's indexes and its own largest query (memory
    is an aim, as time is)."""
    workers = _workers()
    if in_processes:
        with store.readable_elsewhere() as folder:
            if folder is not None:
                pool = fresh_pool(workers - 1, _start_worker, (folder, work, chunks),
                                  WORKER_PRELOAD)
                here = ThreadPoolExecutor(1, thread_name_prefix="kg-validate")
                try:
                    yield lambda k, every: _in_lanes(store, here, pool, workers - 1, work,
                                                     chunks[k], k, every)
                except BaseException:  # no waiting for units not started, nor running
                    stop_workers(pool)
                    raise
                finally:
                    here.shutdown(cancel_futures=True)
                pool.shutdown()
                return
    threads = ThreadPoolExecutor(workers, thread_name_prefix="kg-validate")
    try:
        yield lambda k, every: threads.map(
            lambda unit: _run_unit(store, unit, chunks[k], every), work)
    finally:  # after an error, none of the units not started
        threads.shutdown(cancel_futures=True)


WORKER_PRELOAD = ["kg.validation.engine"]  # what a worker process imports


def _workers() -> int:
    """Units run at once (setting ``workers``; 0: one per core)."""
    return max(1, int(str(config.get("workers"))) or os.cpu_count() or 1)


def _lanes_in_processes(store, documents: int) -> bool:
    """Whether a run on ``documents`` graphs of ``store`` has lanes in worker
    processes (`_side_by_side`)."""
    least = int(str(config.get("validation_processes_from")))
    most = int(str(config.get("validation_processes_up_to"))) or float("inf")
    return (_workers() > 1 and 0 < least <= documents <= most
            and store.capabilities.local_folder)


def _in_lanes(store, here: ThreadPoolExecutor, pool, processes: int, work: list[Unit],
              part: list[str], k: int, every: bool) -> Iterator[list[Row]]:
    """Each unit to the first free lane (this process's thread, or one of the
    ``processes`` workers of ``pool``), so that neither waits while units are left;
    the rows of each as it ends."""
    todo = iter(range(len(work)))
    running: dict[Future, tuple[int, bool]] = {}  # a unit's future: (unit, run here?)

    def give(at_home: bool) -> None:
        i = next(todo, None)
        if i is not None:
            future = (here.submit(_run_unit, store, work[i], part, every) if at_home
                      else pool.submit(_unit_in_worker, i, k, every))
            running[future] = (i, at_home)

    try:
        for at_home in [True] + [False] * processes:
            give(at_home)
        while running:
            ended, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in ended:
                i, at_home = running.pop(future)
                got = future.result()
                give(at_home)
                yield got if at_home else [Row(work[i][2][n], g, focus, value)
                                           for n, g, focus, value in got]
    except BrokenProcessPool:
        raise KgError("a validation worker process ended before its work was done (killed, "
                      "or out of memory); set KG_WORKERS=1 to validate in one process") from None


_WORKER: dict[str, Any] = {}  # in a worker process: its store, the work and the chunks


def _start_worker(folder: str, work: list[Unit], chunks: list[list[str]]) -> None:
    """Open the store; a store that will not open is said by the worker's first unit
    (an exception here would print a traceback and break the pool)."""
    from ..store import EmbeddedStore
    try:
        _WORKER.update(store=EmbeddedStore(folder, read_only=True), work=work, chunks=chunks)
    except KgError as e:
        _WORKER["error"] = f"a validation worker process cannot open the store: {e}"


def _unit_in_worker(i: int, k: int, every: bool) -> list[tuple[int, str, str, Any]]:
    """Unit ``i`` on chunk ``k``, in a worker: rows as (check's place in the unit,
    graph, focus, value), the checks being the parent's own."""
    if "error" in _WORKER:
        raise KgError(_WORKER["error"])
    unit = _WORKER["work"][i]
    place = {id(c): n for n, c in enumerate(unit[2])}
    return [(place[id(r.check)], r.graph, r.focus, r.value)
            for r in _run_unit(_WORKER["store"], unit, _WORKER["chunks"][k], every)]


def fallbacks_of(store, shapes: rdflib.Graph, ontology: rdflib.Graph) -> list[Fallback]:
    """The shapes this store's compiled engine leaves to pySHACL."""
    return compile_shapes(shapes, ontology, view_of(store, ontology))[1]


def _shapes_subset(shapes: rdflib.Graph, names: list[str]) -> rdflib.Graph:
    """The named shapes with everything they reach (their blank nodes, lists, prefixes)."""
    out = rdflib.Graph()
    todo: list[rdflib.term.Node] = [rdflib.URIRef(n) for n in names]
    seen: set[rdflib.term.Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            out.add((node, p, o))
            if isinstance(o, rdflib.BNode) or p in (rdflib.SH.prefixes,):
                todo.append(o)
    return out

