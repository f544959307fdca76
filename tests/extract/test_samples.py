"""The four samples, checked against facts read by hand from the documents: every
expected value was read from the line of data/ quoted beside it.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

# file: (project tables, indicator rows, distinct 文号), read in data/.  Project tables:
# one 一级指标 header cell each (000 lines 85 to 2470, 001 178 to 3083, 002 67 to 2876,
# 004 155 to 3386).  Indicator rows: the rows under those headers as printed (a
# copy-pasted duplicate and a 涉密 row count, an empty row does not).  文号, the line of
# each one's first printing: 000 lines 1857 and 1948; none in 001; 002 lines 119, 208,
# 386, 488, 537, 577, 729, 1998, 2209; 004 lines 741, 824, 1157, 1415, 2520, 2625, 3126,
# 3232.
COUNTS = {"000": (27, 164, 2), "001": (28, 246, 0), "002": (31, 205, 9), "004": (39, 356, 8)}


@pytest.mark.parametrize("prefix", sorted(COUNTS))
def test_counts_match_the_documents(disclosures, prefix):
    d = disclosures[prefix]
    s = d.summary()
    assert (s["tables"], s["indicator_rows"], s["document_numbers"]) == COUNTS[prefix]


@pytest.mark.parametrize("prefix", sorted(COUNTS))
def test_at_least_99_percent_of_lines_land_in_records(disclosures, prefix):
    d = disclosures[prefix]
    assert d.placed_lines / d.content_lines >= 0.99
    # what did not land is listed, line by line, as Unplaced records
    unplaced = sum(u.span.last - u.span.first + 1 for u in d.unplaced)
    assert unplaced >= d.content_lines - d.placed_lines


def project(d, index):
    (p,) = [p for p in d.projects if p.index == index]
    return p


def test_000_first_project_every_field(disclosures):
    p = project(disclosures["000"], 1)  # data/000 lines 47-132
    assert p.title == "1.2026年统计调查资金绩效目标表" and p.spans["title"].first == 47
    assert (p.unit.code, p.unit.name, p.unit.own_level) == ("303001", "保定白沟新城改革发展科技局",
                                                            True)
    assert p.code == "13060526P00000910004L" and p.spans["code"].first == 52
    assert p.name == "2026年统计调查资金"
    assert p.budget.value == Decimal("24.31") and p.budget.unit == "万元"
    assert p.fiscal.value == Decimal("24.31") and p.other is None
    assert p.purpose == "发放统计调查资金，保障统计工作正常进行"  # line 65, TABs removed
    assert [m.printed for m in p.plan.milestones] == ["", "", "", "24.31"]  # lines 75-78
    assert p.plan.kind == "amount"  # heading says %, the 12月底 value is the budget
    assert [(g.number, g.text)
            for g in p.goals] == [("1", "发放统计调查资金，保障统计工作正常进行")]
    assert len(p.indicators) == 6
    first, second, last = p.indicators[0], p.indicators[1], p.indicators[-1]
    assert (first.level1, first.level2, first.level3, first.description) == (
        "产出指标", "数量指标", "发放次数", "发放统计调查资金次数")
    assert (first.target.comparator, first.target.value, first.target.unit) == (">=", 1, "次")
    assert first.basis.printed == "年度工作计划" and first.basis.category == "计划标准"
    assert (first.span.first, first.span.last) == (92, 97)
    # line 99 is a lone TAB: level 1 is "same as above"
    assert second.level1_printed == "" and second.level1 == "产出指标"
    assert (last.level1, last.level2, last.target.printed, last.basis.printed) == (
        "满意度指标", "服务对象满意度指标", "≥90%", "调查问卷")
    assert p.expenditure_kind == "project" and not p.carried_over


def test_000_classified_project(disclosures):
    p = project(disclosures["000"], 2)  # lines 137-222: anke替代经费, every cell 涉密
    assert p.classified
    assert all(i.classified and i.target.kind == "classified" for i in p.indicators)


def test_000_split_row_is_one_indicator(disclosures):
    p = project(disclosures["000"], 22)  # lines 1993-1996 + 1998-1999
    ind = p.indicators[0]
    assert (ind.level3, ind.target.printed, ind.basis.printed) == (
        "支持购买设计服务数量", "1个", "保财建[2025]69号")
    assert (ind.span.first, ind.span.last) == (1993, 1999)
    assert ind.basis.category == "政策文件"
    assert [c.number.canonical for c in ind_citations(p, "basis")][:1] == ["保财建〔2025〕69号"]


def ind_citations(p, where):
    return [c for c in p.citations if c.where == where]


def test_001_basic_expenditure_table_with_bracketed_code_and_percent_plan(disclosures):
    p = project(disclosures["001"], 1)  # lines 141-236
    assert p.title == "1、人员经费项目绩效目标" and p.name == "人员经费"
    assert p.expenditure_kind == "basic"
    assert p.code_printed == "[13060522Z4VL8Y4T4XYQA]" and p.code == "13060522Z4VL8Y4T4XYQA"
    assert (p.unit.code, p.unit.name, p.unit.own_level) == ("322009", "保定白沟新城行政审批局",
                                                            False)
    assert p.budget.value == Decimal("10.40")
    assert p.plan.kind == "percent"  # 25.00 50.00 75.00 100.00, printed without %
    assert [m.value for m in p.plan.milestones] == [Decimal("25.00"), Decimal("50.00"),
                                                   Decimal("75.00"), Decimal("100.00")]
    assert len(p.indicators) == 7
    assert p.indicators[0].target.printed == "≤1人" and p.indicators[0].basis.printed == ""
    assert p.indicators[3].target.kind == "qualitative"  # 按规定时间发放, line 210


def test_001_shifted_level1_is_kept_as_printed(disclosures):
    p = project(disclosures["001"], 17)  # lines 1883-1952
    fourth, last = p.indicators[3], p.indicators[-1]
    # line 1911-1912: level 1 left empty (so 产出指标 above), level 2 经济效益指标
    assert (fourth.level1, fourth.level2) == ("产出指标", "经济效益指标")
    assert fourth.level2_concept == "economic_benefit" and fourth.level1_concept == "output"
    # line 1946-1947: 满意度指标 printed beside 数量指标
    assert (last.level1_printed, last.level2_printed) == ("满意度指标", "数量指标")


def test_001_sum_of_tables_does_not_reconcile_with_the_stated_total(disclosures):
    d = disclosures["001"]
    # the 预算数 of 001's 28 tables add up to 1501.80; line 39 states 1500
    assert sum(p.budget.value for p in d.projects) == Decimal("1501.80")
    (total,) = [f for f in d.figures if f.section == "expenditure" and f.concept == "total"]
    assert total.amount.value == 1500 and total.span.first == 39


def test_001_three_public_table(disclosures):
    rows = [r for r in disclosures["001"].table_rows if r.table == "three_public"
            and r.role != "header"]
    assert [r.values["item"] for r in rows] == [
        "因公出国经费", "公务用车购置经费", "公务用车运行经费", "公务接待费", "合计"]
    car = rows[2]  # data/001 lines 83-87
    assert (car.values["previous"], car.values["current"], car.values["change"],
            car.values["reason"]) == ("2.7", "2.7", "0", "无增减变动")
    assert car.amounts["current"].value == Decimal("2.7") and car.span.first == 83
    assert rows[-1].role == "total"


def test_001_procurement_table(disclosures):
    rows = [r for r in disclosures["001"].table_rows if r.table == "procurement"
            and r.role != "header"]
    assert len(rows) == 11  # 合计 + ten items, lines 3193-3356
    total, clothes = rows[0], rows[1]
    assert total.role == "total" and total.amounts["total"].value == Decimal("593.1")
    assert (clothes.values["project"], clothes.values["item"], clothes.values["catalogue_code"],
            clothes.values["quantity_unit"], clothes.values["quantity"]) == (
        "服装购置", "货物-被装", "A070301", "套", "17")
    assert clothes.amounts["unit_price"].value == Decimal("0.5")
    assert sum(r.amounts["total"].value for r in rows[1:]) == Decimal("593.1")


def test_001_assets_table(disclosures):
    rows = [r for r in disclosures["001"].table_rows if r.table == "assets" and r.role == "data"]
    assert (rows[0].values["item"], rows[0].amounts["value"].value) == ("资产总额", Decimal("27.7"))
    assert (rows[-1].values["item"], rows[-1].values["quantity"]) == ("4、其他固定资产", "116")


def test_002_amount_plan_and_citation_with_issuers(disclosures):
    d = disclosures["002"]
    p = project(d, 7)  # lines 577-724
    assert p.code == "13060526P00008610006L" and p.budget.value == Decimal("30.00")
    assert [m.printed for m in p.plan.milestones] == ["7.50", "15.00", "22.50", "30.00"]
    assert p.plan.kind == "amount"
    assert len(p.indicators) == 15
    assert p.funding_level == "provincial"
    econ = p.indicators[12]  # line 705-710
    assert econ.level3 == "城镇新增就业人数" and econ.target.value == 2400
    assert econ.basis.category == "政策文件" and econ.spans["basis"].first == 710
    assert econ.basis.citation.issuers == ("保定市财政局", "保定市人力资源和社会保障局")
    assert econ.basis.citation.titles == ("关于提前下达2026年省级就业补助资金预算的通知",)
    wheres = {(c.where, c.span.first) for c in p.citations
              if c.number.canonical == "保财社〔2025〕87号"}
    assert {("title", 577), ("name", 584), ("basis", 710), ("basis", 717)} <= wheres


def test_002_goals_continued_after_blank_lines_and_carried_over_code(disclosures):
    p = project(disclosures["002"], 5)  # lines 386-483
    assert [g.number for g in p.goals] == ["1", "2", "3"]
    assert [g.span.first for g in p.goals] == [420, 422, 424]
    assert p.code == "13060525P004671100895" and p.carried_over  # 2025 code, 2026 document
    assert p.funding_level == "central"
    assert "保财社〔2025〕19号" in [c.number.canonical for c in p.citations]


def test_002_number_without_hao(disclosures):
    p = project(disclosures["002"], 2)  # line 189 prints 保财社【2025】35 without 号
    at_189 = [c for c in p.citations if c.span.first == 189]
    assert at_189 and at_189[0].number.canonical == "保财社〔2025〕35号"
    assert at_189[0].number.printed.startswith("保财社【2025】35")


def test_004_table_without_code_or_amounts_takes_its_name_from_the_title(disclosures):
    p = project(disclosures["004"], 1)  # lines 145-223
    assert p.title == "1.综合业务管理(物价)绩效目标表" and p.name == "综合业务管理(物价)"
    assert (p.unit.code, p.unit.name, p.unit.own_level) == ("303001", "平乡县发展和改革局", True)
    assert p.code is None and p.budget is None and p.plan is None
    assert [g.number for g in p.goals] == ["1", "2"]
    assert p.goals[1].text == "落实县级管理的有关公用事业和公共服务价格的调整及政策措施。"
    assert len(p.indicators) == 9
    assert p.indicators[2].target.printed == "≥350份数"


def test_004_one_directive_however_spelled(disclosures):
    # title line 741 冀财教(2020)181号; basis line 763 （2020）181
    p = project(disclosures["004"], 8)
    printed = {c.number.printed for c in p.citations}
    assert {c.number.canonical for c in p.citations} == {"冀财教〔2020〕181号"}
    assert any(s.startswith("冀财教(2020)181") for s in printed)
    assert any(s.startswith("冀财教（2020）181") for s in printed)
    # line 770: the cited title is cut off at 的通
    assert p.indicators[1].basis.citation.title_truncated


def test_004_bracket_variants_of_one_number(disclosures):
    d = disclosures["004"]
    p = project(d, 36)  # line 3126 邢市财建[2020]95号, line 3149 邢市财建【2020】95号文件
    canon = {c.number.canonical for c in p.citations}
    assert canon == {"邢市财建〔2020〕95号"}
    assert p.carried_over and p.carried_over_evidence == "上年结转 in the name"


def test_004_split_rows_rejoined(disclosures):
    p = project(disclosures["004"], 29)  # lines 2556-2563: 3 + 1 + 2 cells
    ind = [i for i in p.indicators if i.span.first == 2556][0]
    assert (ind.level2, ind.level3, ind.description, ind.target.printed, ind.basis.printed) == (
        "时效指标", "组织考察人次（人）", "组织前往生产厂家考察的人次", "10次", "考察人员名单")


def test_004_totals_as_printed(disclosures):
    exp = {f.concept: f.amount.value for f in disclosures["004"].figures
           if f.section == "expenditure" and f.concept}
    # data/004 line 96
    assert exp["total"] == Decimal("3636.69") and exp["basic"] == Decimal("1339.21")
    assert exp["personnel"] == Decimal("300.13") and exp["public_operating"] == Decimal("357.5")
    assert exp["personnel"] + exp["public_operating"] != exp["basic"]  # a finding, kept


@pytest.mark.parametrize("prefix, code, name, year, kind", [
    ("000", "303001", "保定白沟新城改革发展科技局", 2026, "performance_targets"),
    ("001", "322009", "保定白沟新城行政审批局", 2022, "unit_budget"),
    ("002", "203001", "保定白沟新城党群工作部", 2026, "performance_targets"),
    ("004", "303001", "平乡县发展和改革局", 2021, "department_budget"),
])
def test_disclosure_publisher_year_kind(disclosures, prefix, code, name, year, kind):
    d = disclosures[prefix]
    assert (d.publisher.code, d.publisher.name, d.year, d.kind) == (code, name, year, kind)
    assert len(d.sha256) == 64


def test_unit_level_goals_and_duties(disclosures):
    d = disclosures["001"]
    kinds = [g.kind for g in d.unit_goals]
    assert kinds.count("overall") == 1 and kinds.count("safeguard") == 7
    items = [g for g in d.unit_goals if g.kind == "item"]
    # data/001 line 115: "目标1：审批事项进驻齐全…"
    assert items[0].number == "目标1：" and items[0].text.startswith("审批事项进驻齐全")
    duties = [s for s in d.statements if s.section == "duties"]
    assert (duties and duties[0].text.startswith("保定白沟新城行政审批局负责全区")
            and duties[0].span.first == 7)
    org = [r for r in d.table_rows if r.table == "organisation" and r.role == "data"]
    assert [(r.values["name"], r.values["nature"], r.values["rank"]) for r in org] == [
        ("保定白沟新城行政审批局", "行政", "正科")]
