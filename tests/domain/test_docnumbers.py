"""Tests for kg.domain.docnumbers: document numbers (文号)."""

from pathlib import Path

import pytest

from kg.domain.docnumbers import (
    DocumentNumber,
    NumberMatch,
    find_document_numbers,
    parse_document_number,
)
from kg.records import to_json

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize(
    "printed, canonical",
    [
        ("保财资环[2026]4号", "保财资环〔2026〕4号"),  # data/000 line 1921
        ("保财建[2025]69号", "保财建〔2025〕69号"),  # data/000 line 1999
        ("保财社【2025】35号", "保财社〔2025〕35号"),  # data/002 line 119
        ("保财社【2025】35", "保财社〔2025〕35号"),  # data/002 line 189 (no 号)
        ("保政发【2025】12号", "保政发〔2025〕12号"),  # data/002 line 1998
        ("保财社【2024】87号", "保财社〔2024〕87号"),  # data/002 line 2216
        ("保财行【2025】12号", "保财行〔2025〕12号"),  # data/002 line 495
        ("冀组明字【2020】26号", "冀组明字〔2020〕26号"),  # data/002 line 537
        ("冀财建[2020]131号", "冀财建〔2020〕131号"),  # data/004 line 1157
        ("冀财教[2019]27号", "冀财教〔2019〕27号"),  # data/004 line 1415
        ("冀财预[2020]78号", "冀财预〔2020〕78号"),  # data/004 line 2520
        ("邢发改环资【2020】55号", "邢发改环资〔2020〕55号"),  # data/004 line 2625
        ("邢市财建[2020]95号", "邢市财建〔2020〕95号"),  # data/004 line 3126
        ("邢政办发（2017）6号", "邢政办发〔2017〕6号"),  # data/004 line 3232
        ("冀财教(2020)181号", "冀财教〔2020〕181号"),  # data/004 line 741
        ("冀财教（2020）181", "冀财教〔2020〕181号"),  # data/004 line 763 (no 号)
        ("邢市财环资[2020]64号", "邢市财环资〔2020〕64号"),  # data/004 line 824
        ("财预〔2015〕88号", "财预〔2015〕88号"),  # constructed: the indicator framework's notice
        ("财预〔2021〕101号", "财预〔2021〕101号"),  # constructed
        ("冀财社2021152号", "冀财社〔2021〕152号"),  # constructed: brackets lost
        ("保财社〔2025〕87号", "保财社〔2025〕87号"),  # constructed variants below
        ("保财社［2025］87号", "保财社〔2025〕87号"),
        ("保财社〈2025〉87号", "保财社〔2025〕87号"),
        ("保财社【2025)87号", "保财社〔2025〕87号"),  # mixed pair
        ("保财社【2025】87 号", "保财社〔2025〕87号"),  # space before 号
        ("保财社 【 2025 】 87号", "保财社〔2025〕87号"),  # spaces between parts
        ("保财社【２０２５】８７号", "保财社〔2025〕87号"),  # full-width digits
        ("保财社【2025】087号", "保财社〔2025〕87号"),  # leading zero
    ],
)
def test_parse_document_number(printed, canonical):
    number = parse_document_number(printed)
    assert number is not None
    assert number.canonical == canonical
    assert number.printed == printed


def test_parts():
    assert parse_document_number("邢政办发（2017）6号") == DocumentNumber(
        "邢政办发（2017）6号", "邢政办发", 2017, 6, "邢政办发〔2017〕6号")


def test_wenjian_suffix_is_not_printed():
    # data/004 line 3149
    number = parse_document_number("邢市财建【2020】95号文件")
    assert number == DocumentNumber(
        "邢市财建【2020】95号", "邢市财建", 2020, 95, "邢市财建〔2020〕95号")


@pytest.mark.parametrize(
    "text",
    [
        "2021年", "（2020年）", "12345", "13060526P00008610006L",  # code: data/002 line 582
        "24.31", "≥95%", "（2018-2020）",  # data/004 line 3232 tail
        "资金（2019）30万元", "资金（2019）30", "合同编号2021001号",
        "保财社【2025】", "邢台市科技扶贫三年行动计划推进方案（2018-2020）",
    ],
)
def test_not_numbers(text):
    assert find_document_numbers(text) == []
    assert parse_document_number(text) is None


@pytest.mark.parametrize(
    "text, canonical, printed",
    [
        # constructed: the code must not swallow the words before it
        ("关于下达…资金的通知冀财教(2020)181号", "冀财教〔2020〕181号", "冀财教(2020)181号"),
        # data/002 line 393
        ("2025年中央就业补助资金 保财社【2025】19号", "保财社〔2025〕19号", "保财社【2025】19号"),
        # data/002 line 2216
        ("提前下达2025年中央就业补助资金-保财社【2024】87号", "保财社〔2024〕87号",
         "保财社【2024】87号"),
        # data/004 line 763
        ("冀财教（2020）181河北省财政厅河北省科学技术厅关于提前下达2021年省级支持市县科技创新"
         "和科学普及专项资金的通知", "冀财教〔2020〕181号", "冀财教（2020）181"),
        # data/004 line 1415
        ("2019年支持市县科技创新和科学普及专项资金（冀财教[2019]27号）0s绩效目标表",
         "冀财教〔2019〕27号", "冀财教[2019]27号"),
        # constructed: prose glued to the code
        ("河北省财政厅冀财教〔2020〕1号", "冀财教〔2020〕1号", "冀财教〔2020〕1号"),
        ("就业补助资金保财社【2025】19号", "保财社〔2025〕19号", "保财社【2025】19号"),
        ("工作中央保财行【2025】12号", "保财行〔2025〕12号", "保财行【2025】12号"),
        ("根据冀医保字〔2021〕5号文件", "冀医保字〔2021〕5号", "冀医保字〔2021〕5号"),
    ],
)
def test_find_in_text(text, canonical, printed):
    (match,) = find_document_numbers(text)
    assert match.number.canonical == canonical
    assert match.number.printed == printed
    assert text[match.start:match.end] == printed


def test_offsets_and_order():
    # data/002 line 825: title with a number in the middle
    text = "2026年中央就业补助资金 保财社【2025】86号（公益性岗位补贴和社会保险补贴）"
    assert find_document_numbers(text) == [NumberMatch(
        DocumentNumber("保财社【2025】86号", "保财社", 2025, 86, "保财社〔2025〕86号"), 14, 26)]
    both = find_document_numbers("冀财教[2019]27号；邢市财建【2020】95号文件")
    assert [m.number.canonical for m in both] == ["冀财教〔2019〕27号", "邢市财建〔2020〕95号"]
    assert [(m.start, m.end) for m in both] == [(0, 12), (13, 26)]


def test_parse_requires_exactly_one_number():
    assert parse_document_number("（保财资环[2026]4号）") is None
    assert parse_document_number("保财建[2025]69号 保财建[2025]69号") is None
    assert parse_document_number(" 保财建[2025]69号 ").printed == "保财建[2025]69号"


def test_json_form():
    (m,) = find_document_numbers("见保财建[2025]69号")
    assert to_json(m) == {"number": {"printed": "保财建[2025]69号", "issuer_code": "保财建",
                                      "year": 2025, "serial": 69,
                                      "canonical": "保财建〔2025〕69号"},
                           "start": 1, "end": 13}


# Expected sets written down from reading the files (grep -n "号" and a look at
# every bracketed year), not from running the code:
#   000: lines 1857-1921 保财资环[2026]4号; lines 1948-2031 保财建[2025]69号
#   001: none (号 only in 序号)
#   002: 保财社【2025】35 (119, 126, 189), 40 (208, 215, 278), 19 (386, 393),
#        保财行【2025】12号 (488, 495), 冀组明字【2020】26号 (537-572),
#        保财社【2025】87号 (577, 584, 710, 717, 916), 86号 (729, 736, 818, 825),
#        保政发【2025】12号 (1998), 保财社【2024】87号 (2209, 2216)
#   004: 冀财教(2020)181 (741, 763-805), 邢市财环资[2020]64号 (824),
#        冀财建[2020]131号 (1157), 冀财教[2019]27号 (1415), 冀财预[2020]78号 (2520),
#        邢发改环资【2020】55号 (2625), 邢市财建[2020]95号 (3126, 3149-3170),
#        邢政办发（2017）6号 (3232-3274)
EXPECTED = {
    "000": {"保财资环〔2026〕4号", "保财建〔2025〕69号"},
    "001": set(),
    "002": {"保财社〔2025〕35号", "保财社〔2025〕40号", "保财社〔2025〕19号",
            "保财行〔2025〕12号", "冀组明字〔2020〕26号", "保财社〔2025〕87号",
            "保财社〔2025〕86号", "保政发〔2025〕12号", "保财社〔2024〕87号"},
    "004": {"冀财教〔2020〕181号", "邢市财环资〔2020〕64号", "冀财建〔2020〕131号",
            "冀财教〔2019〕27号", "冀财预〔2020〕78号", "邢发改环资〔2020〕55号",
            "邢市财建〔2020〕95号", "邢政办发〔2017〕6号"},
}


@pytest.mark.parametrize("prefix, count", [("000", 2), ("001", 0), ("002", 9), ("004", 8)])
def test_distinct_numbers_per_sample(prefix, count):
    (path,) = DATA.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    found = {m.number.canonical for m in find_document_numbers(text)}
    assert found == EXPECTED[prefix]
    assert len(found) == count  # read in data/: tests/extract/test_samples.py


@pytest.mark.parametrize(
    "text, found",
    [
        # the issuer registry knows 平财: no place initial would find 平财预
        ("平乡县财政局平财预〔2020〕5号文件", [("平财预〔2020〕5号", "平财预〔2020〕5号")]),
        # a list sharing code and year: two numbers, the second printed as "35号"
        ("保财社[2025]19号、35号", [("保财社〔2025〕19号", "保财社[2025]19号"),
                                 ("保财社〔2025〕35号", "35号")]),
        ("保财社[2025]19号、第35号和36号", [("保财社〔2025〕19号", "保财社[2025]19号"),
                                       ("保财社〔2025〕35号", "第35号"),
                                       ("保财社〔2025〕36号", "36号")]),
        # 年 inside the brackets, 第 before the serial
        ("冀财社（2021年）152号", [("冀财社〔2021〕152号", "冀财社（2021年）152号")]),
        ("冀财社〔2021〕第152号", [("冀财社〔2021〕152号", "冀财社〔2021〕第152号")]),
        # a list needs 号 after each serial: an amount after 、 is not a number
        ("保财社[2025]19号、35万元", [("保财社〔2025〕19号", "保财社[2025]19号")]),
    ],
)
def test_registry_lists_and_year_forms(text, found):
    assert [(m.number.canonical, m.number.printed) for m in find_document_numbers(text)] == found


def test_list_offsets_point_at_the_printed_serial():
    text = "保财社[2025]19号、35号"
    second = find_document_numbers(text)[1]
    assert text[second.start:second.end] == "35号"
