"""Tests for kg.domain.citations: numbers, titles and issuers in citations."""

import pytest

from kg.domain.citations import CitationParts, parse_citation, split_issuers
from kg.records import to_json


def canonicals(citation):
    return [n.canonical for n in citation.numbers]


def test_issuers_title_and_number():
    # data/002 line 710
    text = ("保定市财政局 保定市人力资源和社会保障局 关于提前下达2026年省级就业补助资金预算的通知"
            " 保财社【2025】87号")
    c = parse_citation(text)
    assert c.printed == text
    assert c.issuers == ("保定市财政局", "保定市人力资源和社会保障局")
    assert c.titles == ("关于提前下达2026年省级就业补助资金预算的通知",)
    assert canonicals(c) == ["保财社〔2025〕87号"]
    assert c.title_truncated is False


def test_party_organisation_department_is_one_issuer():
    # data/002 line 537: 中共河北省委 + 组织部 is one name
    c = parse_citation("中共河北省委组织部 河北省财政厅 关于加强选调生到村任职补助资金管理的通知"
                       " 冀组明字【2020】26号")
    assert c.issuers == ("中共河北省委组织部", "河北省财政厅")
    assert c.titles == ("关于加强选调生到村任职补助资金管理的通知",)
    assert canonicals(c) == ["冀组明字〔2020〕26号"]


def test_truncated_title_without_spaces():
    # data/004 line 770: no spaces, no 号, title cut at 的通
    c = parse_citation("冀财教（2020）181河北省财政厅河北省科学技术厅关于提前下达2021年省级"
                       "支持市县科技创新和科学普及专项资金的通")
    assert c.title_truncated is True
    assert c.titles == ("关于提前下达2021年省级支持市县科技创新和科学普及专项资金的通",)
    assert c.issuers == ("河北省财政厅", "河北省科学技术厅")
    assert canonicals(c) == ["冀财教〔2020〕181号"]


def test_full_title_without_spaces():
    # data/004 line 763
    c = parse_citation("冀财教（2020）181河北省财政厅河北省科学技术厅关于提前下达2021年省级"
                       "支持市县科技创新和科学普及专项资金的通知")
    assert c.title_truncated is False
    assert c.titles == ("关于提前下达2021年省级支持市县科技创新和科学普及专项资金的通知",)


def test_number_without_hao():
    # data/002 line 189
    c = parse_citation("保定市财政局 保定市人力资源和社会保障局 关于预拨2025年省级财政稳就业扩大"
                       "社会保险补贴范围补助资金的通知 保财社【2025】35")
    assert canonicals(c) == ["保财社〔2025〕35号"]
    assert c.titles == ("关于预拨2025年省级财政稳就业扩大社会保险补贴范围补助资金的通知",)


def test_title_cut_before_a_number():
    # constructed from data/002 line 189
    c = parse_citation("保定市财政局 关于预拨2025年省级财政资金的通 保财社【2025】35")
    assert c.titles == ("关于预拨2025年省级财政资金的通",)
    assert c.title_truncated is True
    assert c.issuers == ("保定市财政局",)


@pytest.mark.parametrize(
    "text, titles, truncated",
    [
        ("关于建设城市经济综合体（科技创新综合体）的请示",  # data/004 line 1786
         ("关于建设城市经济综合体（科技创新综合体）的请示",), False),
        ("关于建设城市经济综合体（科技创新综合体）",  # data/004 line 1807
         ("关于建设城市经济综合体（科技创新综合体）",), True),
        ("关于加强农村综合服务站建设的实施意见",  # data/001 line 3144
         ("关于加强农村综合服务站建设的实施意见",), False),
        ("<<平乡县国有粮食企业危仓老库维修改造规划>>，依据竣工报告和验收报告",  # data/004 line 1193
         ("平乡县国有粮食企业危仓老库维修改造规划",), False),
        ("《保定市城乡居民意外伤害调查界定工作实施方案》要求",  # data/002 line 2539
         ("保定市城乡居民意外伤害调查界定工作实施方案",), False),
        # data/001 line 4
        ("按照《中华人民共和国预算法》、《地方预决算公开操作规程》和《关于进一步推进预算公开工作的"
         "实施意见》规定", ("中华人民共和国预算法", "地方预决算公开操作规程",
                       "关于进一步推进预算公开工作的实施意见"), False),
        # data/000 line 16: the outer 关于印发《…》 has no type before the comma
        ("按照国家统计局、"
         "财政部关于印发《关于统计部门周期性普查和大型调查经费开支问题的暂行规定》，"
         "分年度完成普查", ("关于统计部门周期性普查和大型调查经费开支问题的暂行规定",), False),
        # data/001 line 46: a title that contains a 《》 title
        ("根据关于印发《河北省政务服务场所建设标准化指引》等三个文件的通知要求",
         ("关于印发《河北省政务服务场所建设标准化指引》等三个文件的通知",
          "河北省政务服务场所建设标准化指引"), False),
        # data/004 line 2360: 关于 in prose is not a title
        ("3.贯彻落实党中央、省委、市委和县委关于发展改革工作的方针政策和决策部署", (), False),
        ("调查问卷", (), False),  # data/000 line 132
        ("", (), False),
    ],
)
def test_titles(text, titles, truncated):
    c = parse_citation(text)
    assert c.titles == titles
    assert c.title_truncated is truncated


def test_prose_before_guan_yu_is_not_an_issuer():
    # data/004 line 2360
    assert parse_citation("3.贯彻落实党中央、省委、市委和县委关于发展改革工作的方针政策"
                          ).issuers == ()


def test_issuer_inside_quoted_title():
    # data/004 line 2625
    c = parse_citation("2.照市发改《邢台市发改委关于省级以上开发区实施区域能评有关事项的通知》"
                       "（邢发改环资【2020】55号）要求")
    assert c.titles == ("邢台市发改委关于省级以上开发区实施区域能评有关事项的通知",)
    assert c.issuers == ("邢台市发改委",)
    assert canonicals(c) == ["邢发改环资〔2020〕55号"]


def test_issuers_joined_by_enumeration_comma():
    # constructed from data/000 line 16
    c = parse_citation("国家统计局、财政部关于印发普查经费管理办法的通知")
    assert c.issuers == ("国家统计局", "财政部")
    assert c.titles == ("关于印发普查经费管理办法的通知",)


def test_number_only():
    # data/004 line 3232: number then a plan title without 《》
    c = parse_citation("邢政办发（2017）6号邢台市科技扶贫三年行动计划推进方案（2018-2020）")
    assert c == CitationParts(c.printed, c.numbers, (), (), False)
    assert canonicals(c) == ["邢政办发〔2017〕6号"]


@pytest.mark.parametrize(
    "text, names",
    [
        ("中共河北省委组织部 河北省财政厅", ("中共河北省委组织部", "河北省财政厅")),
        ("河北省财政厅河北省科学技术厅", ("河北省财政厅", "河北省科学技术厅")),
        ("保定市人民政府办公室", ("保定市人民政府办公室",)),
        ("河北省发展和改革委员会", ("河北省发展和改革委员会",)),
        ("市委和县委", None),
        ("调查问卷", None),
    ],
)
def test_split_issuers(text, names):
    assert split_issuers(text) == names


def test_json_form():
    d = to_json(parse_citation("见保财建[2025]69号"))
    assert d["numbers"][0]["canonical"] == "保财建〔2025〕69号"
    assert d["titles"] == [] and d["issuers"] == [] and d["truncated_title"] is False
