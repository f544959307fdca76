"""Results written by pyoxigraph's serialisers with the row cap kept: the row count
that the `Sink` keeps as the bytes go by is never below the real one (whatever the
chunk sizes and however nasty the literals), a result of exactly ``max_rows`` rows
is whole and unannounced, one row more is cut and announced, in every format; and
the timeout still holds while a result is being written."""
from __future__ import annotations

import csv
import io
import json
import xml.dom.minidom

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from kg.store import EmbeddedStore
from kg.web import errors, formats
from kg.web.media import RDF_FORMATS, RESULT_FORMATS
from kg.web.sparql import Limits, SparqlRequest, execute

NASTY = ['},{"a":{}}', "{}", "line\nbreak", "cr\r\nlf", "<result>x</result>", "tab\there",
         'quote " and , comma', "中文〔2025〕", ""]


@pytest.fixture(scope="module")
def nasty_store():
    store = EmbeddedStore()
    g = NamedNode("http://example.org/g")
    quads = [Quad(NamedNode(f"http://example.org/s{i}"), NamedNode("http://example.org/p"),
                  Literal(f"{NASTY[i % len(NASTY)]} {i}"), g) for i in range(300)]
    quads += [Quad(BlankNode(f"b{i}"), NamedNode("http://example.org/q"), Literal(str(i)), g)
              for i in range(20)]
    store.store.extend(quads)
    return store


def rows_in(body: bytes, media: str) -> int:
    if media == "application/sparql-results+json":
        return len(json.loads(body)["results"]["bindings"])
    if media == "application/sparql-results+xml":
        return len(xml.dom.minidom.parseString(body).getElementsByTagName("result"))
    if media == "text/csv":
        return len(list(csv.reader(io.StringIO(body.decode(), newline="")))) - 1
    return body.decode().count("\n") - 1  # TSV escapes newlines in values


QUERIES = ["SELECT ?s ?o WHERE { ?s ?p ?o }",
           "SELECT ?none WHERE { ?s ?p ?o } LIMIT 50",  # empty rows
           "SELECT ?s WHERE { ?s ?p ?o FILTER(false) }"]  # no rows


@pytest.mark.parametrize("media", list(RESULT_FORMATS))
@pytest.mark.parametrize("chunk", [1, 2, 5, 8192])
def test_row_bound_is_never_below_the_rows(nasty_store, media, chunk):
    for q in QUERIES:
        body = nasty_store.query(q).serialize(format=RESULT_FORMATS[media])
        sink = formats.Sink(media, 10**9, float("inf"), None)
        for i in range(0, len(body), chunk):
            sink.write(body[i:i + chunk])
        assert sink.body() == body
        assert sink.rows >= rows_in(body, media), (q, media)


@pytest.mark.slow
@pytest.mark.parametrize("media", list(RESULT_FORMATS))
def test_row_bound_is_exact_on_the_real_data(built_store, media):
    q = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    sink = formats.Sink(media, 10**9, float("inf"), None)
    built_store[0].store.query(q).serialize(sink, format=RESULT_FORMATS[media])
    assert sink.rows == rows_in(sink.body(), media) > 30000


@pytest.mark.parametrize("media", list(RESULT_FORMATS))
def test_cap_exactly_reached_is_whole_and_one_more_is_announced(nasty_store, media):
    q = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }"  # 300 rows
    req = SparqlRequest(query=q)
    for cap, truncated in [(300, False), (299, True), (10, True), (100000, False)]:
        got_media, body, headers = execute(nasty_store, req, media, Limits(max_rows=cap))
        assert got_media == media
        assert rows_in(body, media) == min(cap, 300)
        assert ("X-Result-Truncated" in headers) is truncated
        if truncated:
            assert headers["X-Result-Truncated"] == f"true; max_rows={cap}"


def test_timeout_while_writing_is_a_503(built_store):
    req = SparqlRequest(query="SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    with pytest.raises(errors.HTTPProblem) as e:
        execute(built_store[0], req, "text/csv", Limits(timeout=0))
    assert e.value.status == 503


def test_construct_is_written_whole_in_every_rdf_format(built_store):
    q = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> "
         "CONSTRUCT { ?d eli:id_local ?n } WHERE { ?d eli:id_local ?n }")
    for media in RDF_FORMATS:
        got, body, _ = execute(built_store[0], SparqlRequest(query=q), media, Limits())
        assert got == media and "保财社〔2025〕87号".encode() in body


@pytest.mark.parametrize("accept, limits", [("image/png", Limits()),  # 406
                                            ("text/csv", Limits(timeout=0)),  # 503
                                            ("text/csv", Limits(max_rows=5))])  # cut
def test_results_are_dropped_on_the_thread_that_made_them(built_store, accept, limits):
    """pyoxigraph results may only be dropped on their own thread: an error raised in
    the worker thread must not carry one to the event loop in its traceback."""
    import gc
    import sys
    from concurrent.futures import ThreadPoolExecutor

    caught = []
    old, sys.unraisablehook = sys.unraisablehook, caught.append
    try:
        req = SparqlRequest(query="SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
        with ThreadPoolExecutor(1) as pool:
            future = pool.submit(execute, built_store[0], req, accept, limits)
            error = future.exception()  # handed over, then dropped here, as the app does
        del future, error
        gc.collect()
    finally:
        sys.unraisablehook = old
    assert not [u for u in caught if "unsendable" in str(u.exc_value)]
