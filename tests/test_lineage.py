"""Cross-document lineage on the real store built from data/: the named queries of
issue 5 and `kg lineage`.  Every expected value is read from the documents; the
line numbers in the comments say where."""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest

from kg import cli, iris
from kg.lineage import lineage, render_tree
from kg.pipeline import build
from kg.queries import QueryError
from kg.results import run
from kg.store import open_store
from tests.servers import STORE_KINDS
from tests.support.queries import rows
from tests.support.samples import sample, sample_lines


@pytest.fixture(scope="module", params=STORE_KINDS)
def built_store(request, built_stores):
    """data/ built into each kind of store (embedded first): every test here runs
    on each and must give the same answers."""
    return built_stores(request.param)

D002 = iris.document("002_d83939c0e0da9114")
D004 = iris.document("004_7f173a8bea485c98")


def project(doc: str, n: int) -> str:
    return f"{doc}/project/{n}"


# 保财社〔2025〕87号 in data/002: project 7 is named after it (title line 577, name line
# 584) and its basis cites it (lines 710, 717); project 9, named after 86号, rests one
# indicator on it (basis line 916).
LINEAGE_87 = [
    (project(D002, 7), "named-after", 577), (project(D002, 7), "named-after", 584),
    (project(D002, 7), "basis", 710), (project(D002, 7), "basis", 717),
    (project(D002, 9), "basis", 916),
]


@pytest.mark.parametrize("spelling", [
    "保财社【2025】87号", "保财社〔2025〕87号", "保财社[2025]87", "保财社（２０２５）８７号",
    "保财社 [2025] 87 号", "保财社〔2025〕87号文件", "保财社(2025)87号",
])
def test_directive_lineage_any_spelling(built_store, spelling):
    got = rows(built_store[0], "directive-lineage", number=spelling)
    assert [(r["project"], r["relation"], int(r["line"])) for r in got] == LINEAGE_87
    assert {r["number"] for r in got} == {"保财社〔2025〕87号"}
    assert {r["unitName"] for r in got} == {"保定白沟新城党群工作部"}  # data/002 line 578
    by_line = {int(r["line"]): r for r in got}
    assert by_line[916]["indicatorName"] == "城镇新增就业人数"  # data/002 line 913
    assert by_line[916]["target"] == "2400人"  # data/002 line 915
    assert Decimal(by_line[577]["budget"]) == Decimal("30.00")  # data/002 line 588
    assert Decimal(by_line[916]["budget"]) == Decimal("217.00")  # data/002 line 829


def test_directive_lineage_columns(built_store):
    got = rows(built_store[0], "directive-lineage", number="保财社〔2025〕87号")
    assert {"directive", "number", "project", "document", "unit", "relation", "indicator",
            "line"} <= set(got[0])


def test_one_directive_however_004_spells_it(built_store):
    # data/004 prints 冀财教(2020)181号 in the title (line 741) and 冀财教（2020）181
    # without 号 in seven basis cells (lines 763-805)
    got = rows(built_store[0], "directive-lineage", number="冀财教〔2020〕181号")
    assert [int(r["line"]) for r in got] == [741, 763, 770, 777, 784, 791, 798, 805]
    assert {r["printed"] for r in got} == {"冀财教(2020)181号", "冀财教（2020）181"}
    assert {r["directive"] for r in got} == {iris.directive("冀财教", 2020, 181)}
    assert {r["project"] for r in got} == {project(D004, 8)}


def test_bad_number_is_a_clear_error(built_store):
    with pytest.raises(QueryError, match="must be a document number"):
        run(built_store[0], "directive-lineage", {"number": "87"})


# 保财 (保定市财政局, all divisions) in 000 and 002: 保财建〔2025〕69号 (000 project 22),
# 保财资环〔2026〕4号 (000 project 21), 保财社〔2024〕87号 (002 project 24), 保财社〔2025〕19号
# (project 5), 35号 (2), 40号 (3), 86号 (8, 9), 87号 (7, 9), 保财行〔2025〕12号 (6).
PORTFOLIO = {
    "保财建〔2025〕69号": {("000", 22)}, "保财资环〔2026〕4号": {("000", 21)},
    "保财社〔2024〕87号": {("002", 24)}, "保财社〔2025〕19号": {("002", 5)},
    "保财社〔2025〕35号": {("002", 2)}, "保财社〔2025〕40号": {("002", 3)},
    "保财社〔2025〕86号": {("002", 8), ("002", 9)}, "保财社〔2025〕87号": {("002", 7), ("002", 9)},
    "保财行〔2025〕12号": {("002", 6)},
}


def test_issuer_portfolio(built_store):
    got = rows(built_store[0], "issuer-portfolio", issuer="保财")
    reach: dict[str, set] = {}
    for r in got:
        doc, n = r["project"].split("/doc/")[1].split("/project/")
        reach.setdefault(r["number"], set()).add((doc[:3], int(n)))
    assert reach == PORTFOLIO
    assert {r["issuer"] for r in got} == {"保财"}
    assert all("保定市财政局" in r["agencies"] for r in got)
    # co-issuer printed beside 87号 at data/002 line 710
    assert any("保定市人力资源和社会保障局" in r["agencies"] for r in got
               if r["number"] == "保财社〔2025〕87号")
    budgets = {(r["number"], r["project"]): Decimal(r["budget"]) for r in got}
    assert budgets[("保财社〔2025〕86号", project(D002, 9))] == Decimal("217.00")  # line 829
    assert budgets[("保财社〔2025〕86号", project(D002, 8))] == Decimal("6.00")  # line 740


def test_issuer_prefix_narrows(built_store):
    got = rows(built_store[0], "issuer-portfolio", issuer="保财社")
    assert {r["number"] for r in got} == {k for k in PORTFOLIO if k.startswith("保财社")}


def test_issuers_every_sample_code_is_in_the_registry(built_store):
    got = {r["issuerCode"]: r for r in rows(built_store[0], "issuers")}
    assert set(got) == {"保财社", "冀财教", "保财建", "邢政办发", "冀组明字", "邢市财建",
                        "保财资环",
                        "保财行", "保政发", "邢市财环资", "冀财建", "冀财预", "邢发改环资"}
    assert all(r["agency"] for r in got.values())
    assert (got["冀财教"]["agency"], got["冀财教"]["level"]) == ("河北省财政厅", "province")
    assert (got["保财社"]["agency"], got["保财社"]["directives"]) == ("保定市财政局", "6")


def test_unknown_issuer_code_is_kept_and_listed(tmp_path):
    # the same document with a code no registry row covers: 沧财行 instead of 保财行
    text = sample("002").read_text(encoding="utf-8").replace("保财行【2025】12号",
                                                             "沧财行【2025】12号")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "002_unknown.txt").write_text(text, encoding="utf-8")
    store = open_store(tmp_path / "st")
    build([tmp_path / "in"], store, workers=1)
    got = {r["issuerCode"]: r for r in rows(store, "issuers")}
    assert got["沧财行"]["agency"] == "" and got["沧财行"]["directives"] == "1"
    assert got["保财社"]["agency"] == "保定市财政局"


# data/002: funds named 中央 from 2025: projects 1 (6.16, line 41), 4 (0.56, line 308),
# 5 (10.40, line 397), 24 (1.89, line 2220) and 29 (59.30, line 2672), all carried over
# into the 2026 disclosure.
def test_funding_levels(built_store):
    got = rows(built_store[0], "funding-levels")
    central = [r for r in got if r["level"] == "central" and r["year"] == "2025"]
    assert len(central) == 1
    r = central[0]
    assert (r["levelLabel"], r["unitName"], r["projects"], r["carriedOver"]) == (
        "中央", "保定白沟新城党群工作部", "5", "5")
    assert Decimal(r["budget"]) == Decimal("6.16") + Decimal("0.56") + Decimal("10.40") + \
        Decimal("1.89") + Decimal("59.30")
    # 004 prints no amounts: its rows count projects but no budgets
    r004 = [r for r in got if r["unitName"] == "平乡县发展和改革局"]
    assert r004 and all(r["budgetsPrinted"] == "0" for r in r004)


def test_project_history(built_store):
    got = rows(built_store[0], "project-history")
    series: dict[str, list] = {}
    for r in got:
        series.setdefault(r["key"], []).append((r["project"], r["year"]))
    # data/002: 提前下达2025年中央就业补助资金-保财社【2024】87号 (project 24), 2025年中央就业补助
    # 资金 保财社【2025】19号 (project 5), 2026年中央就业补助资金 保财社【2025】86号 (project 8);
    # project 9 adds （公益性岗位补贴和社会保险补贴）, another purpose
    assert sorted(series["中央就业补助资金"]) == sorted([
        (project(D002, 24), "2025"), (project(D002, 5), "2025"), (project(D002, 8), "2026")])
    # 2025年度… (project 1), 2025年… (4), 2026年度… (6)
    assert {p for p, _ in series["下派选调生到村工作中央财政补助资金"]} == {
        project(D002, 1), project(D002, 4), project(D002, 6)}
    # data/004 project 9 (邢市财环资[2020]64号洁净煤补贴（弥补2019年）（上年结转）) and
    # 25 (洁净煤补贴)
    assert {p for p, _ in series["洁净煤补贴"]} == {project(D004, 9), project(D004, 25)}


# 000's unit goals reuse 001's: 11 word for word, and 目标13 (000 line 28) = 目标10 (001
# line 127) but for the number and the final 。/；.  目标11/12 vs 目标8/9 and the 部门/单位
# safeguards differ in words and are not the same text.
SHARED_000 = [12, 21, 22, 23, 24, 25, 28, 30, 31, 32, 34, 35]
SHARED_001 = [113, 120, 121, 122, 123, 124, 127, 129, 130, 131, 133, 134]


D000 = iris.document("000_ebdfb260618a708a")
D001 = iris.document("001_4e0ae0666194d0d6")


def test_shared_goals(built_store):
    got = rows(built_store[0], "shared-goals")
    # one row per text: the 12 pairs above, each printed once in 000 and once in 001
    assert len(got) == len({r["text"] for r in got}) == 12
    assert {(r["documents"], r["places"], r["firstDocument"]) for r in got} == {("2", "2", D000)}
    # every place of every text, from goal-places: exactly the lines above
    places = [p for r in got for p in rows(built_store[0], "goal-places", text=r["text"])]
    lines = {doc: sorted(int(p["line"]) for p in places if p["document"] == doc)
             for doc in (D000, D001)}
    assert lines == {D000: SHARED_000, D001: SHARED_001}
    assert {p["kind"] for p in places} == {"unit"}


def test_goal_places_from_a_printed_goal(built_store):
    # 000 line 28 prints 目标13 ending in 。; 001 line 127 prints it as 目标10 ending in ；
    printed = sample_lines("000")[27]
    assert printed.startswith("目标13：进一步优化行政审批流程")
    got = rows(built_store[0], "goal-places", text=printed)
    assert [(r["document"], r["line"], r["unitName"], r["printed"][-4:]) for r in got] == [
        (D000, "28", "保定白沟新城改革发展科技局", "下放率。"),  # publisher: 000 line 48
        (D001, "127", "保定白沟新城行政审批局", "下放率；")]  # 001 line 1
    with pytest.raises(QueryError, match="goal as printed"):
        rows(built_store[0], "goal-places", text="保障运转")  # too short to be matched


def test_basis_cross_citations(built_store):
    got = rows(built_store[0], "basis-cross-citations")
    in002 = [(r["project"], r["namedAfter"], r["basisCites"], int(r["line"]))
             for r in got if r["document"] == D002]
    # project 6 is named after 保财行〔2025〕12号 (line 495); its bases cite 冀组明字〔2020〕26号
    # (lines 537-572); project 9 (86号) rests 城镇新增就业人数 on 87号 (line 916)
    assert in002 == [(project(D002, 6), "保财行〔2025〕12号", "冀组明字〔2020〕26号", n)
                     for n in (537, 544, 551, 558, 565, 572)] + [
        (project(D002, 9), "保财社〔2025〕86号", "保财社〔2025〕87号", 916)]
    cats = {(r["document"], r["category"]): r for r in rows(built_store[0], "basis-categories")}
    assert cats[(D002, "policy")]["crossCiting"] == "7"


def test_directives_titles_and_agencies(built_store):
    got = {r["number"]: r for r in rows(built_store[0], "directives")}
    r = got["冀财教〔2020〕181号"]
    # complete at line 741, cut off at 的通 in lines 770-805
    assert r["title"] == "关于提前下达2021年省级支持市县科技创新和科学普及专项资金的通知"
    assert r["titleComplete"] == "true"
    assert (r["agency"], r["level"]) == ("河北省财政厅", "province")
    assert got["邢发改环资〔2020〕55号"]["agency"] == "邢台市发展和改革委员会"


def test_cited_not_loaded_is_every_cited_directive(built_store):
    got = rows(built_store[0], "cited-not-loaded")
    assert len(got) == 2 + 9 + 8  # data/000, 002, 004; no notice itself is loaded
    assert got[0]["number"] == "冀财教〔2020〕181号"  # 8 places in 004, the most cited
    assert got[0]["agency"] == "河北省财政厅"


def test_policy_titles(built_store):
    got = {r["title"]: r for r in rows(built_store[0], "policy-titles")}
    # 《中华人民共和国预算法》 (001 line 4) and 《预算法》 (004 line 4) are one policy
    law = [r for t, r in got.items() if t.endswith("预算法")]
    assert len(law) == 1 and law[0]["documents"] == "2"
    # 004 lines 1786-1828: seven basis cells, line 1807 cut off before 的请示
    r = got["关于建设城市经济综合体（科技创新综合体）的请示"]
    assert r["titleOnlyCitations"] == "7"
    # 002 lines 189 and 278 print the same title beside 35号 and 40号
    same = got["关于预拨2025年省级财政稳就业扩大社会保险补贴范围补助资金的通知"]
    assert sorted(same["numbers"].split()) == ["保财社〔2025〕35号", "保财社〔2025〕40号"]
    # 《平乡县区域节能报告》 (004 line 2619) is a deliverable, not a policy
    assert not any("节能报告" in t for t in got)


def test_lineage_tree(built_store):
    lin = lineage(built_store[0], "保财社[2025]87")
    assert [p.iri for p in lin.projects] == [project(D002, 7), project(D002, 9)]
    assert lin.projects[0].relations == {"named-after": [577, 584], "basis": [710, 717]}
    text = render_tree(lin)
    assert text.startswith("保财社〔2025〕87号  (2 projects in 1 unit)")
    assert "城镇新增就业人数  2400人  (line 916)" in text


def test_kg_lineage_command(built_store, capsys):
    folder = str(built_store[1])
    assert cli.main(["lineage", "保财社【2025】87号", "--store", folder]) == 0
    out = capsys.readouterr().out
    assert "2026年省级就业补助资金 保财社【2025】87号  30万元" in out and "line 577, 584" in out
    # the document by its publisher (002 line 31) and year (002 line 5), then its file
    assert "document 保定白沟新城党群工作部 2026年 " in out and "(002_d83939c0e0da9114)" in out
    assert cli.main(["lineage", "保财社【2025】87号", "--store", folder, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["number"] == "保财社〔2025〕87号" and len(data["projects"]) == 2
    assert cli.main(["lineage", "保财社〔2030〕1号", "--store", folder]) == 1
    assert "no loaded document cites it" in capsys.readouterr().out
    assert cli.main(["lineage", "not-a-number", "--store", folder]) == 2


def test_cli_query_param(built_store, capsys):
    folder = str(built_store[1])
    assert cli.main(["query", "directive-lineage", "--param", "number=保财社【2025】87号",
                     "--store", folder, "--format", "csv"]) == 0
    got = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(got) == len(LINEAGE_87)


def test_a_directive_cited_by_two_documents_gives_no_duplicate_rows(tmp_path):
    """The union default graph repeats a shared node's triples once per document graph
    (pyoxigraph): queries must not multiply rows or sums by it."""
    (tmp_path / "in").mkdir()
    for name in ("002_a.txt", "002_b.txt"):
        (tmp_path / "in" / name).write_bytes(sample("002").read_bytes())
    store = open_store(tmp_path / "st")
    build([tmp_path / "in"], store, workers=1)
    got = rows(store, "directive-lineage", number="保财社〔2025〕87号")
    assert len(got) == 2 * len(LINEAGE_87)
    assert len({tuple(r.values()) for r in got}) == len(got)
    central = [r for r in rows(store, "funding-levels")
               if r["level"] == "central" and r["year"] == "2025"]
    assert [r["projects"] for r in central] == ["10"]  # 5 per copy (see test_funding_levels)
    assert Decimal(central[0]["budget"]) == 2 * Decimal("78.31")
    # shared nodes are described once, however many documents cite them: each
    # directive 002 cites under 保财 is one row, not one per copy
    typed = store.query(f"SELECT ?d WHERE {{ ?d a <{iris.BP}Directive> ; "
                        f"<{iris.BP}issuerCode> ?c FILTER(STRSTARTS(STR(?c), '保财')) }}")
    portfolio = rows(store, "issuer-portfolio", issuer="保财")
    printed = {m.groups() for line in sample_lines("002") for m in re.finditer(
        r"(保财[\u4e00-\u9fff]*?)[【〔\[（(](\d{4})[】〕\]）)](\d+)", line)}
    assert len(printed) == 7  # 保财社 2024/87, 2025/19, 35, 40, 86, 87; 保财行 2025/12
    assert len(list(typed)) == len({r["directive"] for r in portfolio}) == len(printed)
