"""A portal's crawl of the live server: every IRI in the sample store that this
server mints (under the base), every concept IRI and every named graph dereferences
(Turtle naming the IRI, and an HTML page for one of each kind); every ontology term
is an anchor of /ontology.  The IRIs are read from the store, so a new kind of IRI
is crawled without changing this test."""
from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import unquote

import httpx
import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from kg import iris


def minted(store) -> set[str]:
    found = set()
    for q in store.quads():
        for t in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(t, NamedNode) and t.value.startswith((iris.base(), iris.BPC, iris.BP)):
                found.add(t.value)
    return found


def local(iri: str) -> str:
    if iri.startswith(iris.BPC):
        return "/concept/" + iri[len(iris.BPC):]
    return "/" + iri[len(iris.base()):]


@pytest.fixture(scope="module")
def crawl(built_store):
    everything = minted(built_store[0])
    # a hash IRI (a line range of a source text, …/source/x#line=3,5) is dereferenced
    # as its document, as a client does
    return sorted({i.split("#")[0] for i in everything if not i.startswith(iris.BP)}), \
        sorted(i[len(iris.BP):] for i in everything if i.startswith(iris.BP))


@pytest.mark.slow
def test_every_minted_iri_dereferences(live, crawl):
    resources, _ = crawl
    assert len(resources) > 1000
    failed = []
    with httpx.Client(base_url=live.url, headers={"Accept": "text/turtle"}, timeout=30) as client:
        for iri in resources:
            r = client.get(local(iri))
            if r.status_code != 200:
                failed.append((iri, r.status_code))
                continue
            triples = list(parse(r.content, format=RdfFormat.TURTLE, base_iri=iri))
            if not any(NamedNode(iri) in (t.subject, t.object) for t in triples):
                failed.append((iri, "not named in its own description"))
    assert not failed, failed[:20]


def test_one_page_of_each_kind_for_browsers(live, crawl):
    resources, _ = crawl
    kinds = defaultdict(list)
    for iri in resources:
        kinds[re.sub(r"^(/[^/]+).*", r"\1", local(iri))].append(iri)
    assert {"/doc", "/source", "/graph", "/catalog", "/shared", "/registry", "/concept",
            "/directive", "/unit", "/text"} <= set(kinds)
    for kind, found in kinds.items():
        r = httpx.get(live.url + local(found[0]), headers={"Accept": "text/html"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), kind
        assert 'rel="alternate"' in r.text and "text/turtle" in r.headers["link"]


def test_every_ontology_term_is_an_anchor(live, crawl):
    _, terms = crawl
    page = httpx.get(live.url + "/ontology", headers={"Accept": "text/html"}).text
    anchors = set(re.findall(r'id="([^"]+)"', page))
    assert terms and not [t for t in terms if unquote(t) not in anchors]


@pytest.mark.parametrize("path", ["/ontology/nothing", "/ontology.xyz", "/dataset/x", "/datasetfoo",
                                  "/graph/nothing", "/catalogue", "/shared/none", "/concept/none"])
def test_unknown_paths_are_404(live, path):
    assert httpx.get(live.url + path, headers={"Accept": "text/turtle"}).status_code == 404
