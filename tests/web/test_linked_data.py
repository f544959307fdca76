"""Linked data over the live server: minted IRIs dereference (HTML, Turtle, JSON-LD,
N-Triples by Accept and by suffix), the dataset description, dumps and ontology."""
from __future__ import annotations

import json

import httpx
import rdflib

from kg import iris
from tests.support.samples import DATA

DOC = "000_ebdfb260618a708a"


def path_of(iri: str) -> str:
    return "/" + iri[len(iris.base()):]


def test_project_dereferences_as_turtle_and_html(live):
    iri = iris.project(DOC, 1)
    r = httpx.get(live.url + path_of(iri), headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["vary"].startswith("Accept")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    label = g.value(rdflib.URIRef(iri), rdflib.RDFS.label)
    assert str(label) == "2026年统计调查资金" and label.language == "zh"  # data/000 line 54
    page = httpx.get(live.url + path_of(iri), headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert "2026年统计调查资金" in page.text and "lines 47–132" in page.text


def test_stable_url_per_format(live):
    iri = iris.directive("保财社", 2025, 87)
    nt = httpx.get(live.url + path_of(iri) + ".nt")
    assert nt.headers["content-type"] == "application/n-triples"
    assert "保财社〔2025〕87号" in nt.text
    jl = httpx.get(live.url + path_of(iri) + ".jsonld")
    assert jl.headers["content-type"] == "application/ld+json" and json.loads(jl.text)


def test_directive_page_links_back_to_what_cites_it(live):
    r = httpx.get(live.url + path_of(iris.directive("保财社", 2025, 87)),
                  headers={"Accept": "text/html"})
    assert r.status_code == 200
    # cited by project 7 of 002 (title, name) among others: linked from
    assert "/doc/002_d83939c0e0da9114/project/7" in r.text


def test_unknown_resource_is_a_404(live):
    r = httpx.get(live.url + "/doc/nothing/here", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "nothing is known" in r.text


def test_dataset_description(live):
    r = httpx.get(live.url + "/dataset", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    VOID = rdflib.Namespace(iris.NS["void"])
    ds = rdflib.URIRef(iris.base() + "dataset")
    assert (ds, VOID.sparqlEndpoint, rdflib.URIRef(live.url + "/sparql")) in g
    assert int(g.value(ds, VOID.triples)) > 30000
    documents = [s for s in g.objects(ds, VOID.subset) if "/graph/" in s]
    assert len(documents) == len(list(DATA.glob("*.txt")))  # one graph per document
    assert g.value(ds, rdflib.URIRef(iris.NS["dcterms"] + "license")) is not None


def test_dumps_and_ontology(live):
    nq = httpx.get(live.url + "/dumps/dump.nq")
    assert nq.status_code == 200 and nq.headers["content-type"] == "application/n-quads"
    assert nq.text.count("\n") > 30000
    onto = httpx.get(live.url + "/ontology", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=onto.text, format="turtle")
    assert (rdflib.URIRef(iris.ONTOLOGY), rdflib.RDF.type, rdflib.OWL.Ontology) in g


def test_unknown_page_is_a_404_page_for_browsers(live):
    r = httpx.get(live.url + "/nosuch", headers={"Accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    r = httpx.delete(live.url + "/sparql")
    assert r.status_code == 405 and r.json()["error"] == "method not allowed"


def test_a_much_linked_page_lists_200_links_and_counts_the_rest(live):
    # every line span of 002 points at its source text (oa:hasSource): hundreds of
    # links; the page lists 200 and offers a query for all of them
    iri = iris.source("002_d83939c0e0da9114")
    inc = httpx.post(live.url + "/sparql",
                     data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p <{iri}> }}"},
                     headers={"Accept": "application/sparql-results+json"}).json()
    total = int(inc["results"]["bindings"][0]["n"]["value"])
    assert total > 200
    page = httpx.get(live.url + path_of(iri), headers={"Accept": "text/html"}).text
    assert f"… {total - 200} more" in page and "/query?query=SELECT" in page
    section = page.split("linked from")[1]
    assert section.count("<tr>") == 201


def test_rdf_views_carry_incoming_links_the_dataset_and_alternates(live):
    directive = iris.directive("保财社", 2025, 87)
    r = httpx.get(live.url + path_of(directive), headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    citing = {str(s) for s in g.subjects(None, rdflib.URIRef(directive))}
    assert iris.project("002_d83939c0e0da9114", 7) in citing  # data/002 project 7 cites it
    VOID = rdflib.Namespace(iris.NS["void"])
    assert (rdflib.URIRef(directive), VOID.inDataset, rdflib.URIRef(iris.base() + "dataset")) in g
    links = r.headers["link"]
    for suffix, media in ((".ttl", "text/turtle"), (".rdf", "application/rdf+xml"),
                          (".html", "text/html")):
        assert f'<{path_of(directive)}{suffix}>; rel="alternate"; type="{media}"' in links


def test_a_shared_goal_text_is_not_empty(live):
    """A /text/ resource says nothing itself: its description is the goals that
    print it (incoming links)."""
    q = {"query": f"SELECT DISTINCT ?t WHERE "
         f"{{ ?g ?p ?t FILTER(STRSTARTS(STR(?t), '{iris.base()}text/')) }} LIMIT 1"}
    text = httpx.get(live.url + "/sparql", params=q, headers={"Accept": "text/csv"}).text.split()[1]
    g = rdflib.Graph().parse(data=httpx.get(live.url + path_of(text) + ".ttl").text,
                             format="turtle")
    assert len(g) > 1 and any(g.subjects(None, rdflib.URIRef(text)))


def test_a_validation_graph_dereferences(writable):
    """A document's validation report (``kg validate --load`` names it
    …/validation/<doc>) is a named graph like the others."""
    from pyoxigraph import Literal, NamedNode, Triple
    server, store = writable  # the graph store refuses writes to report graphs: the store's own
    store.put_graph(iris.base() + "validation/000_x", [Triple(
        NamedNode("urn:r"), NamedNode("http://www.w3.org/ns/shacl#conforms"), Literal(True))])
    r = httpx.get(server.url + "/validation/000_x", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and "urn:r" in r.text
    page = httpx.get(server.url + "/validation/000_x", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'href="/doc/000_x"' in page.text
