"""Pages people browse, over the live server: home with figures and search, project,
directive, unit and document pages, and the query page."""
from __future__ import annotations

import re

import httpx

from kg import iris
from tests.support.live import HTML, get
from tests.support.samples import ROOT


def path_of(iri: str) -> str:
    return "/" + iri[len(iris.base()):]


def test_home_shows_the_dataset_figures(live):
    page = get(live, "/")
    cells = re.findall(r"<td>(\d+)</td>", page)
    # data/ (counts: tests/extract/test_samples.py): 4 documents, 125 tables, 971
    # indicator rows, 2 + 9 + 8 directives
    assert cells[:4] == ["4", "125", "971", "19"]
    assert 'action="/search"' in page


def test_search_by_document_number_in_any_spelling(live):
    page = get(live, "/search", q="保财社[2025]87号")
    assert path_of(iris.directive("保财社", 2025, 87)) in page


def test_a_directive_found_by_its_number_is_listed_once(live):
    page = get(live, "/search", q="保财社〔2025〕87号")  # its number and its label both match
    assert page.count(f'href="{path_of(iris.directive("保财社", 2025, 87))}"') == 1


def test_search_by_name(live):
    page = get(live, "/search", q="统计调查")
    assert "2026年统计调查资金" in page


def test_project_page(live):
    page = get(live, path_of(iris.project("002_d83939c0e0da9114", 7)))
    assert "2026年省级就业补助资金 保财社【2025】87号" in page and "30" in page  # data/002 584, 588
    assert "城镇新增就业人数" in page and "2400人" in page  # lines 707-709
    assert path_of(iris.directive("保财社", 2025, 87)) in page  # cited directive linked


def test_directive_page_lists_everything_citing_it(live):
    page = get(live, path_of(iris.directive("保财社", 2025, 87)))
    section = page.split("cited by", 1)[1]
    # data/002, read by hand; each links to its span
    for line in ("577", "584", "710", "717", "916"):
        assert f">{line}</a></td>" in section


def test_document_and_unit_pages(live):
    doc = get(live, path_of(iris.document("004_7f173a8bea485c98")))
    assert doc.count("/project/") >= 39 and "validation findings" in doc
    unit = get(live, path_of(iris.unit(None, "303001", "平乡县发展和改革局")))
    assert "综合业务管理(物价)" in unit


def test_query_page_runs_a_named_query(live):
    page = get(live, "/query")
    assert "<textarea" in page and "directives" in page
    query = ("PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?n WHERE { ?d eli:id_local "
             "?n }")
    page = get(live, "/query", query=query)
    assert "19 rows" in page and "冀财教〔2020〕181号" in page and "format=csv" in page
    bad = httpx.get(live.url + "/query", params={"query": "SELEC"}, headers=HTML)
    assert bad.status_code == 400


def test_no_outside_assets(live):
    """Pages load nothing from elsewhere: no external scripts, styles, images or fonts."""
    for path in ("/", "/query", path_of(iris.project("000_ebdfb260618a708a", 1)),
                 path_of(iris.directive("保财社", 2025, 87)),
                 path_of(iris.project("002_d83939c0e0da9114", 9)),
                 "/issuers"):
        page = get(live, path)
        assert not re.search(r'<(script|img|iframe)[^>]*\ssrc=|<link\b(?![^>]*rel="alternate")|'
                             r'@import|url\(', page)


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_sparql_and_queries_in_a_browser_are_pages(live):
    form = httpx.get(live.url + "/sparql", headers=BROWSER, follow_redirects=True)
    assert form.headers["content-type"].startswith("text/html") and "<textarea" in form.text
    listing = httpx.get(live.url + "/queries/", headers=BROWSER)
    assert listing.headers["content-type"].startswith("text/html")
    names = [p.stem for p in (ROOT / "queries").glob("*.rq")]
    assert names and all(f'href="/query?name={n}"' in listing.text for n in names)
    assert httpx.get(live.url + "/queries/").headers["content-type"].startswith("application/json")
    query = f"SELECT ?p WHERE {{ ?p <{iris.NS['rdfs']}label> \"2026年统计调查资金\"@zh }}"
    shown = httpx.get(live.url + "/sparql", params={"query": query}, headers=BROWSER,
                      follow_redirects=True)
    # data/000 line 54
    assert 'id="results"' in shown.text and ">2026年统计调查资金</a>" in shown.text


def test_named_query_page_takes_its_parameters_and_labels_iris(live):
    empty = httpx.get(live.url + "/query", params={"name": "indicators"}, headers=BROWSER)
    assert 'name="document"' in empty.text and 'id="results"' not in empty.text
    doc = iris.document("000_ebdfb260618a708a")
    page = httpx.get(live.url + "/query", params={"name": "indicators", "document": doc},
                     headers=BROWSER).text
    project = path_of(iris.project("000_ebdfb260618a708a", 1))
    assert (f'<a href="{project}" '
            f'title="{iris.project("000_ebdfb260618a708a", 1)}">2026年统计调查资金</a>' in page)
    assert "002_d83939c0e0da9114" not in page.split('id="results"')[1]  # one document only
    redirected = httpx.get(live.url + "/queries/indicators", params={"document": doc},
                           headers=BROWSER)
    assert (redirected.status_code == 303
            and redirected.headers["location"].startswith("/query?name=indicators"))


def test_large_results_are_paged(live):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    page = httpx.get(live.url + "/query", params={"query": query}, headers=BROWSER).text
    results = page.split('id="results"')[1]
    assert results.count("<tr>") == 101 and 'id="next"' in page  # header + 100 rows
    second = httpx.get(live.url + "/query", params={"query": query, "first": 100},
                       headers=BROWSER).text
    assert "第 101–200 行" in second and 'id="previous"' in second
