"""Matching keys for identity across documents (kg.domain.names), on names and
texts printed in the samples."""
import pytest

from kg.domain.names import is_policy_title, project_key, text_key, title_key


@pytest.mark.parametrize("printed, key", [
    ("2025年中央就业补助资金 保财社【2025】19号", "中央就业补助资金"),  # data/002 project 5
    ("提前下达2025年中央就业补助资金-保财社【2024】87号", "中央就业补助资金"),  # project 24
    # project 1
    ("2025年度下派选调生到村工作中央财政补助资金", "下派选调生到村工作中央财政补助资金"),
    ("提前下达2025-2026年采暖季农村煤改气用户天然气终端销售价格补贴（保财资环[2026]4号））",
     "采暖季农村煤改气用户天然气终端销售价格补贴"),  # data/000 project 21 (an extra ）)
    # data/004 project 9
    ("邢市财环资[2020]64号洁净煤补贴（弥补2019年）（上年结转）", "洁净煤补贴"),
    ("办公经费", "办公经费"),
    ("政务服务中心管理经费（电费）", "政务服务中心管理经费(电费)"),  # the purpose stays
])
def test_project_key(printed, key):
    assert project_key(printed) == key


def test_project_key_keeps_different_purposes_apart():
    assert project_key("2026年中央就业补助资金 保财社【2025】86号"
                       "（公益性岗位补贴和社会保险补贴）") != \
        project_key("2026年中央就业补助资金 保财社【2025】86号")


def test_title_key():
    assert title_key("《中华人民共和国预算法》") == title_key("预算法")
    assert title_key("关于 建设城市经济综合体（科技创新综合体）的请示") == \
        title_key("关于建设城市经济综合体(科技创新综合体)的请示")
    # the issuer before 关于 is not part of the title (data/004 line 2625)
    assert title_key("邢台市发改委关于省级以上开发区实施区域能评有关事项的通知") == \
        title_key("关于省级以上开发区实施区域能评有关事项的通知")


@pytest.mark.parametrize("title, policy", [
    ("白沟新城服务企业科技创新十条措施", True),  # data/000 line 227
    ("关于进一步推进预算公开工作的实施意见", True),  # data/001 line 4
    ("平乡县区域节能报告", False),  # data/004 line 2619: a deliverable
    ("地方预决算公开操作规程", True),
])
def test_is_policy_title(title, policy):
    assert is_policy_title(title) is policy


def test_text_key_ignores_numbering_and_punctuation():
    # data/000 line 28 and data/001 line 127
    a = ("目标13：进一步优化行政审批流程,加强审改工作制度化、规范化和标准化建设。绩效指标："
         "行政审批取消下放率。")
    b = ("目标10：进一步优化行政审批流程,加强审改工作制度化、规范化和标准化建设。绩效指标："
         "行政审批取消下放率；")
    assert text_key(a) == text_key(b)
    # data/000 line 33 vs data/001 line 132: 部门 vs 单位, a different text
    assert text_key("（四）做好绩效自评。按要求开展上年度部门预算绩效自评") != \
        text_key("4.做好绩效自评。按要求开展上年度单位预算绩效自评")
