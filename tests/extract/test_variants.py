"""Documents of the same family the reader has not seen, made from the samples:
other labels, reordered or missing parts, amounts with units, titles moved or gone.
Each test checks the facts survive and that no line is lost."""
from __future__ import annotations

import re
from decimal import Decimal

from kg.extract.disclosure import extract
from kg.read.layout import parse_layout
from kg.read.text import SourceText
from tests.support.samples import sample


def read(text: str, name: str = "variant.txt"):
    src = SourceText(name, text, "utf-8", "0" * 64, len(text.encode()))
    return extract(src, parse_layout(text, name))


def text_of(prefix: str) -> str:
    return sample(prefix).read_text(encoding="utf-8")


def nothing_lost(d):
    held = {n for u in d.unplaced for n in range(u.span.first, u.span.last + 1)}
    assert d.placed_lines + len(held) >= d.content_lines


def test_other_labels_for_the_same_fields():
    text = (text_of("000").replace("\t项目编码\n", "\t项目代码\n")
            .replace("\t预算数\n", "\t预算金额\n")
            .replace("\t指标值\n", "\t目标值\n").replace("\t其中：财政    资金\n", "\t财政资金\n"))
    d = read(text)
    p = d.projects[0]
    assert p.code == "13060526P00000910004L" and p.budget.value == Decimal("24.31")
    assert p.fiscal.value == Decimal("24.31") and p.indicators[0].target.printed == "≥1次"
    assert d.summary()["indicator_rows"] == 164
    nothing_lost(d)


def test_amounts_written_with_their_unit():
    text = text_of("000").replace("\t24.31\n\t其中", "\t24.31万元\n\t其中", 1)
    p = read(text).projects[0]
    assert p.budget.printed == "24.31万元" and p.budget.value == Decimal("24.31")


def test_amounts_in_yuan_under_a_yuan_unit_line():
    text = text_of("000").replace("\t单位：万元\n", "\t单位：元\n", 1).replace(
        "\t24.31\n\t其中：财政    资金\n\t24.31\n", "\t243100\n\t其中：财政    资金\n\t243100\n", 1)
    p = read(text).projects[0]
    assert p.amount_unit == "元" and p.budget.value == Decimal("24.31") and p.budget.unit == "元"


def test_titles_missing_projects_still_told_apart():
    text = re.sub(r"^\[bookmark: _Toc_4_4_\d+\]\d+\..*绩效目标表\n", "", text_of("000"), flags=re.M)
    d = read(text)
    assert d.summary()["tables"] == 27 and d.summary()["indicator_rows"] == 164
    assert all(p.title is None for p in d.projects)
    assert d.projects[21].name.startswith("提前下达2026年新能源汽车产业发展")  # from 项目名称
    nothing_lost(d)


def test_title_and_name_both_missing_is_a_warning_not_a_loss():
    text = text_of("004")
    text = text.replace("[bookmark: _Toc67650464]2.粮食流通统计调查及市场检测预警绩效目标表\n", "")
    d = read(text)
    # project 2's rows now follow project 1's in one layout table; its unit row
    # still starts a project of its own, which has no name: reported, nothing lost
    assert d.summary()["tables"] == 39 and d.summary()["indicator_rows"] == 356
    assert d.projects[1].name is None and d.projects[1].title is None
    assert any(w.code == "no-name" and w.line == d.projects[1].span.first for w in d.warnings)
    nothing_lost(d)


def test_title_placed_inside_the_table():
    text = text_of("000").replace(
        "[bookmark: _Toc_4_4_0000000004]1.2026年统计调查资金绩效目标表\n\t303001",
        "\t1.2026年统计调查资金绩效目标表\n\n\t303001", 1)
    p = read(text).projects[0]
    assert p.title == "1.2026年统计调查资金绩效目标表" and p.name == "2026年统计调查资金"


def test_missing_plan_and_code_rows():
    text = text_of("000")
    start = text.index("\t资金支出计划（%）")
    end = text.index("\t绩效目标", start)
    text = text[:start] + text[end:]
    text = text.replace("\t项目编码\n\t13060526P00000910004L\n", "", 1)
    d = read(text)
    p = d.projects[0]
    assert p.plan is None and p.code is None and p.name == "2026年统计调查资金"
    assert len(p.indicators) == 6
    nothing_lost(d)


def test_reordered_sections_read_the_same():
    text = text_of("001")
    i3 = text.index("第三部分：机关运行经费安排情况")
    i4 = text.index("第四部分：财政拨款")
    i5 = text.index("第五部分：绩效预算信息")
    swapped = text[:i3] + text[i4:i5] + text[i3:i4] + text[i5:]
    a, b = read(text), read(swapped)
    def key(d):
        return sorted((f.section, f.label, f.amount.value) for f in d.figures)
    assert key(a) == key(b)
    assert [r.values for r in a.table_rows] == [r.values for r in b.table_rows]
    assert a.summary()["indicator_rows"] == b.summary()["indicator_rows"] == 246


def test_other_unit_other_county_other_year():
    text = (text_of("000").replace("303001保定白沟新城改革发展科技局",
                                   "511002唐山市路北区科学技术局")
            .replace("13060526P", "13020327P"))
    d = read(text)
    assert (d.publisher.code, d.publisher.name, d.year, d.region) == (
        "511002", "唐山市路北区科学技术局", 2027, "130203")


def test_unknown_table_is_kept_and_reported():
    text = text_of("001").replace("第八部分：名词解释",
                                  "附表：\n\t奇怪的表\n\t甲\n\n\t乙\n\t丙\n\n第八部分：名词解释")
    d = read(text)
    kept = [u for u in d.unplaced if "奇怪的表" in u.text]
    assert kept and kept[0].span.first > 3300
    assert any(w.code == "unplaced" for w in d.warnings)


# --- variants found in review: each was lost or misread before -----------------------

def test_target_column_with_a_longer_name_and_an_unknown_column_are_kept():
    text = text_of("000").replace("\t指标值\n", "\t指标值（包含数字及文字描述）\n", 1)
    d = read(text)
    assert d.projects[0].indicators[0].target.printed == "≥1次"  # data/000 line 96
    # an extra 备注 column after 指标值确定依据 in project 1
    text = text_of("000").replace("\t指标值确定依据\n\n\t产出指标",
                                  "\t指标值确定依据\n\t备注\n\n\t产出指标", 1)
    text = text.replace("\t年度工作计划\n\n\t\n\t质量指标",
                        "\t年度工作计划\n\t见说明\n\n\t\n\t质量指标", 1)
    d = read(text)
    kept = [u for u in d.unplaced if u.text == "见说明"]
    assert kept and "备注" in kept[0].reason
    assert d.projects[0].indicators[0].basis.printed == "年度工作计划"


def test_plan_by_quarter_and_by_date():
    text = text_of("001")
    quarters = text.replace("\t3月底\n\t6月底\n\t10月底\n\t12月底\n",
                            "\t第一季度\n\t第二季度\n\t第三季度\n\t第四季度\n", 1)
    plan = read(quarters).projects[0].plan  # data/001 lines 161-171: 25 50 75 100
    assert [(m.month, m.value) for m in plan.milestones] == [
        (3, Decimal("25.00")), (6, Decimal("50.00")), (9, Decimal("75.00")),
        (12, Decimal("100.00"))]
    dated = text.replace("\t12月底\n", "\t12月31日\n", 1)
    assert read(dated).projects[0].plan.milestones[-1].value == Decimal("100.00")


def test_unit_in_brackets_and_plan_in_yuan():
    text = text_of("000").replace("\t单位：万元\n", "\t单位（元）\n", 1).replace(
        "\t24.31\n\t其中：财政    资金\n\t24.31\n", "\t243100\n\t其中：财政    资金\n\t243100\n", 1)
    text = text.replace("\t \n\t \n\t \n\t24.31\n", "\t \n\t \n\t \n\t243100\n", 1)
    p = read(text).projects[0]
    assert p.amount_unit == "元" and p.budget.value == Decimal("24.31")
    assert p.plan.kind == "amount" and p.plan.milestones[-1].value == Decimal("24.31")


def test_budget_label_with_its_unit():
    text = text_of("000").replace("\t预算数\n", "\t预算数（万元）\n", 1)
    assert read(text).projects[0].budget.value == Decimal("24.31")


def test_a_heading_above_an_untitled_table_is_not_its_title():
    text = text_of("004").replace("1.综合业务管理(物价)绩效目标表\n", "", 1)
    p = read(text).projects[0]
    assert p.title is None and p.name is None  # not "预算项目绩效目标表" from the heading above


def test_a_stray_byte_is_reported_not_fatal(tmp_path):
    from kg.pipeline import extract_file
    data = sample("000").read_bytes().replace("2026年统计调查资金".encode(),
                                              "2026年统计调查资金".encode() + b"\xe8", 1)
    (tmp_path / "x.txt").write_bytes(data)
    d = extract_file(tmp_path / "x.txt")
    assert d.summary()["tables"] == 27
    assert any(w.code == "damaged-text" and w.line == 47 for w in d.warnings)  # the title line


def test_two_files_with_one_name_do_not_overwrite_each_other(tmp_path):
    from kg.pipeline import build
    from kg.store import open_store
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "000_x.txt").write_bytes(sample("000").read_bytes())
    report = build([tmp_path / "a", tmp_path / "b"], open_store(tmp_path / "s"), workers=1)
    by_file = {d.file.split("/")[-2]: d for d in report.documents}
    assert by_file["a"].status == "loaded" and by_file["b"].status == "failed"
    assert "same file name" in by_file["b"].error
