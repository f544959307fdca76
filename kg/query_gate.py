"""The one gate every query and update passes before the engine sees it: the web
routes (``/sparql``, ``/query``, ``/queries/…``, updates) and ``kg query`` call
``check``.

Two things are refused:

- a text too long or nested too deep (settings ``max_query_kb``,
  ``max_query_depth``): pyoxigraph's parser recurses once per ``{ ( [`` and a
  few thousand levels overflow its stack, which kills the whole process, so the
  depth is counted with the project's lexer before any parser runs;
- ``SERVICE`` in a query or an update and ``LOAD`` in an update (setting
  ``allow_service``): both make the server fetch a URL for whoever asks.  The
  decision is taken on the parse tree of rdflib's SPARQL parser, never on a pattern
  over the text; a text rdflib cannot parse (syntax it does not know, which
  pyoxigraph may) is refused if its tokens hold ``SERVICE`` or ``LOAD`` as a
  keyword, the same tokens the engine's lexer would see.
"""
from __future__ import annotations

import sys
import threading
from functools import lru_cache

from . import config
from .errors import KgError
from .sparqltext import keywords, max_depth

_PARSER_STACK = 256 * 1024 * 1024  # rdflib's parser recurses ~40 frames per nesting level
_PARSER_RECURSION = 20000
_stack_lock = threading.Lock()


class QueryRefused(KgError):
    """A query or update the endpoint will not run; ``status`` is its HTTP status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def check(text: str, update: bool = False, allow_service: bool | None = None,
          max_kb: int | None = None, depth: int | None = None) -> None:
    """Raise QueryRefused unless ``text`` may be parsed and run; unset arguments come
    from the settings."""
    check_shape(text, max_kb, depth)
    if allow_service is None:
        allow_service = bool(config.get("allow_service"))
    if not allow_service:
        fetches = network_operations(text, update)
        if fetches:
            raise QueryRefused(403, f"the text uses {' and '.join(sorted(fetches))}: SERVICE and "
                               "LOAD are disabled here, since they make the server fetch URLs "
                               "(setting allow_service)")


def check_shape(text: str, max_kb: int | None = None, depth: int | None = None) -> None:
    """Size and nesting, before any parser sees the text."""
    max_kb = int(config.get("max_query_kb")) if max_kb is None else max_kb
    depth = int(config.get("max_query_depth")) if depth is None else depth
    size = len(text.encode("utf-8"))
    if size > max_kb * 1024:
        raise QueryRefused(400, f"the query is {size} bytes; at most {max_kb} KB are parsed "
                           "(setting max_query_kb)")
    deepest = max_depth(text)
    if deepest > depth:
        raise QueryRefused(400, f"the query nests {{ }}, ( ) or [ ] {deepest} levels deep; at "
                           f"most {depth} are parsed (setting max_query_depth)")


@lru_cache(maxsize=1024)
def network_operations(text: str, update: bool = False) -> frozenset[str]:
    """The operations in the text that fetch URLs: {'SERVICE', 'LOAD'} or fewer.

    >>> sorted(network_operations('SELECT * { FILTER(1<2)SERVICE<http://127.0.0.1:1/>{?s ?p ?o}}'))
    ['SERVICE']
    >>> sorted(network_operations('SELECT * { ?s <http://x/SERVICE> "SERVICE" } # SERVICE'))
    []
    """
    tree = _parse(text, update)
    if tree is None:  # rdflib cannot read it: the engine's keywords decide
        words = {t.text.upper() for t in keywords(text)}
        return frozenset(words & ({"SERVICE", "LOAD"} if update else {"SERVICE"}))
    found = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            found.add("SERVICE")
        elif name == "Load":
            found.add("LOAD")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)
    return frozenset(found)


def _parse(text: str, update: bool):
    """rdflib's parse tree of the text, or None if rdflib cannot parse it.  Run in a
    thread with a large stack: rdflib's parser is recursive Python."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    out: dict = {}

    def parse() -> None:
        try:
            out["tree"] = (parseUpdate if update else parseQuery)(text)
        except Exception:  # its grammar is not the engine's (or too deep for it):
            out["tree"] = None  # the tokens decide

    with _stack_lock:
        old_stack = threading.stack_size(_PARSER_STACK)
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, _PARSER_RECURSION))
        try:
            worker = threading.Thread(target=parse, name="kg-query-gate", daemon=True)
            worker.start()
        finally:
            threading.stack_size(old_stack)
        worker.join()
        sys.setrecursionlimit(old_limit)
    return out.get("tree")
