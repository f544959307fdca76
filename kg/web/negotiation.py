"""Content negotiation, one function for results, RDF and pages: Accept header with
q-values and wildcards, or a ``format`` parameter for clients that cannot set
headers.  No acceptable offer is a 406, never a silent default."""
from __future__ import annotations

from .errors import not_acceptable

# format parameter value → media type
FORMAT_ALIASES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples",
    "ntriples": "application/n-triples", "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml", "html": "text/html",
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
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q, i))
    out.sort(key=lambda t: (-t[1], t[2]))
    return [(m, q) for m, q, _ in out]


def _matches(pattern: str, offer: str) -> bool:
    if pattern == "*/*":
        return True
    if pattern.endswith("/*"):
        return offer.split("/")[0] == pattern[:-2]
    return pattern == offer


def negotiate(accept: str | None, offers: list[str], fmt: str | None = None) -> str:
    """The offer to send; the first offer wins a wildcard.

    >>> negotiate("*/*", ["application/sparql-results+json", "text/csv"])
    'application/sparql-results+json'
    >>> negotiate("text/*;q=0.9, application/xml;q=0.1", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    """
    if fmt:
        wanted = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if wanted in offers:
            return wanted
        raise not_acceptable(f"format {fmt!r} is not offered here; offered: {', '.join(offers)}")
    for pattern, q in parse_accept(accept):
        if q <= 0:
            continue
        for offer in offers:
            if _matches(pattern, offer):
                return offer
    raise not_acceptable(f"none of the accepted types ({accept}) is offered; "
                         f"offered: {', '.join(offers)}")
