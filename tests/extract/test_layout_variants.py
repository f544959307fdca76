"""Every sample rewritten as other converters, Word habits and templates print it
(tests/support/variants.py) must give the sample's records, with spans on the
variant's own lines and at least 99 % of its lines placed."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kg.extract.disclosure import extract
from kg.read.layout import parse_layout
from kg.read.text import SourceText
from tests.support.answers import answers, same_records
from tests.support.samples import sample
from tests.support.variants import TRANSFORMS, from_text, to_tika, variant, variant_specs

SAMPLES = ("000", "001", "002", "004")
SEED = 14
SPECS = variant_specs(3, SEED)


def read(text: str, name: str = "variant.txt"):
    src = SourceText(name, text, "utf-8", "0" * 64, len(text.encode()))
    return extract(src, parse_layout(text, name))


def text_of(prefix: str) -> str:
    return sample(prefix).read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", SAMPLES)
@pytest.mark.parametrize("spec", range(len(SPECS)))
def test_variant_gives_the_samples_records(disclosures, prefix, spec):
    names, tight, seed = SPECS[spec]
    text = to_tika(variant(text_of(prefix), names, seed), tight_titles=tight)
    same_records(disclosures[prefix], read(text), text.split("\n"))


def test_the_first_variant_shows_every_phenomenon():
    names, tight, seed = SPECS[0]
    assert names == list(TRANSFORMS) and tight
    text = to_tika(variant(text_of("000"), names, seed), tight_titles=True)
    for printed in ("项目支出名称", "预算部门", "项目支出实施期", "其中：财政拨款", "指标值及单位",
                    "绩效标准", "本年度绩效指标", "第一季度", "第四季度"):
        assert printed in text.replace("\n", ""), printed  # labels may be split over lines
    assert "年度本级预算金额" in text.replace("\n", "") or "年度资金总额" in text.replace("\n", "")
    assert re.search(r"\t预算数[\d.]+万元。其中：", text)  # a budget told only in prose
    assert "绩效目标表\n\t" in text  # a title right after the last row of a table
    assert re.search(r"^\t\d+\..*绩效目标表$", text, re.M)  # a title inside its table: back to back
    lines = text.split("\n")
    assert any(a.startswith("\t") and b == "" and c and not c.startswith("\t")
               # empty paragraph in a cell
               for a, b, c in zip(lines, lines[1:], lines[2:], strict=False))
    text2 = to_tika(variant(text_of("002"), ["goals_per_row", "merged_first_cells"], 3))
    assert "\t目标2：" in text2 or "\n\t2." in text2  # goals one per row
    assert "\t\n\t绩效目标" not in text2


def test_round_trip_through_the_model_is_exact(disclosures):
    for prefix in SAMPLES:
        text = to_tika(from_text(text_of(prefix)))
        assert answers(read(text)) == answers(disclosures[prefix])


# --- single phenomena, read from the samples' own values ------------------------------

def test_budget_in_prose_with_a_government_fund_and_own_funds():
    # data/000 lines 57-62: 预算数 24.31, 其中：财政资金 24.31; line 65 the purpose
    text = text_of("000").replace(
        "\t预算数\n\t24.31\n\t其中：财政    资金\n\t24.31\n\t其他资金\n\t \n", "", 1).replace(
        "\t发放统计调查资金，保障统计工作正常进行",
        "\t预算数24.31万元。其中：政府性基金20.31万元，自有资金4万元。发放统计调查资金，"
        "保障统计工作正常进行", 1)
    d = read(text)
    p = d.projects[0]
    assert (p.budget.value, p.fiscal.value, p.other.value) == (Decimal("24.31"), Decimal("20.31"),
                                                               Decimal("4"))
    assert p.spans["budget"].first == p.spans["fiscal"].first == 59
    assert d.summary()["indicator_rows"] == 164


def test_plan_by_quarter_keeps_the_quarter_end_months():
    text = text_of("001").replace("\t3月底\n\t6月底\n\t10月底\n\t12月底\n",
                                  "\t第一季度\n\t第二季度\n\t第三季度\n\t第四季度\n", 1)
    text = text.replace("\t25.00\n\t50.00\n\t75.00\n\t100.00\n", "\t25\n\t50\n\t75\n\t100\n", 1)
    plan = read(text).projects[0].plan  # data/001 lines 161-171
    assert plan.kind == "percent"
    assert [(m.month, m.value) for m in plan.milestones] == [(3, 25), (6, 50), (9, 75), (12, 100)]


def test_implementation_period_is_read_and_placed():
    text = text_of("000").replace("\t项目名称\n\t2026年统计调查资金\n",
                                  "\t项目支出名称\n\t2026年统计调查资金\n\t项目支出实施期\n\t1年\n",
                                  1)
    d = read(text)
    assert d.projects[0].name == "2026年统计调查资金" and d.projects[0].period == "1年"
    plain = read(text_of("000"))
    assert d.placed_lines == d.content_lines - (plain.content_lines - plain.placed_lines)


def test_split_label_with_an_empty_paragraph_does_not_break_the_row():
    text = text_of("000").replace("\t项目编码\n\t13060526P00000910004L\n",
                                  "\t项目\n\n编码\n\t13060526P00000910004L\n", 1)
    p = read(text).projects[0]
    assert p.code == "13060526P00000910004L" and p.spans["code"].first == 54


def test_short_label_fragment_is_not_a_title():
    text = text_of("000").replace("\t绩效目标\n", "\t实施\n期绩效目标\n", 1)
    p = read(text).projects[0]
    assert [g.number for g in p.goals] == ["1"] and p.title == "1.2026年统计调查资金绩效目标表"


def test_a_stray_short_row_in_the_indicator_block_is_kept_not_counted():
    # data/000 line 131 is the last cell (调查问卷) of project 1's last indicator row
    text = text_of("000").replace("\t调查问卷\n", "\t调查问卷\n\n\t备注：无\n", 1)
    d = read(text)
    assert len(d.projects[0].indicators) == 6 and d.summary()["indicator_rows"] == 164
    (u,) = [u for u in d.unplaced if u.text == "备注：无"]
    assert "too short" in u.reason


def test_a_numbered_heading_right_after_a_short_cell_stays_a_heading():
    from kg.read.layout import Paragraph
    lay = parse_layout("\t项目\n\t无\n二、其他\n")
    assert isinstance(lay.blocks[-1], Paragraph) and lay.blocks[-1].text == "二、其他"
    lay = parse_layout("\t实施\n期绩效目标\n\t1.目标\n")
    assert [r.texts for r in lay.blocks[0].rows] == [["实施\n期绩效目标", "1.目标"]]
