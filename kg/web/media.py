"""The media types the server reads and writes, built on kg/format_registry.py
(pyoxigraph's own formats: their media types, file extensions and names) with what
only HTTP needs (pages, payloads, suffixes, synonyms), and the one
content-negotiation function for results, RDF and pages.

Negotiation takes the Accept header (parsed by python-mimeparse: q-values,
wildcards, Java's bare ``*``) and the common synonyms clients send
(``application/json``, ``application/xml``, ``text/rdf+n3``), or a
``format``/``output`` parameter for clients that cannot set headers (the names
SPARQLWrapper sends, and each format's file extension).  No acceptable offer is a
406, never a silent default; ``q=0`` excludes a type even when a wildcard would
take it."""
from __future__ import annotations

import mimeparse  # type: ignore[import-untyped]  # the package ships no type hints
from pyoxigraph import RdfFormat

from .. import format_registry
from ..format_registry import (
    JSONLD,
    RDF_FORMATS,
    RDFXML,
    RESULT_FORMATS,
    RESULTS_JSON,
    RESULTS_XML,
    TURTLE,
    bare,
)
from .errors import not_acceptable

__all__ = ["RDF_FORMATS", "RESULT_FORMATS", "bare"]  # the web layer reads them from here

HTML = "text/html"
#: what a Graph Store client may send, by media type (and Turtle's old name)
PAYLOADS: dict[str, RdfFormat] = {
    RdfFormat.TURTLE.media_type: RdfFormat.TURTLE, "application/x-turtle": RdfFormat.TURTLE,
    **{f.media_type: f for f in (RdfFormat.N_TRIPLES, RdfFormat.N3, RdfFormat.RDF_XML,
                                 RdfFormat.JSON_LD)}}
#: linked-data pages: a suffix per representation (``/project/1.ttl``), in the order
#: the ``Link`` header and the pages list them
SUFFIXES: dict[str, str] = {
    **{"." + f.file_extension: f.media_type for f in (RdfFormat.TURTLE, RdfFormat.JSON_LD,
                                                      RdfFormat.N_TRIPLES, RdfFormat.RDF_XML)},
    ".html": HTML}
#: what a linked-data page offers, best first
#: the RDF representations a page links to, by suffix
RDF_SUFFIXES = tuple(s for s, m in SUFFIXES.items() if m != HTML)
PAGE_OFFERS = [HTML] + [m for m in SUFFIXES.values() if m != HTML]
#: the whole-graph dumps, named by file
DUMPS: dict[str, str] = {f"dump.{f.file_extension}": f.media_type
                         for f in (RdfFormat.N_QUADS, RdfFormat.TURTLE)}

# format parameter value → the media types it names, best first: the formats' names
# (kg/format_registry.py) and the pages
FORMAT_NAMES: dict[str, list[str]] = {**format_registry.FORMAT_NAMES, "html": [HTML]}
# media types clients send for one of ours → ours, best first
SYNONYMS: dict[str, list[str]] = {
    "application/json": [RESULTS_JSON, JSONLD, "application/json"],
    "application/xml": [RESULTS_XML, RDFXML], "text/xml": [RESULTS_XML, RDFXML],
    "application/turtle": [TURTLE], "application/x-turtle": [TURTLE],
    "text/n3": [TURTLE], "text/rdf+n3": [TURTLE], "application/n3": [TURTLE],
    "application/x-json+ld": [JSONLD],
}


def split_suffix(path: str) -> tuple[str, str | None]:
    """(the path without a format suffix, the media type the suffix names or None).

    >>> split_suffix("/doc/a/project/1.ttl")
    ('/doc/a/project/1', 'text/turtle')
    """
    for suffix, media in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], media
    return path, None


def alternates(path: str) -> list[tuple[str, str]]:
    """(URL, media type) of each representation of the page at ``path`` (no suffix)."""
    return [(path + suffix, media) for suffix, media in SUFFIXES.items()]


def link_header(path: str) -> str:
    """The HTTP ``Link`` header naming the other representations."""
    return ", ".join(f'<{url}>; rel="alternate"; type="{media}"' for url, media in alternates(path))


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``text/csv;q=0.5, */*;q=0.1`` → [('text/csv', 0.5), ('*/*', 0.1)], best first
    (ties in the order sent); a range that is not a media type is skipped.

    >>> parse_accept("text/csv;q=0.5, application/json, nonsense")
    [('application/json', 1.0), ('text/csv', 0.5)]
    """
    out = []
    for i, part in enumerate((header or "*/*").split(",")):
        if not part.strip():
            continue
        try:
            kind, sub, params = mimeparse.parse_media_range(part)
        except mimeparse.MimeTypeParseException:
            continue
        out.append((f"{kind}/{sub}".lower(), float(params["q"]), i))
    out.sort(key=lambda t: (-t[1], t[2]))
    return [(m, q) for m, q, _ in out]


def _specificity(pattern: str, offer: str) -> int:
    """How closely an Accept range names an offer: 3 exactly, 2 by a synonym, 1 by
    ``type/*``, 0 by ``*/*``; -1 not at all."""
    if pattern == offer:
        return 3
    if offer in SYNONYMS.get(pattern, ()):
        return 2
    if pattern.endswith("/*") and pattern != "*/*":
        return 1 if offer.split("/")[0] == pattern[:-2] else -1
    return 0 if pattern == "*/*" else -1


def _quality(ranges: list[tuple[str, float]], offer: str) -> tuple[float, int]:
    """(q, rank of the range that gave it) by the most specific range naming the offer."""
    best = (-1, 0.0, 0)
    for rank, (pattern, q) in enumerate(ranges):
        s = _specificity(pattern, offer)
        if s > best[0]:
            best = (s, q, rank)
    return (best[1], best[2]) if best[0] >= 0 else (0.0, 0)


def known_format(name: str) -> bool:
    """A ``format`` parameter value this server knows (a name or a media type)."""
    return name.lower() in FORMAT_NAMES or name.lower() in SYNONYMS


def negotiate(accept: str | None, offers: list[str], fmt: str | None = None) -> str:
    """The offer to send: the highest q, then the range the client listed first, then
    the first offer (a wildcard takes the first).  A ``fmt`` parameter wins when it
    names an offer; one naming a known format this answer cannot take (``turtle``
    for a SELECT) leaves the choice to the Accept header.

    >>> negotiate("*/*", ["application/sparql-results+json", "text/csv"])
    'application/sparql-results+json'
    >>> negotiate("text/*;q=0.9, application/xml;q=0.1",
    ...           ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> negotiate("*/*, text/csv;q=0", ["text/csv", "text/turtle"])
    'text/turtle'
    >>> negotiate(None, ["application/sparql-results+json", "application/ld+json"], "json")
    'application/sparql-results+json'
    """
    if fmt:
        name = fmt.lower()
        for wanted in FORMAT_NAMES.get(name) or SYNONYMS.get(name) or [name]:
            if wanted in offers:
                return wanted
        if not known_format(name):
            raise not_acceptable(f"format {fmt!r} is not offered here; "
                                 f"offered: {', '.join(offers)}")
    ranges = parse_accept(accept)
    scored = [(_quality(ranges, offer), i, offer) for i, offer in enumerate(offers)]
    found = [(q, rank, i, offer) for (q, rank), i, offer in scored if q > 0]
    if not found:
        raise not_acceptable(f"none of the accepted types ({accept}) is offered; "
                             f"offered: {', '.join(offers)}")
    return min(found, key=lambda t: (-t[0], t[1], t[2]))[3]


def wants_html(accept: str | None) -> bool:
    """The client's first choice is a page (a browser)."""
    best = parse_accept(accept)
    return bool(best) and best[0][0] in (HTML, "application/xhtml+xml")
