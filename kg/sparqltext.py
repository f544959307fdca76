"""The one lexer for SPARQL text: every place that inspects or rewrites a query or
an update (binding named-query parameters, the update dataset, the query's form,
the nesting guard) reads it through ``tokens``, so a string, an IRI or a comment
is never taken for a keyword or a brace in one place and not in another.

Tokens are SPARQL 1.1's terminals, coarsely: what matters here is where strings,
IRIs, comments, variables and prefixed names end.  Every pattern reads a run of
characters once (a text of any shape is read in linear time: the lexer runs on
untrusted text before any size-bound parser).  An IRI is ``IRIREF`` as the
grammar has it (no ``<``, ``>``, space or quote inside), so ``FILTER(1<2)SERVICE<…>``
has a ``SERVICE`` keyword, not one long IRI.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_LEXER = re.compile(r'''
    (?P<comment> \#[^\n\r]* )
  | (?P<string>  """(?:(?:"|"")?(?:[^"\\]|\\.))*"""
               | \'\'\'(?:(?:'|'')?(?:[^'\\]|\\.))*\'\'\'
               | "(?:[^"\\\n\r]|\\.)*" | '(?:[^'\\\n\r]|\\.)*' )
  | (?P<iri>     <[^<>"{}|^`\\\x00-\x20]*> )
  | (?P<var>     [?$]\w+ )
  | (?P<word>    (?:[\w.-]|\\.)+ (?::(?:[\w.:%-]|\\.)*)?   # keywords, numbers, prefixed
               | :(?:[\w.:%-]|\\.)* )                   # names: each run read once
  | (?P<open>    [{(\[] )
  | (?P<close>   [})\]] )
  | (?P<space>   \s+ )
  | (?P<other>   . )
''', re.X | re.S)

_PARTS = re.compile(r"[.-]|[^.-]+")
OPAQUE = ("comment", "string", "iri")  # never read for keywords or braces


class Token(NamedTuple):
    kind: str  # comment string iri var name word open close space other
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """The text's tokens, in order, covering it entirely.

    >>> [t.text for t in tokens('FILTER(1<2)SERVICE<http://x/>{}') if t.kind != "space"]
    ['FILTER', '(', '1', '<', '2', ')', 'SERVICE', '<http://x/>', '{', '}']
    >>> [t.text for t in tokens('?s bp:p.q 1.SERVICE') if t.kind == "word"]
    ['SERVICE']
    """
    for m in _LEXER.finditer(text):
        kind, word = m.lastgroup or "", m.group()
        if kind != "word":
            yield Token(kind, word, m.start())
        elif ":" in word:
            yield Token("name", word, m.start())
        else:  # `?o.SERVICE`, `1.SERVICE`: the dots and dashes end words
            for part in _PARTS.finditer(word):
                bare = part.group()[0].isalpha() or part.group()[0] == "_"
                yield Token("word" if bare else "other", part.group(), m.start() + part.start())


def keywords(text: str) -> Iterator[Token]:
    """The bare words (keywords), outside strings, IRIs, comments and names."""
    return (t for t in tokens(text) if t.kind == "word")


def mask(text: str) -> str:
    """The text with strings, IRIs and comments blanked to spaces of the same
    length, so offsets found in the mask are offsets in the text.

    >>> mask('ASK { <http://a/#x> "}" } # }').split()
    ['ASK', '{', '}']
    """
    return "".join(" " * len(t.text) if t.kind in OPAQUE else t.text for t in tokens(text))


def max_depth(text: str) -> int:
    """The deepest nesting of ``{ ( [`` in the text (what a recursive parser's stack
    grows with).

    >>> max_depth('SELECT * { { ?s ?p "{{{" } FILTER((1)) }')
    3
    """
    depth = deepest = 0
    for t in tokens(text):
        if t.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif t.kind == "close":
            depth = max(depth - 1, 0)
    return deepest
