"""Tests for kg.domain.basis: the basis of a target and its category."""

import pytest

from kg.domain.basis import BASIS_RULES, CATEGORIES, classify_basis
from kg.records import to_json


@pytest.mark.parametrize(
    "printed, category",
    [
        # 政策文件: numbers, titles and policy words
        ("保财建[2025]69号", "政策文件"),  # data/000 line 2007
        ("邢市财建【2020】95号文件", "政策文件"),  # data/004 line 3149
        ("保定市财政局 保定市人力资源和社会保障局 关于提前下达2026年省级就业补助资金预算的通知"
         " 保财社【2025】87号", "政策文件"),  # data/002 line 710
        ("冀财教（2020）181河北省财政厅河北省科学技术厅关于提前下达2021年省级支持市县科技创新"
         "和科学普及专项资金的通", "政策文件"),  # data/004 line 770
        # data/000 line 1740
        ("《保定市2025-2026年采暖季城燃企业农村气代煤燃气价格补贴方案》", "政策文件"),
        ("<<平乡县国有粮食企业危仓老库维修改造规划>>", "政策文件"),  # data/004 line 1179
        ("县级政务服务管理标准化建设实施意见", "政策文件"),  # data/001 line 417
        ("关于加强农村综合服务站建设的实施意见", "政策文件"),  # data/001 line 3144
        ("评审管理办法", "政策文件"),  # data/001 line 1372
        ("价格认定规定", "政策文件"),  # data/004 line 2118
        # data/002 line 1998
        ("保定市高校毕业生住房补贴实施细则（保政发【2025】12号）", "政策文件"),
        # 行业标准
        ("行业标准", "行业标准"),  # data/004 line 3191
        ("运维服务标准", "行业标准"),  # data/002 line 1525
        ("依据妇联工作管理规范及服务质量要求", "行业标准"),  # data/002 line 1258
        ("国家标准", "行业标准"),  # constructed
        ("技术规程", "行业标准"),  # constructed
        # 历史标准
        ("近三年工作经验", "历史标准"),  # data/000 line 845
        ("参考上年度准确率（98.2%）", "历史标准"),  # data/002 line 2532
        ("2019-2024年均值（15万元）", "历史标准"),  # data/002 line 2553
        ("年度决算数据", "历史标准"),  # data/004 line 271
        ("往年数据", "历史标准"),  # constructed
        ("以前年度标准", "行业标准"),  # constructed: 标准 comes first in the table
        # 计划标准
        ("年度工作计划", "计划标准"),  # data/000 line 97
        ("2026年工作计划", "计划标准"),  # data/000 line 909
        ("26年年度工作计划", "计划标准"),  # data/000 line 277
        ("项目实施计划", "计划标准"),  # data/002 line 1080
        ("预算测算", "计划标准"),  # data/002 line 1087
        ("年度工作规划", "计划标准"),  # data/002 line 1265
        ("根据工作安排", "计划标准"),  # data/000 line 1454
        ("人才发展目标", "计划标准"),  # data/002 line 2649
        ("政策落实目标", "计划标准"),  # data/002 line 2628: a target, not a policy document
        # 其他标准
        ("调查问卷", "其他标准"),  # data/000 line 132
        ("问卷调查", "其他标准"),  # data/000 line 2039
        ("满意度调查", "其他标准"),  # data/000 line 1761
        ("依据合同", "其他标准"),  # data/000 line 727
        ("合同", "其他标准"),  # data/004 line 1117
        ("执法台账", "其他标准"),  # data/004 line 680
        ("无", "其他标准"),  # data/001 line 197
        ("走访", "其他标准"),  # data/004 line 736
        ("征求意见", "其他标准"),  # data/004 line 472: 意见 here is not a policy
        # data/001 line 2817: 标准化 is not a standard
        ("标准化建设完善，推进落实到位", "其他标准"),
        ("关于建设城市经济综合体（科技创新综合体）的请示", "其他标准"),  # data/004 line 1786
    ],
)
def test_categories(printed, category):
    assert classify_basis(printed).category == category


@pytest.mark.parametrize("printed", ["", " ", "\t", "涉密"])  # 涉密: data/000 line 187
def test_no_category(printed):
    assert classify_basis(printed).category is None


def test_keeps_printed_and_citation():
    basis = classify_basis("调查问卷 ")  # data/000 line 492
    assert basis.printed == "调查问卷 "
    cited = classify_basis("中共河北省委组织部 河北省财政厅 "
                           "关于加强选调生到村任职补助资金管理的通知"
                           " 冀组明字【2020】26号")  # data/002 line 537
    assert [n.canonical for n in cited.citation.numbers] == ["冀组明字〔2020〕26号"]
    assert cited.citation.issuers == ("中共河北省委组织部", "河北省财政厅")


def test_table_and_categories():
    assert CATEGORIES == ("政策文件", "行业标准", "历史标准", "计划标准", "其他标准")
    # four exact category names first, then one keyword rule per category
    assert [c for c, _ in BASIS_RULES][4:] == list(CATEGORIES[:-1])


def test_json_form():
    d = to_json(classify_basis("保财建[2025]69号"))
    assert d["category"] == "政策文件"
    assert d["citation"]["numbers"][0]["canonical"] == "保财建〔2025〕69号"


def test_a_printed_category_name_is_that_category():
    from kg.domain.basis import classify_basis
    for name in ("计划标准", "行业标准", "历史标准", "其他标准"):
        assert classify_basis(name).category == name


def test_not_classified_when_it_says_not_classified():
    from kg.domain.funding import is_classified
    from kg.domain.targets import parse_target
    assert not is_classified("本项目不涉密") and not is_classified("非涉密")
    assert is_classified("涉密")
    t = parse_target("涉密人员≥1次")
    assert t.kind == "numeric" and t.value == 1
