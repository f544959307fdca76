"""Lineage on the site, over the live server: the directive page's diagram and table,
a project page's cited directives, series and fund type.
The expected facts are read from the documents (line numbers of data/002 etc.)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import httpx
import pytest

from kg import iris
from tests.support.samples import sample_lines

from .test_pages import HTML, get, path_of

SVG = "{http://www.w3.org/2000/svg}"
P002 = "002_d83939c0e0da9114"


def svg_of(page: str) -> ET.Element:
    (svg,) = re.findall(r"<svg\b.*?</svg>", page, re.S)
    return ET.fromstring(svg)  # well-formed XML, or this raises


def node_links(svg: ET.Element) -> list[str]:
    return [a.get("href") for a in svg.iter(SVG + "a")]


def table_rows(page: str, ident: str) -> list[list[str]]:
    """The cells of one table as plain text."""
    body = page.split(f'id="{ident}"', 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)][1:]


@pytest.mark.parametrize("spelling",
                         ["保财社〔2025〕87号", "保财社【2025】87号", "保财社[2025]87号"])
def test_directive_page_found_by_any_spelling_shows_the_lineage(live, spelling):
    found = get(live, "/search", q=spelling)
    href = path_of(iris.directive("保财社", 2025, 87))
    assert f'href="{href}"' in found
    page = get(live, href)
    svg = svg_of(page)
    links = node_links(svg)
    # data/002: project 7 is named after it (lines 577, 584) and its indicators cite it
    # (710, 717); project 9 cites it in an indicator basis only (916)
    for project in (7, 9):
        assert path_of(iris.project(P002, project)) in links
    assert path_of(iris.unit("130605", "203001", "保定白沟新城党群工作部")) in links
    lines = sample_lines("002")
    assert "保财社【2025】87号" in lines[915] and "保财社【2025】87号" in lines[709]
    rows = table_rows(page, "lineage-table")
    by_line = {r[-1]: r for r in rows}
    assert set(by_line) == {"577", "584", "710", "717", "916"}
    assert by_line["916"][0].startswith("2026年中央就业补助资金 保财社【2025】86号")
    assert by_line["916"][5] == "城镇新增就业人数" and by_line["916"][6] == "2400人"  # data/002 916
    assert "named after" in by_line["584"][4] and "basis" in by_line["710"][4]
    assert by_line["710"][3] == "30"  # project 7's budget, data/002 588
    # the line links to where it was printed
    assert f'href="{path_of(iris.span(P002, 916, 916))}"' in page
    # the title and the issuers printed beside the number on line 710
    assert "关于提前下达2026年省级就业补助资金预算的通知" in lines[709]
    head = page.split("<h2>", 1)[0]
    assert "关于提前下达2026年省级就业补助资金预算的通知" in head
    assert "保定市财政局" in head and "保定市人力资源和社会保障局" in head


def test_a_cut_title_is_completed_from_another_citation(live):
    lines = sample_lines("004")
    full = "关于提前下达2021年省级支持市县科技创新和科学普及专项资金的通知"
    # cut at the cell edge on 770-805
    assert full in lines[740] and lines[769].endswith("专项资金的通")
    head = get(live, path_of(iris.directive("冀财教", 2020, 181))).split("<h2>", 1)[0]
    assert f"标题 title: {full}</p>" in head
    assert "河北省财政厅" in head and "河北省科学技术厅" in head  # printed beside it on line 741


def test_the_diagram_points_only_at_this_server(live):
    page = get(live, path_of(iris.directive("保财社", 2025, 87)))
    svg = svg_of(page)
    for el in svg.iter():  # (the namespace declaration is not an attribute once parsed)
        for name, value in el.attrib.items():
            assert not re.match(r"\s*(https?:)?//", value), (el.tag, name, value)
            assert "url(" not in value
    assert all(h.startswith(("/", "#")) for h in node_links(svg))
    assert not any(el.tag in (SVG + "image", SVG + "use", SVG + "foreignObject", SVG + "script")
                   for el in svg.iter())
    for href in node_links(svg)[:6]:  # and the links work
        assert httpx.get(live.url + href, headers=HTML).status_code == 200


def test_project_page_shows_the_directives_it_cites_and_how(live):
    page = get(live, path_of(iris.project(P002, 9)))
    lines = sample_lines("002")
    assert "保财社【2025】86号" in lines[824] and "保财社【2025】87号" in lines[915]  # name, basis
    links = node_links(svg_of(page))
    for serial in (86, 87):
        assert path_of(iris.directive("保财社", 2025, serial)) in links
    assert path_of(iris.project(P002, 8)) in links  # 8 is named after 86号 too (line 736)
    assert path_of(iris.project(P002, 7)) in links  # 7 is named after 87号 (line 584)
    rows = table_rows(page, "lineage-table")
    relations = {(r[0], r[1].split(" ", 1)[1]) for r in rows}
    assert ("保财社〔2025〕86号", "named after it") in relations
    assert ("保财社〔2025〕87号", "indicator basis cites it") in relations


def test_project_page_shows_series_and_fund_type(live):
    # data/002 project 6 (line 495) is the 2026 table of 下派选调生到村工作 funds; 1 (line 37)
    # and 4 (line 304) are the same unit's 2025 tables
    lines = sample_lines("002")
    assert ("下派选调生到村工作中央财政补助资金" in lines[36]
            and "下派选调生到村工作中央财政补助资金" in lines[303])
    page = get(live, path_of(iris.project(P002, 6)))
    series = page.split("project series", 1)[1].split("fund type", 1)[0]
    assert path_of(iris.project(P002, 1)) in series and path_of(iris.project(P002, 4)) in series
    # 办公经费: data/002 project 11 (line 1024) and data/000 project 9, another unit
    fund = get(live, path_of(iris.project(P002, 11))).split("fund type", 1)[1]
    assert "办公经费" in lines[1023]
    assert path_of(iris.project("000_ebdfb260618a708a", 9)) in fund
    assert "保定白沟新城改革发展科技局" in fund


def test_every_link_on_the_lineage_pages_dereferences(live):
    """Agencies, series and fund types are minted IRIs too: each link answers 200."""
    for path in (path_of(iris.directive("保财社", 2025, 87)), path_of(iris.project(P002, 6))):
        page = get(live, path)
        hrefs = set(re.findall(r'href="(/(?:agency|series|fund|policy|doc|unit|directive|'
                               r'source)/[^"#]*)"', page))
        assert any(h.startswith(("/agency/", "/series/")) for h in hrefs)
        for href in sorted(hrefs):
            assert httpx.get(live.url + href, headers=HTML).status_code == 200, href


def test_a_long_table_stops_and_links_the_full_csv(live, monkeypatch):
    from kg.web import lineage_pages
    monkeypatch.setattr(lineage_pages, "MAX_TABLE_ROWS", 2)  # the samples' longest table has 7 rows
    page = get(live, path_of(iris.directive("保财社", 2025, 87)))
    assert len(table_rows(page, "lineage-table")) == 2
    (csv,) = re.findall(r'href="(/queries/directive-lineage\?[^"]+)"', page)
    full = httpx.get(live.url + csv.replace("&amp;", "&"))
    # header + 577 584 710 717 916
    assert full.status_code == 200 and full.text.count("\r\n") == 1 + 5
