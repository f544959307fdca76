"""The dataset description (/dataset) as a portal harvests it: valid DCAT-AP (the
subset of shapes in dcat-ap-subset.shacl.ttl, checked by pySHACL), every
distribution downloadable with the type it announces, the endpoint a working data
service, VoID figures that agree with each other and with data/, and the ontology
and dataset pages readable (a section per term, labels in both languages)."""
from __future__ import annotations

import html
import re
from pathlib import Path

import httpx
import pytest
import rdflib
from pyshacl import validate

from kg import iris
from kg.ontology import ONTOLOGY_FILES
from tests.support.samples import DATA

SHAPES = Path(__file__).with_name("dcat-ap-subset.shacl.ttl")
DCAT = rdflib.Namespace(iris.NS["dcat"])
DCT = rdflib.Namespace(iris.NS["dcterms"])
VOID = rdflib.Namespace(iris.NS["void"])
BP = rdflib.Namespace(iris.BP)
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")


@pytest.fixture(scope="module")
def description(live):
    r = httpx.get(live.url + "/dataset", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    return rdflib.Graph().parse(data=r.text, format="turtle")


def test_dataset_description_is_valid_dcat_ap(description):
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, text = validate(description, shacl_graph=shapes)
    assert conforms, text
    broken = rdflib.Graph() + description  # the shapes bite: a publisher without a name
    broken.remove((None, FOAF.name, None))
    assert not validate(broken, shacl_graph=shapes)[0]


@pytest.mark.slow
def test_every_distribution_downloads_as_announced(live, description):
    dists = list(description.subjects(rdflib.RDF.type, DCAT.Distribution))
    downloads = [d for d in dists if description.value(d, DCAT.downloadURL)]
    assert {str(description.value(d, DCAT.downloadURL)).rsplit("/", 1)[1]
            for d in downloads} == {"dump.nq", "dump.ttl"}
    for d in downloads:
        url = str(description.value(d, DCAT.downloadURL))
        r = httpx.head(url)
        media = str(description.value(d, DCAT.mediaType)).rsplit("media-types/", 1)[1]
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    (service,) = description.subjects(rdflib.RDF.type, DCAT.DataService)
    endpoint = str(description.value(service, DCAT.endpointURL))
    assert httpx.get(endpoint, params={"query": "ASK { ?s ?p ?o }"},
                     headers={"Accept": "text/csv"}).text.strip() == "true"


def test_when_and_where(live, description):
    ds = rdflib.URIRef(iris.base() + "dataset")
    catalog = rdflib.Graph().parse(data=httpx.get(live.url + "/catalog.ttl").text, format="turtle")
    loaded = max(str(t)
                 for t in catalog.objects(None, rdflib.URIRef(iris.NS["prov"] + "generatedAtTime")))
    assert str(description.value(ds, DCT.modified)) == loaded  # when the data last changed
    period = description.value(ds, DCT.temporal)
    start, end = (int(str(description.value(period, DCAT[p]))[:4])
                  for p in ("startDate", "endDate"))
    # data/004 line 1: 2021年部门预算; data/000 line 54: 2026年统计调查资金
    assert (start, end) == (2021, 2026)
    regions = [str(s) for s in description.objects(ds, DCT.spatial)
               if str(s).startswith(iris.base())]
    assert regions and all(httpx.get(live.url + "/" + r[len(iris.base()):]
                                     + ".ttl").status_code == 200 for r in regions)
    assert {k.language for k in description.objects(ds, DCAT.keyword)} == {"zh", "en"}


def test_void_partitions_and_subsets(description):
    ds = rdflib.URIRef(iris.base() + "dataset")
    classes = {description.value(p, VOID["class"]): int(description.value(p, VOID.entities))
               for p in description.objects(ds, VOID.classPartition)}
    assert classes[BP.Disclosure] == len(list(DATA.glob("*.txt")))  # one disclosure per file
    props = [int(description.value(p, VOID.triples))
             for p in description.objects(ds, VOID.propertyPartition)]
    assert sum(props) == int(description.value(ds, VOID.triples))
    assert int(description.value(ds, VOID.properties)) == len(props)
    subsets = set(description.objects(ds, VOID.subset))
    docs = {iris.graph(p.stem) for p in DATA.glob("*.txt")}
    assert {rdflib.URIRef(d) for d in docs} <= subsets
    assert rdflib.URIRef(iris.BP) in set(description.objects(ds, VOID.vocabulary))


def test_ontology_page_has_a_section_per_term_in_both_languages(live):
    page = httpx.get(live.url + "/ontology", headers={"Accept": "text/html"}).text
    onto = rdflib.Graph()
    for f in ONTOLOGY_FILES:
        onto.parse(f, format="turtle")
    sections = dict(re.findall(r'<section id="([^"]+)">(.*?)</section>', page, re.S))
    terms = [t for t in set(onto.subjects(rdflib.RDF.type, rdflib.OWL.Class)) |
             set(onto.subjects(rdflib.RDF.type, rdflib.OWL.ObjectProperty))
             if str(t).startswith(iris.BP)]
    assert len(terms) > 20
    for term in terms:
        section = html.unescape(sections[str(term)[len(iris.BP):]])
        for label in onto.objects(term, rdflib.RDFS.label):
            assert str(label) in section, (term, label)
    assert 'href="/ontology#' in sections["Project"]  # its properties, linked


def test_dataset_page_links_its_graphs_and_downloads(live):
    page = httpx.get(live.url + "/dataset", headers={"Accept": "text/html"}).text
    for p in DATA.glob("*.txt"):
        assert f'href="/graph/{p.stem}"' in page
    assert 'href="http' in page and "/dumps/dump.nq" in page and 'id="classes"' in page
