"""Tests for kg.domain.targets: target values of indicators."""

from decimal import Decimal

import pytest

from kg.domain.targets import Target, parse_target
from kg.records import to_json


@pytest.mark.parametrize(
    "printed, comparator, value, unit",
    [
        ("≥95%", ">=", "95", "%"),  # data/000 line 373
        ("≤24.31万元", "<=", "24.31", "万元"),  # data/000 line 117
        ("=100%", "=", "100", "%"),  # data/001 line 196
        ("＞90", ">", "90", None),  # data/001 line 388
        ("＜100", "<", "100", None),  # data/001 line 395
        ("1年", None, "1", "年"),  # data/000 line 110
        ("30人", None, "30", "人"),  # data/002 line 625
        ("≥1次", ">=", "1", "次"),  # data/000 line 96
        ("≥95百分比", ">=", "95", "%"),  # data/004 line 561
        ("100百分比", None, "100", "%"),  # data/004 line 512
        (">90百分比", ">", "90", "%"),  # constructed
        (">90%", ">", "90", "%"),  # data/000 line 1212
        ("≥5起数", ">=", "5", "起数"),  # data/004 line 166
        ("≥350份数", ">=", "350", "份数"),  # data/004 line 180
        ("0起", None, "0", "起"),  # data/002 line 716
        ("2400人", None, "2400", "人"),  # data/002 line 709
        ("≥50000公里", ">=", "50000", "公里"),  # constructed
        ("=100", "=", "100", None),  # data/001 line 490
        ("≤1人", "<=", "1", "人"),  # data/001 line 189
        ("100%", None, "100", "%"),  # data/000 line 103
        ("≥100%", ">=", "100", "%"),  # data/004 line 2153
        ("≥95 %", ">=", "95", "%"),  # data/000 line 1307 (space before %)
        ("9项 ", None, "9", "项"),  # data/000 line 2481 (trailing space)
        ("0.1元/平方米/天", None, "0.1", "元/平方米/天"),  # data/002 line 461
        ("≥1件/万次", ">=", "1", "件/万次"),  # data/004 line 790
        ("≤318.5万元/每家", "<=", "318.5", "万元/每家"),  # data/000 line 1746
        ("≥99.5%", ">=", "99.5", "%"),  # data/002 line 2353
        ("≥4月", ">=", "4", "月"),  # data/004 line 2215: a duration, not a date
        ("≤7工作日", "<=", "7", "工作日"),  # data/002 line 2538
        ("<20万", "<", "20", "万"),  # data/004 line 443
        ("≥88%88%", ">=", "88", "%"),  # data/002 line 1655: value printed twice
        ("≥１０％", ">=", "10", "%"),  # constructed: full-width
        ("≧90%", ">=", "90", "%"),  # constructed
        ("≦5天", "<=", "5", "天"),  # constructed
        ("==1", "=", "1", None),  # constructed
        ("＝100%", "=", "100", "%"),  # constructed
        ("不低于90%", ">=", "90", "%"),  # constructed words
        ("不少于3次", ">=", "3", "次"),
        ("大于等于95%", ">=", "95", "%"),
        ("至少2人", ">=", "2", "人"),
        ("不超过5万元", "<=", "5", "万元"),
        ("小于等于10天", "<=", "10", "天"),
        ("大于80%", ">", "80", "%"),
        ("低于1%", "<", "1", "%"),
        ("90%以上", ">=", "90", "%"),
        ("5人以下", "<=", "5", "人"),
        ("3天以内", "<=", "3", "天"),
        ("完成率达到90%以上", ">=", "90", "%"),  # prose with one number
        ("满意度≥90%", ">=", "90", "%"),
        ("1,000人", None, "1000", "人"),
    ],
)
def test_numeric(printed, comparator, value, unit):
    assert parse_target(printed) == Target(printed, "numeric", comparator, Decimal(value), unit)


def test_numeric_keeps_printed_scale():
    assert str(parse_target("≤8.30万元").value) == "8.30"


@pytest.mark.parametrize(
    "printed, comparator",
    [
        ("2026年12月底", None),  # data/000 line 2014
        ("2025年6月", None),  # constructed
        ("2025年底", None),  # data/002 line 92
        ("2026年年底前", None),  # data/000 line 1830
        ("2026年年底", None),  # data/002 line 359
        ("26年年底前", None),  # data/000 line 380 (two-digit year)
        ("12月底", None),  # data/002 line 1353
        ("12月底前", None),  # data/002 line 1634
        ("2025年12月底", None),  # data/002 line 2271
        ("2025-12-31", None),  # constructed
        ("≤2025年12月", "<="),  # constructed: a printed comparator is kept
    ],
)
def test_dates(printed, comparator):
    assert parse_target(printed) == Target(printed, "date", comparator, None, None)


@pytest.mark.parametrize(
    "printed",
    [
        "是",  # constructed
        "按规定时间发放",  # data/001 line 210
        "及时保障",  # data/001 line 299
        "无尾气排放",  # constructed
        "创新能力进一步提升",  # data/000 line 2030
        "保持干部队伍相对稳定",  # data/001 line 224
        "文字描述",  # data/001 line 2222
        "全市排名前10",  # data/004 line 1653: a rank, not a quantity
        "培育省级技术转移机构1家，建设科技公共服务平台1个",  # data/004 line 797
        "3月底前完成50%",  # constructed: two different numbers
        "2018-2020年",  # constructed: a range
        "无",
    ],
)
def test_qualitative(printed):
    assert parse_target(printed) == Target(printed, "qualitative", None, None, None)


def test_classified():
    # data/000 line 186
    assert parse_target("涉密") == Target("涉密", "classified", None, None, None)


@pytest.mark.parametrize("printed", ["", " ", "\u3000", "—", "/"])
def test_empty(printed):
    assert parse_target(printed) == Target(printed, "empty", None, None, None)


def test_json_form():
    assert to_json(parse_target("≤24.31万元")) == {
        "printed": "≤24.31万元", "kind": "numeric", "comparator": "<=",
        "value": "24.31", "unit": "万元"}
    assert to_json(parse_target("是"))["value"] is None
