"""Page details a first visitor notices, over the real pages and a real store: goals
numbered once, no empty sections, one row per validation finding with both
languages, search kinds named alike, documents named by publisher, year and kind."""
from __future__ import annotations

import re

from kg import iris
from kg.store import open_store
from kg.web import pages
from tests.support.cli import kg
from tests.support.live import get
from tests.support.samples import DATA, sample_lines

D002 = "002_d83939c0e0da9114"


def test_goals_are_numbered_once(live):
    page = get(live, f"/doc/{D002}/project/7")
    goals = re.search(r"<ol>(.*?)</ol>", page).group(1)
    items = re.findall(r"<li[^>]*>(.*?)</li>", goals)
    assert items and not any(re.match(r"\d+[ .、]", text) for text in items), items
    # the goal as data/002 prints it under the table's 绩效目标 heading
    assert any(items[0] in line for line in sample_lines("002"))


def test_no_empty_text_not_placed_section(live):
    page = get(live, f"/doc/{D002}")
    # the unplaced table, if shown, has rows: never a header over nothing
    shown = re.search(r'<table id="unplaced">(.*?)</table>', page, re.S)
    assert shown is None or "<td>" in shown.group(1)
    assert "未能归类的文本" not in page or shown is not None


def test_search_kinds_are_named_in_both_languages(live):
    page = get(live, "/search", q="保财社【2025】87号")  # a directive hit and project hits
    kinds = set(re.findall(r"<td>([^<]*)</td></tr>", page))
    assert kinds and kinds <= {"项目 project", "文号 directive", "单位 unit",
                               "文件 document"}, kinds
    assert "Project" not in kinds and "文号 directive" in kinds


def test_documents_are_named_by_publisher_year_and_kind(live):
    # data/001 opens with its publisher and its title "2022年单位预算信息公开", printed as is
    publisher, title = sample_lines("001")[0].strip(), sample_lines("001")[1].strip()
    page = get(live, "/doc/001_4e0ae0666194d0d6")
    assert f"<h1>{publisher} {title}</h1>" in page
    unit = get(live, "/search", q=publisher)  # the unit, and its document by its label
    assert (f'<a href="/doc/001_4e0ae0666194d0d6">{publisher} {title}</a></td>'
            "<td>文件 document</td>") in unit
    unit_path = re.search(r'<a href="(/unit/[^"]+)">' + publisher, unit).group(1)
    assert f">{publisher} {title}</a>" in get(live, unit_path)
    portfolio = get(live, "/issuers/保财社")
    assert "/doc/002_d83939c0e0da9114\">保定白沟新城党群工作部 2026年 绩效目标公开</a>" in portfolio
    assert ">002_d83939c0e0da9114</a>" not in portfolio
    # the unit column filled: data/002 prints "203001保定白沟新城党群工作部（本级）" under
    # its titles
    assert re.search(r'<a href="/unit/[^"]+">保定白沟新城党群工作部</a>', portfolio)


def test_each_finding_is_one_row_with_both_languages(tmp_path):
    store_dir = tmp_path / "s"
    kg("build", DATA, "--store", store_dir, "-q", check=True)
    kg("validate", "--store", store_dir, "--load")
    store = open_store(store_dir, read_only=True)
    shown = []
    for doc in ("000_ebdfb260618a708a", "001_4e0ae0666194d0d6", D002, "004_7f173a8bea485c98"):
        html = pages.summary(store, iris.document(doc), {iris.BP + "Disclosure"}, iris.base())
        section = html.split("<h2>校验结果 validation findings</h2>", 1)[1]
        shown += re.findall(r"<tr><td>(\w+)</td><td>(.*?)</td><td>(.*?)</td></tr>", section)
    results = store.query("PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT (COUNT(DISTINCT ?r) AS "
                          "?n) WHERE { GRAPH ?g { ?r sh:focusNode ?f } }")
    assert len(shown) == int(next(iter(results))["n"].value) > 0
    assert len(set(shown)) == len(shown)
    with_both = [m for _, m, _ in shown if " / " in m]
    assert with_both and all(re.search(r"[\u4e00-\u9fff]", m.split(" / ")[0]) for m in with_both)


def test_query_page_names_documents_by_label(live):
    page = get(live, "/query", query="PREFIX bp: <https://w3id.org/bpkg/ontology#> "
               "SELECT ?d WHERE { ?d a bp:Disclosure } ORDER BY ?d")
    publisher, title = sample_lines("001")[0].strip(), sample_lines("001")[1].strip()
    assert re.search(f'<a href="/doc/001_4e0ae0666194d0d6"[^>]*>{publisher} {title}</a>', page)
