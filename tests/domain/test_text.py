"""Tests for kg.domain.text: whitespace, label keys, full-width digits."""

import pytest

from kg.domain.text import clean, is_cjk, label_key, to_halfwidth_digits


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("其中：财政    资金", "其中：财政资金"),  # data/000 line 59
        ("合\u3000计", "合计"),  # data/001 line 3193 (ideographic space)
        ("anke替代经费项目涉密\t\t\t\t\t\t", "anke替代经费项目涉密"),  # data/000 line 155
        ("调查问卷 ", "调查问卷"),  # data/000 line 492
        ("\t调查问卷", "调查问卷"),  # data/000 line 944 (tab inside the cell)
        ("≥95 %", "≥95 %"),  # data/000 line 1307: not between CJK, kept
        # data/000 line 414
        ("白沟新城 12345“接诉即办” 政务服务", "白沟新城 12345“接诉即办”政务服务"),
        ("保定市财政局 保定市人力资源和社会保障局", "保定市财政局保定市人力资源和社会保障局"),
        ("a\u00a0\u00a0b", "a b"),  # constructed: NBSP run
        ("  ", ""),
        ("", ""),
    ],
)
def test_clean(printed, expected):
    assert clean(printed) == expected


def test_clean_keeps_other_characters():
    assert clean("保财社【２０２５】35 号") == "保财社【２０２５】35 号"


@pytest.mark.parametrize(
    "label, expected",
    [
        ("其中：财政    资金", "其中财政资金"),  # data/000 line 59
        ("资金支出计划（%）", "资金支出计划"),  # data/000 line 68
        ("资金支出计划(％)", "资金支出计划"),  # constructed half/full-width mix
        ("合\u3000计", "合计"),  # data/001 line 3193
        ("单位：万元", "单位万元"),  # data/002 line 32
        ("ＡＢ１", "AB1"),  # constructed: NFKC
    ],
)
def test_label_key(label, expected):
    assert label_key(label) == expected


def test_to_halfwidth_digits_only_touches_digits_letters_and_full_stop():
    assert to_halfwidth_digits("保财社【２０２５】３５号") == "保财社【2025】35号"
    assert to_halfwidth_digits("（１．５）ａＺ") == "（1.5）aZ"
    assert to_halfwidth_digits("≥９５％") == "≥95％"


def test_to_halfwidth_digits_keeps_length():
    s = "冀财教（２０２０）１８１"
    assert len(to_halfwidth_digits(s)) == len(s)


def test_is_cjk():
    assert [is_cjk(c) for c in "财】1a"] == [True, False, False, False]
