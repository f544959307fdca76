"""Tests for kg.domain.indicators: the level-1/level-2 framework."""

import pytest

from kg.domain.indicators import (
    LEVEL1,
    LEVEL2,
    PARENT,
    level1_concept,
    level2_concept,
    parent_of,
)


@pytest.mark.parametrize(
    "label, concept",
    [
        ("产出指标", "output"),  # data/000 line 92
        ("效益指标", "effect"),  # data/000 line 120
        ("满意度指标", "satisfaction"),  # data/000 line 127
        # constructed: level 1 too since the Ministry of Finance's 财预〔2021〕101号
        ("成本指标", "cost"),
        ("满意度", "satisfaction"),  # constructed truncation
        (" 产出 指标 ", "output"),  # constructed padding
        ("数量指标", None),  # a level-2 label
        ("", None),
    ],
)
def test_level1(label, concept):
    assert level1_concept(label) == concept


@pytest.mark.parametrize(
    "label, concept",
    [
        ("数量指标", "quantity"),  # data/000 line 93
        ("质量指标", "quality"),  # data/000 line 100
        ("时效指标", "timeliness"),  # data/000 line 107
        ("成本指标", "cost_output"),  # data/000 line 114
        ("经济效益指标", "economic_benefit"),  # data/001 line 392
        ("社会效益指标", "social_benefit"),  # data/000 line 121
        ("生态效益指标", "ecological_benefit"),  # data/001 line 406
        ("可持续影响指标", "sustainable_impact"),  # data/001 line 413
        ("服务对象满意度指标", "beneficiary_satisfaction"),  # data/000 line 128
        ("环境效益指标", "ecological_benefit"),  # constructed: the older name of 生态效益指标
        ("可持续影响", "sustainable_impact"),
        ("服务对象满意度", "beneficiary_satisfaction"),
        ("数量", "quantity"), ("质量", "quality"), ("时效", "timeliness"), ("成本", "cost_output"),
        ("经济成本指标", "economic_cost"), ("社会成本指标", "social_cost"),
        ("生态环境成本指标", "ecological_cost"),
        ("服务对象满意度指标\u3000", "beneficiary_satisfaction"),
        ("政策满意度指标", None),  # data/002 line 200: a level-3 indicator
        ("产出指标", None),
    ],
)
def test_level2(label, concept):
    assert level2_concept(label) == concept


@pytest.mark.parametrize(
    "concept, parent",
    [
        ("quantity", "output"), ("quality", "output"), ("timeliness", "output"),
        ("cost_output", "output"), ("economic_benefit", "effect"),
        ("social_benefit", "effect"), ("ecological_benefit", "effect"),
        ("sustainable_impact", "effect"), ("beneficiary_satisfaction", "satisfaction"),
        ("economic_cost", "cost"), ("social_cost", "cost"), ("ecological_cost", "cost"),
    ],
)
def test_parent_of(concept, parent):
    assert parent_of(concept) == parent


def test_parent_of_unknown():
    with pytest.raises(ValueError):
        parent_of("output")


def test_tables_are_consistent():
    assert set(LEVEL1) == {"output", "effect", "satisfaction", "cost"}
    assert set(PARENT) == set(LEVEL2)
    assert set(PARENT.values()) <= set(LEVEL1)
    assert LEVEL2["cost_output"] == LEVEL1["cost"] == "成本指标"
