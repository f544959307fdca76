"""The lineage diagram as a pure function (diagram → svgtree): well-formed, escaped,
deterministic, and bounded for a directive cited by thousands of projects."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from kg.lineage import IndicatorLink, Lineage, ProjectLink
from kg.web import diagram, svgtree

SVG = "{http://www.w3.org/2000/svg}"
BASE = "http://x/"


def big_lineage(projects: int) -> Lineage:
    """A directive cited by ``projects`` projects in 100 units, three indicators each."""
    out = []
    for k in range(projects):
        p = ProjectLink(f"{BASE}doc/d{k // 50}/project/{k}", f"项目{k}<&>\"'", "12.5",
                        f"{BASE}doc/d{k // 50}",
                        f"{BASE}unit/u{k % 100}", f"单位{k % 100}",
                        {"named-after": [10], "basis": [20, 21, 22]})
        p.indicators = [IndicatorLink(f"{p.iri}/indicator/{i}", f"指标{i}", "≥90%", 20 + i)
                        for i in range(3)]
        out.append(p)
    return Lineage("保财社〔2025〕87号", f"{BASE}directive/x-2025-87", out,
                   [(f"{BASE}doc/other", "mention", 5)])


def kinds(svg: str) -> list[str]:
    return [el.get("class") for el in ET.fromstring(svg).iter() if el.tag in (SVG + "a", SVG + "g")
            and el.get("class") in svgtree.KINDS]


def test_a_popular_directive_is_capped():
    svg = diagram.directive_svg(big_lineage(10_000), BASE)
    found = kinds(svg)
    assert found.count("project") == diagram.MAX_PROJECTS
    assert found.count("indicator") == 3 * diagram.MAX_PROJECTS
    assert f"+{10_000 - diagram.MAX_PROJECTS + 1} " in svg  # the rest, and the one other document
    assert len(svg) < 250_000  # not 10 MB
    height = int(ET.fromstring(svg).get("height"))
    assert height < 200 * svgtree.ROW_H


def test_indicators_under_one_project_are_capped():
    lin = big_lineage(1)
    p = lin.projects[0]
    p.indicators = [IndicatorLink(f"{p.iri}/indicator/{i}", f"指标{i}", "", 20 + i)
                    for i in range(12)]
    found = kinds(diagram.directive_svg(lin, BASE))
    assert found.count("indicator") == diagram.MAX_INDICATORS and found.count("more") == 1


def test_height_grows_with_the_nodes():
    small = ET.fromstring(diagram.directive_svg(big_lineage(2), BASE))
    larger = ET.fromstring(diagram.directive_svg(big_lineage(20), BASE))
    assert int(larger.get("height")) > int(small.get("height"))


def test_text_is_escaped_and_output_deterministic():
    lin = big_lineage(3)
    svg = diagram.directive_svg(lin, BASE)
    assert svg == diagram.directive_svg(big_lineage(3), BASE)
    root = ET.fromstring(svg)  # parses: every <, & and quote was escaped
    titles = [t.text for t in root.iter(SVG + "title")]
    assert any(t.startswith("项目0<&>\"'") for t in titles)  # the full name in the tooltip
    assert "<&>" not in svg


def test_links_stay_on_this_server():
    lin = big_lineage(2)
    lin.projects[0].iri = "https://elsewhere.example/p"  # not under the base: drawn, not linked
    root = ET.fromstring(diagram.directive_svg(lin, BASE))
    hrefs = [a.get("href") for a in root.iter(SVG + "a")]
    assert hrefs and all(h.startswith(("/", "#")) for h in hrefs)
    assert "/directive/x-2025-87" in hrefs and "/doc/d0/project/1" in hrefs


def test_project_diagram_has_directives_left_and_indicators_right():
    lin = big_lineage(3)
    me = lin.projects[1]
    svg = diagram.project_svg(me.iri, me.name, [lin], BASE)
    root = ET.fromstring(svg)
    x = {a.get("href"): int(a.find(SVG + "rect").get("x")) for a in root.iter(SVG + "a")}
    assert x["/doc/d0/project/0"] < x["/directive/x-2025-87"] < x["/doc/d0/project/1"] \
        < x["/doc/d0/project/1/indicator/0"]
