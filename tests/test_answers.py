"""Answers that are right: named query columns checked against the sample documents
(read from data/), query headers read whole, and the text table aligned on a terminal."""
from __future__ import annotations

import csv
import re
import unicodedata
from decimal import Decimal

from kg import cli, iris
from kg.queries import catalog
from tests.support.labels import expected_labels
from tests.support.queries import rows
from tests.support.samples import sample_lines

D002 = "002_d83939c0e0da9114"
D001 = "001_4e0ae0666194d0d6"


def test_issuer_portfolio_fills_the_unit_and_names_the_document(built_store):
    store = built_store[0]
    got = rows(store, "issuer-portfolio", issuer="保财")
    assert got and all(r["unit"] and r["unitName"] for r in got if r["project"])
    assert all(r["document"] == r["project"].split("/project/")[0] for r in got if r["project"])
    assert not any("/graph/" in r["document"] for r in got)
    # data/002 table 24: the unit line under the title, then the budget
    lines = sample_lines("002")
    title = next(i for i, line in enumerate(lines) if "24.提前下达2025年中央就业补助资金" in line)
    unit_line = lines[title + 1].strip()  # "203001保定白沟新城党群工作部（本级）"
    budget = lines[lines.index("\t预算数", title) + 1].strip()
    (row,) = [r for r in got if r["number"] == "保财社〔2024〕87号"]
    assert row["document"] == iris.document(D002)
    assert unit_line.startswith("203001" + row["unitName"])
    assert Decimal(row["budget"]) == Decimal(budget)


def test_wrapped_header_lines_that_look_like_keys_are_kept():
    queries = catalog()
    def text(name):
        return (queries[name].path.read_text(encoding="utf-8"))
    # each description ends with the last wrapped line of its header, whatever it starts with
    assert "its reach: directives, the projects citing them, documents and units." in \
        queries["issuers"].description
    assert "number: one row per text" in queries["shared-goals"].description
    assert queries["directive-lineage"].params[0].help == "a document number in any spelling"
    for name, q in queries.items():
        header = [line for line in text(name).splitlines() if line.startswith("#")]
        last_wrapped = [line[1:].strip() for line in header if line.startswith("#   ")]
        for piece in last_wrapped:
            assert any(piece in v for values in q.meta.values() for v in values), (name, piece)


def display_width(text: str) -> int:
    return sum(1 + (unicodedata.east_asian_width(c) in "WF") for c in text)


def test_table_aligns_chinese_by_display_width(built_store, capsys):
    store = built_store[1]
    assert cli.main(["query", "issuer-portfolio", "--param", "issuer=保财社",
                     "--store", str(store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rule, body = lines[0], lines[1], lines[2:-1]
    starts = [i for i, c in enumerate(rule) if c == "-" and (i == 0 or rule[i - 1] == " ")]
    column = starts[header.split().index("project")]  # after number and agencies: Chinese
    for line in body:
        cut = next(i for i in range(len(line) + 1) if display_width(line[:i]) >= column)
        assert display_width(line[:cut]) == column and line[cut:].startswith("https://"), line


def test_help_opens_with_what_kg_does(capsys):
    import pytest
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    first = out.split("\n\n")[1]  # after the usage line
    assert first.startswith("Read Chinese budget performance disclosures into a knowledge graph")
    assert "module" not in out and "exit codes: 0 ok" in out


# Every column of one row of each named query, against what data/002 prints.  A
# project table of data/002 opens with "N.<name>绩效目标表" (project 7: line 577), then
# the unit line (578), 项目编码 and the code (581-582), 项目名称 and the name (583-584),
# 预算数 (587-588), 财政资金 (589-590) and 其他资金 (591-592).

def project_table(n: int) -> dict:
    """The fields printed at the head of project table ``n`` of data/002."""
    lines = sample_lines("002")
    title = next(i for i, line in enumerate(lines) if f"]{n}." in line and "绩效目标表" in line)
    def after(label):
        return lines[next(i for i in range(title, len(lines))
                          if lines[i].strip().startswith(label)) + 1].strip()
    return {"title": lines[title].split(f"]{n}.", 1)[1], "line": title + 1,
            "unitLine": lines[title + 1].strip(), "code": after("项目编码"),
            "name": after("项目名称"), "budget": after("预算数"),
            "fiscal": after("其中：财政"), "other": after("其他资金")}


def doc_label() -> str:
    # data/002 prints no title: the unit under its tables and the year (its line 5
    # opens "2026年我局整体绩效目标为"), and the kind's name in the vocabulary
    return expected_labels()[D002]


def test_projects_row_against_data_002(built_store):
    got = rows(built_store[0], "projects")
    t = project_table(7)
    (row,) = [r for r in got if r["project"] == iris.document(D002) + "/project/7"]
    assert row["document"] == iris.document(D002) and row["documentLabel"] == doc_label()
    assert t["unitLine"] == f"{row['unitCode']}{row['unitName']}（本级）"
    assert (row["code"], row["name"]) == (t["code"], t["name"])
    assert row["year"] == "2026"  # the disclosure's year, line 5
    assert Decimal(row["budget"]) == Decimal(t["budget"])
    assert Decimal(row["fiscalFunds"]) == Decimal(t["fiscal"])
    assert row["otherFunds"] == t["other"] == ""  # line 592: a blank cell


def test_indicators_and_lineage_rows_against_data_002(built_store):
    store = built_store[0]
    lines = sample_lines("002")
    # lines 705-710: 效益指标 / 经济效益指标 / 城镇新增就业人数 / its description / 2400人 /
    # the basis, ending in 保财社【2025】87号; the fill-down gives the levels
    level1, level2, level3, description, target, basis = (lines[i].strip() for i in range(704, 710))
    project = iris.document(D002) + "/project/7"
    (ind,) = [r for r in rows(store, "indicators", document=iris.document(D002))
              if r["project"] == project and r["level3"] == level3]
    assert (ind["level1"], ind["level2"], ind["description"], ind["target"], ind["basis"]) == \
        (level1, level2, description, target, basis)
    assert ind["document"] == iris.document(D002) and ind["documentLabel"] == doc_label()
    got = rows(store, "directive-lineage", number="保财社【2025】87号")
    (row,) = [r for r in got if r["line"] == "710"]
    t = project_table(7)
    assert row["directive"] == iris.directive("保财社", 2025, 87)
    assert row["number"] == "保财社〔2025〕87号" and basis.endswith(row["printed"])
    assert row["printed"] == "保财社【2025】87号"
    assert (row["project"], row["projectName"]) == (project, t["name"])
    assert Decimal(row["budget"]) == Decimal(t["budget"])
    assert (row["document"], row["documentLabel"]) == (iris.document(D002), doc_label())
    assert t["unitLine"].startswith("203001" + row["unitName"]) and "/unit/" in row["unit"]
    assert row["relation"] == "basis"
    assert row["indicator"].startswith(project + "/indicator/")
    assert (row["indicatorName"], row["target"]) == (level3, target)
    # every line printing the number in data/ is one place of the lineage, in one document
    printed = [i + 1 for i, line in enumerate(lines) if "保财社【2025】87号" in line]
    assert sorted({int(r["line"]) for r in got}) == printed


def test_directives_row_against_data_002(built_store):
    got = rows(built_store[0], "directives")
    (row,) = [r for r in got if r["number"] == "保财社〔2025〕87号"]
    # data/002 line 710: "保定市财政局 保定市人力资源和社会保障局 关于提前下达2026年省级就业补助
    # 资金预算的通知 保财社【2025】87号"; registry/issuers.csv: 保财 = 保定市财政局, city
    line710 = sample_lines("002")[709].strip()
    assert row["directive"] == iris.directive("保财社", 2025, 87)
    assert (row["issuerCode"], row["year"], row["serial"]) == ("保财社", "2025", "87")
    assert (row["title"] in line710 and row["title"].startswith("关于")
            and row["titleComplete"] == "true")
    assert row["agency"] == line710.split()[0] and row["level"] == "city"
    counted = {prefix: sum("保财社【2025】87号" in line for line in sample_lines(prefix))
               for prefix in ("000", "001", "002", "004")}
    assert int(row["citations"]) == sum(counted.values())
    assert int(row["documents"]) == sum(1 for n in counted.values() if n)


def test_project_history_series_against_data_002(built_store):
    got = [r for r in rows(built_store[0], "project-history")
           if r["key"] == "下派选调生到村工作中央财政补助资金"]
    # data/002 tables 1, 4 and 6 (lines 30, 297, 488) print that project for 2025, 2025, 2026
    tables = {n: project_table(n) for n in (1, 4, 6)}
    assert [r["project"] for r in got] == [iris.document(D002) + f"/project/{n}" for n in tables]
    assert len({r["series"] for r in got}) == 1
    for r, (n, t) in zip(got, tables.items(), strict=False):
        assert r["name"] == t["name"] and r["code"] == t["code"]
        assert t["unitLine"].startswith("203001" + r["unitName"])
        assert r["year"] == t["name"][:4] and Decimal(r["budget"]) == Decimal(t["budget"])
        assert (r["document"], r["documentLabel"]) == (iris.document(D002), doc_label())
        # no other member prints the same code
        assert r["sameCode"] == ("true" if [o for m, o in tables.items()
                                            if m != n and o["code"] == t["code"]] else "false")


def test_funding_levels_against_data_002_titles(built_store):
    # each table title of data/002 names the level of its funds (中央/省级…) and the year
    lines = sample_lines("002")
    numbers = [int(line.split("]", 1)[1].split(".", 1)[0]) for line in lines
               if line.startswith("[bookmark") and line.endswith("绩效目标表")
               and line.split("]", 1)[1].split(".", 1)[0].isdigit()]
    tables = [project_table(n) for n in numbers]
    levels = {"中央": "central", "省级": "provincial"}
    got = rows(built_store[0], "funding-levels")
    for word, level in levels.items():
        for year in ("2025", "2026"):
            mine = [t for t in tables if word in t["name"] and year + "年" in t["name"]]
            (row,) = [r for r in got if r["level"] == level and r["year"] == year
                      and r["unitName"] == "保定白沟新城党群工作部"]
            assert row["levelLabel"] == word
            assert int(row["projects"]) == int(row["budgetsPrinted"]) == len(mine)
            assert Decimal(row["budget"]) == sum(Decimal(t["budget"]) for t in mine)
            # funds of 2025 in a 2026 disclosure are carried over
            assert int(row["carriedOver"]) == (len(mine) if year == "2025" else 0)


def test_policy_titles_row_against_the_samples(built_store):
    got = rows(built_store[0], "policy-titles")
    (row,) = [r for r in got if r["title"] == "中华人民共和国预算法"]
    # data/001 line 4 prints 《中华人民共和国预算法》, data/004 line 4 《预算法》: one policy
    # (中华人民共和国 does not count), cited by title alone, no number beside it
    assert "《中华人民共和国预算法》" in sample_lines("001")[3]
    assert "《预算法》" in sample_lines("004")[3]
    # one IRI for both printings: the title without 中华人民共和国 and the 《》
    assert row["policy"] == iris.policy("预算法")
    assert row["numbers"] == "" and row["titleOnlyCitations"] == "2" and row["documents"] == "2"


NUMBER_OF = r"{code}[【〔\[（(]?(\d{{4}})[】〕\]）)]?(\d+)"


def project_sections(prefix: str) -> list[list[str]]:
    """The lines of each project table of a sample, from its title line
    ("N.<name>绩效目标表") to the next one."""
    lines = sample_lines(prefix)
    starts = [i for i, line in enumerate(lines)
              if line.startswith("[bookmark") and re.search(r"\]\d+\..*绩效目标表", line)]
    return [lines[a:b] for a, b in zip(starts, starts[1:] + [len(lines)], strict=False)]


def test_issuers_row_against_the_samples(built_store):
    (row,) = [r for r in rows(built_store[0], "issuers") if r["issuerCode"] == "保财社"]
    pattern = re.compile(NUMBER_OF.format(code="保财社"))
    samples = ("000", "001", "002", "004")
    printed = {p: {m for line in sample_lines(p) for m in pattern.findall(line)} for p in samples}
    citing = [s for p in samples for s in project_sections(p)
              if any(pattern.search(line) for line in s)]
    # registry/issuers.csv line 10: 保财社 = 保定市财政局, 保定市, city
    assert (row["agency"], row["level"], row["place"]) == ("保定市财政局", "city", "保定市")
    assert int(row["directives"]) == len(set().union(*printed.values()))
    assert int(row["documents"]) == sum(1 for found in printed.values() if found)
    assert int(row["projects"]) == len(citing)
    assert int(row["units"]) == len({s[1].strip() for s in citing})  # the unit line


def test_basis_cross_citations_row_against_data_002(built_store):
    got = rows(built_store[0], "basis-cross-citations")
    (row,) = [r for r in got if r["line"] == "537"]
    lines = sample_lines("002")
    # line 488: "6.2026年度下派选调生到村工作中央财政补助资金 保财行【2025】12号绩效目标表"
    t = project_table(6)
    project = iris.document(D002) + "/project/6"
    assert (row["document"], row["documentLabel"]) == (iris.document(D002), doc_label())
    assert (row["project"], row["projectName"]) == (project, t["name"])
    assert row["namedAfter"] == "保财行〔2025〕12号" and "保财行【2025】12号" in t["title"]
    # lines 532-537: the first indicator row, its basis citing 冀组明字【2020】26号
    assert row["indicator"] == project + "/indicator/1"
    assert row["indicatorName"] == lines[533].strip()
    assert (row["basis"] == lines[536].strip()
            and lines[536].strip().endswith("冀组明字【2020】26号"))
    assert row["basisCites"] == "冀组明字〔2020〕26号"


def test_goal_places_and_shared_goals_rows_against_data_000_and_001(built_store):
    store = built_store[0]
    # data/000 line 28 "目标13：进一步优化行政审批流程…行政审批取消下放率。" and data/001
    # line 127 "目标10：…行政审批取消下放率；" print one goal; the unit under 000's first
    # table (line 48) and 001's publisher (line 1) publish them
    places = {p: next((i + 1, line) for i, line in enumerate(sample_lines(p))
                      if line.startswith("目标") and "行政审批取消下放率" in line)
              for p in ("000", "001")}
    assert [n for n, _ in places.values()] == [28, 127]
    keys = {"000": "000_ebdfb260618a708a", "001": D001}
    units = {"000": sample_lines("000")[47].strip()[6:].removesuffix("（本级）"),
             "001": sample_lines("001")[0].strip()}
    labels = {p: expected_labels()[keys[p]] for p in keys}
    got = rows(store, "goal-places", text=places["000"][1])
    assert [r["document"] for r in got] == [iris.document(keys[p]) for p in places]
    assert len({r["text"] for r in got}) == 1 and "/text/" in got[0]["text"]
    for r, (p, (n, line)) in zip(got, places.items(), strict=False):
        assert r["documentLabel"] == labels[p] and r["unitName"] == units[p]
        assert "/unit/" in r["unit"] and r["kind"] == "unit"
        assert r["goal"].startswith(iris.document(keys[p]) + "/goal/")
        assert r["printed"] == line.split("：", 1)[1] and r["line"] == str(n)
    (shared,) = [r for r in rows(store, "shared-goals") if r["text"] == got[0]["text"]]
    assert (shared["documents"], shared["places"]) == ("2", "2")
    assert shared["firstDocument"] == iris.document(keys["000"])
    assert shared["firstDocumentLabel"] == labels["000"]
    assert shared["printed"] == min(line.split("：", 1)[1] for _, line in places.values())


def test_basis_categories_citing_counts_against_data_002(built_store):
    # a basis cell is the last cell of an indicator row (the line before a blank one,
    # after the 指标值确定依据 header of each project table); it cites a directive when it
    # prints a number (data/002 lines 189, 278, 537-572, 710, 717, 916, 1998), and cites
    # another than the project's when the table title names a different one
    number = re.compile(r"[\u4e00-\u9fff]{2,6}[【〔\[]\d{4}[】〕\]]\d+")
    citing = crossing = 0
    for section in project_sections("002"):
        named = set(number.findall(section[0]))
        if "\t指标值确定依据" not in section:
            continue
        head = section.index("\t指标值确定依据")
        for line, after in zip(section[head + 1:], section[head + 2:], strict=False):
            if line.startswith("\t") and not after.strip() and number.search(line):
                citing += 1
                crossing += bool(named and set(number.findall(line)) - named)
    got = [r for r in rows(built_store[0], "basis-categories")
           if r["document"] == iris.document(D002)]
    (policy,) = [r for r in got if r["category"] == "policy"]
    assert policy["categoryLabel"] == "政策文件" and policy["documentLabel"] == doc_label()
    assert int(policy["citing"]) == citing and int(policy["crossCiting"]) == crossing
    # policy bases printed without a number: a management method (002 line 1272, 1984)
    # and a 《…方案》 (line 2539); 政策落实目标 (line 2628) is a target, a plan basis
    lines = sample_lines("002")
    unnumbered = [lines[n - 1].strip() for n in (1272, 1984, 2539)]
    assert (unnumbered[0] == "参照财政资金管理方法及相关财务制度"
            and unnumbered[1] == "保定市财政专项资金管理方法")
    assert unnumbered[2].startswith("《保定市城乡居民意外伤害")
    assert lines[2627].strip() == "政策落实目标"
    assert not any(number.search(t) for t in unnumbered)
    assert int(policy["indicators"]) == citing + len(unnumbered)
    assert all(r["citing"] == "0" for r in got if r["category"] != "policy")


def test_agencies_row_against_the_registry_and_samples(built_store):
    from kg.ontology import REGISTRY_DIR
    with open(REGISTRY_DIR / "issuers.csv", encoding="utf-8") as f:
        registry = [r for r in csv.DictReader(f) if r["agency"] == "保定市财政局"]
    (row,) = [r for r in rows(built_store[0], "agencies") if r["agencyName"] == "保定市财政局"]
    assert row["prefixes"].split() == sorted(r["prefix"] for r in registry)
    assert (row["place"], row["level"]) == (registry[0]["place"], registry[0]["level"])
    assert row["agency"] == iris.agency("保财")  # the shortest prefix names the agency
    # every 保财… number printed in the samples (保财社【2025】87号, 保财建[2025]69号…)
    printed = {m for p in ("000", "001", "002", "004") for line in sample_lines(p)
               for m in re.findall(r"(保财[\u4e00-\u9fff]*?)[【〔\[（(](\d{4})[】〕\]）)](\d+)",
                                   line)}
    assert int(row["directives"]) == len(printed)
