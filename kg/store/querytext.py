"""SPARQL query text: its form, and named-query parameters bound as a ``VALUES``
block.  Both stores bind parameters this way: a server has no other, and pyoxigraph
plans a query before it applies its own substitutions, so a parameter given as a
substitution is joined in after the patterns are evaluated (one document's
`indicators` on a large store: seconds substituted, milliseconds with ``VALUES``).  Terms
are written by pyoxigraph from typed values, never pasted from user text."""
from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode, Variable  # noqa: F401  (NamedNode: doctests)

from ..sparqltext import mask


def bind_values(sparql: str, substitutions: dict) -> str:
    """The query with ``VALUES (?a …) { (term …) }`` first in its outermost group and
    in every subquery that projects one of the variables, as pyoxigraph's substitutions
    reach into subqueries, but known to the planner of either store.  Joining the same one
    row at every level changes no answer; Virtuoso needs it (it joins a language-tagged
    literal from a subquery with an outer VALUES to nothing).  Terms are written by
    pyoxigraph, never pasted from user text.

    >>> bind_values('SELECT ?n WHERE { ?d <p> ?n }', {Variable("n"): Literal("保", language="zh")})
    'SELECT ?n WHERE { VALUES (?n) { ("保"@zh) } ?d <p> ?n }'
    >>> print(bind_values('SELECT ?n ?x { { SELECT ?n (1 AS ?x) { ?d <p> ?n } } }',
    ...                   {Variable("n"): NamedNode("http://a")}))  # doctest: +NORMALIZE_WHITESPACE
    SELECT ?n ?x { VALUES (?n) { (<http://a>) }
                   { SELECT ?n (1 AS ?x) { VALUES (?n) { (<http://a>) } ?d <p> ?n } } }
    """
    pairs = [(var_name(v), t) for v, t in substitutions.items()]
    masked = mask(sparql)
    inserts = {_outer_group(masked): pairs}
    for m in re.finditer(r"\bSELECT\b", masked, re.I):
        if m.start() <= min(inserts):  # the outermost query itself
            continue
        brace = masked.index("{", m.end())
        projection = masked[m.end():brace]
        inner = [(n, t) for n, t in pairs
                 if re.search(r"(^|\s)\*(\s|$)", projection) or (
                     re.search(rf"[?$]{re.escape(n)}\b", projection)
                     and not re.search(rf"\bAS\s+[?$]{re.escape(n)}\b", projection, re.I))]
        if inner:
            inserts[brace] = inner
    out = sparql
    for at in sorted(inserts, reverse=True):
        names = " ".join("?" + n for n, _ in inserts[at])
        terms = " ".join(_term(t) for _, t in inserts[at])
        out = out[: at + 1] + f" VALUES ({names}) {{ ({terms}) }}" + out[at + 1:]
    return out


def var_name(v) -> str:
    """A substitution's variable name, from a pyoxigraph ``Variable`` or ``"?name"``."""
    return v.value if isinstance(v, Variable) else str(v).lstrip("?$")


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term(term) -> str:
    """A term in SPARQL syntax, written by pyoxigraph.  A plain string that is not
    ASCII gets its datatype spelled out (the same term in RDF 1.1): Virtuoso reads an
    untyped non-ASCII constant as ``??`` in STR() and in results, while a typed one
    survives but no longer joins with stored strings, which an ASCII one still does
    untyped.  Named-query string parameters are ASCII codes (joined) or Chinese
    text used in expressions (issuer prefixes, searches), so both work.

    >>> _term(Literal("保财")), _term(Literal("13060526P00008610006L"))
    ('"保财"^^<http://www.w3.org/2001/XMLSchema#string>', '"13060526P00008610006L"')
    """
    if isinstance(term, Literal) and not term.language and term.datatype.value == XSD_STRING \
            and not term.value.isascii():
        return f"{term}^^<{XSD_STRING}>"
    return str(term)


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside strings,
    IRIs and comments (``ValueError`` for anything else, e.g. an update).

    >>> query_form('# INSERT this\\nPREFIX a: <http://x/SELECT> ASK { ?s ?p "CONSTRUCT" }')
    'ASK'
    """
    masked = mask(sparql)
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|"
                  r"ADD|MOVE|COPY|WITH)\b", masked, re.I)
    form = m.group(1).upper() if m else ""
    if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        raise SyntaxError("not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)"
                          + (f": {form} is an update" if form else ""))
    return form


def _outer_group(masked: str) -> int:
    """Index of the ``{`` opening the query's WHERE group (a CONSTRUCT's template is
    skipped)."""
    m = re.search(r"\bCONSTRUCT\b", masked, re.I)
    at = masked.index("{")
    if m and not re.match(r"\s*WHERE\b", masked[m.end():], re.I):
        depth = 0
        for i in range(at, len(masked)):  # skip the template to its closing brace
            depth += {"{": 1, "}": -1}.get(masked[i], 0)
            if depth == 0:
                return masked.index("{", i + 1)
    return at
