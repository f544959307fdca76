"""SPARQL 1.1 Protocol §2.2.3: the update dataset from ``using-graph-uri`` and
``using-named-graph-uri``.

pyoxigraph's ``Store.update`` takes no dataset, so the parameters become ``USING`` /
``USING NAMED`` clauses, inserted before the ``WHERE`` of each DELETE/INSERT
operation: exactly what the protocol says they mean.  The update is not rebuilt
from pieces: the project's one lexer (kg/sparqltext.py; strings, IRIs, comments
skipped, braces counted) finds each operation's top-level keywords, and only clauses written by
pyoxigraph from validated IRIs are inserted; pyoxigraph then parses the result as
usual.  Refused with 400, as the protocol asks: parameters together with ``USING``
or ``WITH`` in the update.  Refused with 400 as a limit of this approach:
parameters with ``DELETE WHERE {…}``, whose grammar has no place for ``USING``
(write ``DELETE {…} WHERE {…}``).  Without the parameters the update runs as sent.
"""
from __future__ import annotations

from pyoxigraph import NamedNode

from ..sparqltext import tokens
from . import errors


def _operations(update: str) -> list[list[tuple[str, int]]]:
    """Each operation's top-level words and braces, upper-cased, with offsets.

    >>> ops = _operations('INSERT { <a> <b> "WHERE" } WHERE { } ; CLEAR ALL')
    >>> [[w for w, _ in op] for op in ops]
    [['INSERT', '{', 'WHERE', '{'], ['CLEAR', 'ALL']]
    """
    ops: list[list[tuple[str, int]]] = [[]]
    depth = 0
    for t in tokens(update):
        if t.text == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            if t.text == ";":
                ops.append([])
            elif t.kind == "word" or t.text == "{":  # prefixed names are never keywords
                ops[-1].append((t.text.upper(), t.start))
        if t.text == "{":
            depth += 1
    return ops


def _main_keyword(op: list[tuple[str, int]]) -> int:
    """Index of the operation's first keyword after its PREFIX/BASE prologue."""
    return next((i for i, (w, _) in enumerate(op) if w not in ("PREFIX", "BASE")), len(op))


def with_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol's dataset as USING clauses.

    >>> with_dataset("INSERT { ?s a <C> } WHERE { ?s ?p ?o }", ["http://g/1"], [])
    'INSERT { ?s a <C> } USING <http://g/1> WHERE { ?s ?p ?o }'
    >>> with_dataset("CLEAR ALL", ["http://g/1"], ["http://g/2"])
    'CLEAR ALL'
    """
    if not using and not using_named:
        return update
    try:
        clause = "".join(f"USING {NamedNode(i)} " for i in using) + \
            "".join(f"USING NAMED {NamedNode(i)} " for i in using_named)
    except ValueError as e:
        raise errors.bad_request(
            f"using-graph-uri / using-named-graph-uri must be absolute IRIs: {e}") from None
    inserts = []
    for op in _operations(update):
        words = [w for w, _ in op]
        if "WITH" in words or "USING" in words:
            raise errors.bad_request(
                "the update has a USING or WITH clause and the request has using-graph-uri / "
                "using-named-graph-uri: give the dataset one way only (SPARQL 1.1 Protocol §2.2.3)")
        i = _main_keyword(op)
        if i >= len(op) or words[i] not in ("INSERT", "DELETE"):
            continue  # CLEAR, DROP, LOAD, CREATE, ADD, MOVE, COPY: no WHERE, no dataset
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt == "DATA":
            continue
        if nxt == "WHERE":
            raise errors.bad_request(
                "DELETE WHERE {…} cannot take using-graph-uri / using-named-graph-uri here: "
                "write it as DELETE {…} WHERE {…}")
        where = next((pos for w, pos in op[i:] if w == "WHERE"), None)
        if where is not None:  # no WHERE: malformed, and pyoxigraph will say so
            inserts.append(where)
    for pos in reversed(inserts):
        update = update[:pos] + clause + update[pos:]
    return update
