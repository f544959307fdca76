"""A real SPARQL client against the real ``kg serve``: SPARQLWrapper in every return
format it offers, for every query form, by GET and by POST.  SPARQLWrapper sends its
format name twice (``format=`` and ``output=``) and an Accept header of its own; for
a format a query form cannot take (Turtle for a SELECT) it sends ``*/*`` and reads
whatever type comes back.  The expected values are read from data/000: project 1's
name is printed on line 54."""
from __future__ import annotations

import warnings
from xml.dom.minidom import Document

import pytest
import rdflib

from kg import iris
from tests.servers import kg_serve

SW = pytest.importorskip("SPARQLWrapper")

PROJECT = iris.project("000_ebdfb260618a708a", 1)
NAME = "2026年统计调查资金"  # data/000 line 54
LABEL = iris.NS["rdfs"] + "label"
QUERIES = {
    "SELECT": f"SELECT ?name WHERE {{ <{PROJECT}> <{LABEL}> ?name }}",
    "ASK": f'ASK {{ <{PROJECT}> <{LABEL}> "{NAME}"@zh }}',
    "CONSTRUCT": f"CONSTRUCT {{ <{PROJECT}> <{LABEL}> ?name }} WHERE "
    f"{{ <{PROJECT}> <{LABEL}> ?name }}",
    "DESCRIBE": f"DESCRIBE <{PROJECT}>",
}
FORMATS = ["json", "xml", "turtle", "n3", "rdf", "rdf+xml", "csv", "tsv", "json-ld"]


@pytest.fixture(scope="module")
def endpoint(built_store):
    with kg_serve(str(built_store[1])) as (base, _):
        yield base + "/sparql"


def _text(converted) -> str:
    """What a client reads out of SPARQLWrapper's converted result, as text."""
    if isinstance(converted, Document):
        return converted.toxml()
    if isinstance(converted, rdflib.Graph):
        return "\n".join(str(o)
                         for o in converted.objects(rdflib.URIRef(PROJECT), rdflib.RDFS.label))
    if isinstance(converted, bytes):
        return converted.decode("utf-8")
    return str(converted)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("form", list(QUERIES))
def test_sparqlwrapper_every_form_in_every_format(endpoint, form, fmt, method):
    client = SW.SPARQLWrapper(endpoint)
    client.setQuery(QUERIES[form])
    client.setReturnFormat(fmt)
    client.setMethod(method)
    with warnings.catch_warnings():  # it warns when it sends */* for a format a form cannot take
        warnings.simplefilter("ignore", RuntimeWarning)
        result = client.query()
        assert result.response.status == 200
        text = _text(result.convert())
    if form == "ASK":
        assert "true" in text.lower()
    else:
        assert NAME in text
