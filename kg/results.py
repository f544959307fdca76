"""Running a query and writing its results: SPARQL JSON, CSV and TSV through
pyoxigraph's own serialisers (standard formats), and a plain text table for people."""
from __future__ import annotations

import os
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor

from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat

from . import config, query_gate
from .errors import KgError
from .format_registry import RESULT_NAMES, result_format
from .queries import NamedQuery, QueryError, catalog, resolve
from .store import Store


def run(store: Store, query: str, params: dict[str, str] | None = None):
    """Run a named query (by name or .rq path) or SPARQL text; returns pyoxigraph's
    result (solutions, boolean or triples).  Raises QueryError with the parser's
    message for a malformed query."""
    named: NamedQuery | None = resolve(query)
    text = named.text if named else query
    if params and named is None:
        raise QueryError("parameters are only bound in named queries")
    substitutions = named.bindings(params or {}, store.base_iri) if named else None
    query_gate.check(text)  # too long, too deep (the engine's parser would crash) or SERVICE
    try:
        return store.query(text, substitutions)
    except SyntaxError as e:
        raise QueryError(f"malformed query: {e}") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise QueryError(f"query failed: {e}") from None


def materialise_reports(store: Store) -> list[tuple[str, float]]:
    """Compute and keep the answer of every whole-graph report (named queries with
    ``# snapshot: yes``), and every lineage query's answer grouped by its parameter
    (``# snapshot: by PARAM``), for the store's current version, where none is kept
    yet.  Only a store with that capability keeps them (the embedded store on disk):
    a server may be written by others.
    Returns (query, seconds) for each one computed.

    The reports are computed side by side, one thread per core (setting
    ``workers``): pyoxigraph evaluates and serialises a query without holding the
    GIL, so the reports share the cores (benchmarks/scale.py)."""
    if not store.capabilities.snapshots or not config.get("snapshots"):
        return []
    # the lineage tables first: they take longest, and a short report ends the run
    kept = sorted((q for q in catalog().values() if q.snapshot or q.partition),
                  key=lambda q: q.partition is None)

    def one(q: NamedQuery) -> tuple[str, float] | None:
        t = time.perf_counter()
        return (q.name, time.perf_counter() - t) if store.materialise(
            q.text, by=q.partition) else None

    threads = min(len(kept), int(config.get("workers")) or os.cpu_count() or 1)
    with ThreadPoolExecutor(max(threads, 1), thread_name_prefix="kg-snapshot") as pool:
        return [r for r in pool.map(one, kept) if r is not None]


def render(result, fmt: str) -> bytes:
    """Serialise a result in ``csv tsv json xml table`` (SELECT/ASK) or Turtle
    (CONSTRUCT/DESCRIBE)."""
    if isinstance(result, (QuerySolutions, QueryBoolean)):
        if fmt == "table":
            return table(result).encode("utf-8")
        chosen = result_format(fmt) if fmt in RESULT_NAMES else None
        if chosen is None:
            raise KgError(f"unknown result format {fmt!r}; expected csv, tsv, json, xml or table")
        return result.serialize(format=chosen) or b""  # None only for a file
    return result.serialize(format=RdfFormat.TURTLE) or b""


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters (East Asian wide or
    full-width) take two.

    >>> width("保财社〔2025〕87号"), width("abc")
    (18, 3)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(result) -> str:
    if isinstance(result, QueryBoolean):
        return "true\n" if bool(result) else "false\n"
    names = [v.value for v in result.variables]
    rows = [["" if s[n] is None else s[n].value for n in names] for s in result]
    widths = [max([width(n)] + [width(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - width(c))
                         for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(names), line(["-" * w for w in widths]), *map(line, rows),
                      f"({len(rows)} rows)"]) + "\n"
