"""The formats query results and graphs are written in, taken from pyoxigraph's own
(their media types and file extensions), and the short names people and clients
call them by (``csv``, ``json``, ``turtle``: each format's file extension and the
names SPARQLWrapper sends).  The command line (`kg query --format`) reads them from
here, and so does the web layer (kg/web/media.py adds what only HTTP needs)."""
from __future__ import annotations

from pyoxigraph import QueryResultsFormat, RdfFormat


def bare(media_type: str) -> str:
    """A media type without its parameters, lower-cased.

    >>> bare("text/csv; charset=utf-8")
    'text/csv'
    """
    return media_type.split(";")[0].strip().lower()


#: SELECT and ASK results by media type, in the order a wildcard is answered
RESULT_FORMATS: dict[str, QueryResultsFormat] = {
    bare(f.media_type): f for f in (QueryResultsFormat.JSON, QueryResultsFormat.XML,
                                    QueryResultsFormat.CSV, QueryResultsFormat.TSV)}
#: CONSTRUCT / DESCRIBE results and graphs by media type, in the order a wildcard is
#: answered
RDF_FORMATS: dict[str, RdfFormat] = {
    f.media_type: f for f in (RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.JSON_LD,
                              RdfFormat.RDF_XML)}

RESULTS_JSON, RESULTS_XML = (bare(QueryResultsFormat.JSON.media_type),
                             bare(QueryResultsFormat.XML.media_type))
TURTLE, NTRIPLES = RdfFormat.TURTLE.media_type, RdfFormat.N_TRIPLES.media_type
JSONLD, RDFXML = RdfFormat.JSON_LD.media_type, RdfFormat.RDF_XML.media_type

#: a format's name → the media types it names, best first: each format's file
#: extension, and the names SPARQLWrapper sends; ``json`` is SPARQL JSON for a SELECT
#: and JSON-LD for a CONSTRUCT (SPARQLWrapper sends it for both)
FORMAT_NAMES: dict[str, list[str]] = {
    **{f.file_extension: [m] for m, f in RESULT_FORMATS.items()},
    **{f.file_extension: [m] for m, f in RDF_FORMATS.items()},
    "json": [RESULTS_JSON, JSONLD], "xml": [RESULTS_XML, RDFXML],
    "turtle": [TURTLE], "n3": [TURTLE],  # Turtle is N3
    "ntriples": [NTRIPLES], "n-triples": [NTRIPLES], "json-ld": [JSONLD],
    "rdfxml": [RDFXML], "rdf+xml": [RDFXML], "owl": [RDFXML],
}

#: the names `kg query --format` takes for a SELECT or ASK result (besides ``table``)
RESULT_NAMES = ("csv", "tsv", "json", "xml")


def result_format(name: str) -> QueryResultsFormat | None:
    """The results format a name picks (the first results format it names), or None.

    >>> result_format("json").media_type, result_format("turtle")
    ('application/sparql-results+json', None)
    """
    for media in FORMAT_NAMES.get(name.lower(), ()):
        if media in RESULT_FORMATS:
            return RESULT_FORMATS[media]
    return None
