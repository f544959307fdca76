"""Content negotiation, one function for results, RDF and pages: Accept header with
q-values, wildcards and the common synonyms clients send (``application/json``,
``application/xml``, ``text/rdf+n3``), or a ``format``/``output`` parameter for
clients that cannot set headers.  No acceptable offer is a 406, never a silent
default; ``q=0`` excludes a type even when a wildcard would take it."""
from __future__ import annotations

from .errors import not_acceptable

RESULTS_JSON, RESULTS_XML = "application/sparql-results+json", "application/sparql-results+xml"
JSONLD, RDFXML, TURTLE, NTRIPLES = ("application/ld+json", "application/rdf+xml", "text/turtle",
                                    "application/n-triples")

# format parameter value → the media types it names, best first: ``json`` is SPARQL
# JSON for a SELECT and JSON-LD for a CONSTRUCT (SPARQLWrapper sends it for both)
FORMAT_ALIASES = {
    "json": [RESULTS_JSON, JSONLD], "xml": [RESULTS_XML, RDFXML],
    "csv": ["text/csv"], "tsv": ["text/tab-separated-values"],
    "turtle": [TURTLE], "ttl": [TURTLE], "n3": [TURTLE],  # Turtle is N3
    "nt": [NTRIPLES], "ntriples": [NTRIPLES], "n-triples": [NTRIPLES],
    "jsonld": [JSONLD], "json-ld": [JSONLD],
    "rdf": [RDFXML], "rdfxml": [RDFXML], "rdf+xml": [RDFXML], "owl": [RDFXML],
    "html": ["text/html"],
}
# media types clients send for one of ours → ours, best first
SYNONYMS = {
    "application/json": [RESULTS_JSON, JSONLD, "application/json"],
    "application/xml": [RESULTS_XML, RDFXML], "text/xml": [RESULTS_XML, RDFXML],
    "application/turtle": [TURTLE], "application/x-turtle": [TURTLE],
    "text/n3": [TURTLE], "text/rdf+n3": [TURTLE], "application/n3": [TURTLE],
    "application/x-json+ld": [JSONLD],
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``text/csv;q=0.5, */*;q=0.1`` → [('text/csv', 0.5), ('*/*', 0.1)], best first.

    >>> parse_accept("text/csv;q=0.5, application/json")
    [('application/json', 1.0), ('text/csv', 0.5)]
    """
    out = []
    for i, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = min(max(float(f[2:]), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q, i))
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


def negotiate(accept: str | None, offers: list[str], fmt: str | None = None) -> str:
    """The offer to send: the highest q, then the range the client listed first, then
    the first offer (a wildcard takes the first).  A ``fmt`` parameter wins when it
    names an offer; one naming a known format this answer cannot take (``turtle``
    for a SELECT) leaves the choice to the Accept header.

    >>> negotiate("*/*", ["application/sparql-results+json", "text/csv"])
    'application/sparql-results+json'
    >>> negotiate("text/*;q=0.9, application/xml;q=0.1", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> negotiate("*/*, text/csv;q=0", ["text/csv", "text/turtle"])
    'text/turtle'
    >>> negotiate(None, ["application/sparql-results+json", "application/ld+json"], "json")
    'application/sparql-results+json'
    """
    if fmt:
        named = FORMAT_ALIASES.get(fmt.lower()) or SYNONYMS.get(fmt.lower()) or [fmt.lower()]
        for wanted in named:
            if wanted in offers:
                return wanted
        if fmt.lower() not in FORMAT_ALIASES and fmt.lower() not in SYNONYMS:
            raise not_acceptable(f"format {fmt!r} is not offered here; offered: {', '.join(offers)}")
    ranges = parse_accept(accept)
    scored = [(_quality(ranges, offer), i, offer) for i, offer in enumerate(offers)]
    scored = [(q, rank, i, offer) for (q, rank), i, offer in scored if q > 0]
    if not scored:
        raise not_acceptable(f"none of the accepted types ({accept}) is offered; "
                             f"offered: {', '.join(offers)}")
    return min(scored, key=lambda t: (-t[0], t[1], t[2]))[3]
