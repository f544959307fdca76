"""The W3C service-description tests (tests/w3c/service-description/manifest.ttl):
a GET on the endpoint returns RDF, with an sd:endpoint triple naming the endpoint's
real URL, shaped as the Service Description vocabulary describes."""
from __future__ import annotations

from pathlib import Path

import httpx
import rdflib

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
MANIFEST = Path(__file__).resolve().parent.parent / "w3c" / "service-description" / "manifest.ttl"


def description(live) -> rdflib.Graph:
    r = httpx.get(live.url + "/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=r.text, format="turtle")


def test_manifest_names_the_three_tests():
    text = MANIFEST.read_text(encoding="utf-8")
    for name in ("GET on endpoint returns RDF", "contains a matching sd:endpoint triple",
                 "conforms to schema"):
        assert name in text


def test_get_on_endpoint_returns_rdf_with_a_matching_endpoint(live):
    g = description(live)
    endpoint = rdflib.URIRef(live.url + "/sparql")
    assert (None, SD.endpoint, endpoint) in g


def test_description_conforms_to_the_vocabulary(live):
    g = description(live)
    (service,) = g.subjects(rdflib.RDF.type, SD.Service)
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    # read-only: Update is not offered
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g
    assert len(set(g.objects(service, SD.resultFormat))) >= 4
    dataset = g.value(service, SD.defaultDataset)
    assert (dataset, rdflib.RDF.type, SD.Dataset) in g
    names = {str(g.value(n, SD.name)) for n in g.objects(dataset, SD.namedGraph)}
    assert any(n.endswith("/graph/001_4e0ae0666194d0d6") for n in names)


def test_a_writable_endpoint_advertises_update(writable):
    server, _store = writable
    g = description(server)
    (service,) = g.subjects(rdflib.RDF.type, SD.Service)
    assert {SD.SPARQL11Query, SD.SPARQL11Update} <= set(g.objects(service, SD.supportedLanguage))
