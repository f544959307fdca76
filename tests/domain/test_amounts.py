"""Tests for kg.domain.amounts: amount cells to 万元."""

from decimal import Decimal

import pytest

from kg.domain.amounts import Amount, parse_amount
from kg.records import to_json


@pytest.mark.parametrize("printed", ["", " ", "—", "——", "-", "/", "无", "\t"])
def test_empty_cells_are_none(printed):
    # data/002 line 45 prints " " for 其他资金; data/001 line 197 prints 无
    assert parse_amount(printed) is None


@pytest.mark.parametrize(
    "printed, value, unit",
    [
        ("24.31", "24.31", "万元"),  # data/000 line 58
        ("10.40", "10.40", "万元"),  # data/001 line 152: printed scale kept
        (" 24.31 ", "24.31", "万元"),  # constructed padding
        ("6.16", "6.16", "万元"),  # data/002 line 41
        ("0", "0", "万元"),  # data/001 line 86
        ("24.31万元", "24.31", "万元"),  # constructed from data/000 line 117
        ("243,100元", "24.31", "元"),
        ("1.5亿元", "15000", "亿元"),
        ("２４．３１", "24.31", "万元"),  # full-width digits and full stop
        ("100元", "0.01", "元"),
        ("1,500万元", "1500", "万元"),
        ("8万", "8", "万"),
    ],
)
def test_amounts(printed, value, unit):
    amount = parse_amount(printed)
    assert amount == Amount(printed, Decimal(value), unit)
    assert str(amount.value) == value  # exact scale, no exponent notation


def test_default_unit_is_converted():
    assert parse_amount("243100", default_unit="元") == Amount("243100", Decimal("24.31"), "元")


def test_not_an_amount_keeps_printed_text():
    assert parse_amount("见附件") == Amount("见附件", None, "万元")
    assert parse_amount("24.31美元") == Amount("24.31美元", None, "万元")


def test_json_form():
    assert to_json(parse_amount("10.40")) == {"printed": "10.40", "value": "10.40", "unit": "万元"}
    assert to_json(parse_amount("见附件"))["value"] is None
