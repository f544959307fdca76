"""The performance-indicator framework: level-1 and level-2 labels as concepts.

Level 1 and level 2 follow the Ministry of Finance framework (财预〔2015〕88号 and
财预〔2021〕101号).  Publishers vary the wording (环境效益指标 for 生态效益指标,
数量 for 数量指标), so printed labels are mapped to stable concept keys (English
snake case) that queries and the graph can share, while the printed label is kept
by the caller.  Lookups ignore spaces and ：:（）()%％ (see ``label_key``).

成本指标 is both a level-2 concept under 产出指标 (``cost_output``) and, since
财预〔2021〕101号, a level-1 concept of its own (``cost``), so the level decides.
"""

from __future__ import annotations

from kg.domain.text import label_key

__all__ = ["LEVEL1", "LEVEL2", "LEVEL1_VARIANTS", "LEVEL2_VARIANTS", "PARENT",
           "level1_concept", "level2_concept", "parent_of"]

#: Level-1 concept → canonical label.
LEVEL1 = {"output": "产出指标", "effect": "效益指标",
          "satisfaction": "满意度指标", "cost": "成本指标"}

#: Level-2 concept → canonical label.
LEVEL2 = {
    "quantity": "数量指标", "quality": "质量指标", "timeliness": "时效指标",
    "cost_output": "成本指标",
    "economic_benefit": "经济效益指标", "social_benefit": "社会效益指标",
    "ecological_benefit": "生态效益指标", "sustainable_impact": "可持续影响指标",
    "beneficiary_satisfaction": "服务对象满意度指标",
    "economic_cost": "经济成本指标", "social_cost": "社会成本指标",
    "ecological_cost": "生态环境成本指标",
}

#: Level-2 concept → the level-1 concept it belongs to.
PARENT = {
    "quantity": "output", "quality": "output", "timeliness": "output",
    "cost_output": "output",
    "economic_benefit": "effect", "social_benefit": "effect",
    "ecological_benefit": "effect", "sustainable_impact": "effect",
    "beneficiary_satisfaction": "satisfaction",
    "economic_cost": "cost", "social_cost": "cost", "ecological_cost": "cost",
}

#: Printed variants (besides the canonical labels) → level-1 concept.
LEVEL1_VARIANTS = {"产出": "output", "效益": "effect", "效果指标": "effect",
                   "满意度": "satisfaction", "成本": "cost"}

#: Printed variants (besides the canonical labels) → level-2 concept.
LEVEL2_VARIANTS = {
    "数量": "quantity", "质量": "quality", "时效": "timeliness", "成本": "cost_output",
    "经济效益": "economic_benefit", "社会效益": "social_benefit",
    "生态效益": "ecological_benefit", "环境效益指标": "ecological_benefit",
    "环境效益": "ecological_benefit", "生态环境效益指标": "ecological_benefit",
    "可持续影响": "sustainable_impact", "可持续性影响指标": "sustainable_impact",
    "服务对象满意度": "beneficiary_satisfaction",
    "受益对象满意度指标": "beneficiary_satisfaction",
    "社会公众或服务对象满意度指标": "beneficiary_satisfaction",
    "经济成本": "economic_cost", "社会成本": "social_cost",
    "生态环境成本": "ecological_cost", "生态成本指标": "ecological_cost",
    "环境成本指标": "ecological_cost",
}

_L1 = {label_key(v): k for k, v in LEVEL1.items()} | {
    label_key(k): v for k, v in LEVEL1_VARIANTS.items()}
_L2 = {label_key(v): k for k, v in LEVEL2.items()} | {
    label_key(k): v for k, v in LEVEL2_VARIANTS.items()}


def level1_concept(label: str) -> str | None:
    """Level-1 concept of a printed label, or None if unknown.

    >>> level1_concept("产出指标"), level1_concept(" 满意度 "), level1_concept("数量指标")
    ('output', 'satisfaction', None)
    """
    return _L1.get(label_key(label))


def level2_concept(label: str) -> str | None:
    """Level-2 concept of a printed label, or None if unknown.

    >>> level2_concept("环境效益指标"), level2_concept("成本指标"), level2_concept("效益指标")
    ('ecological_benefit', 'cost_output', None)
    """
    return _L2.get(label_key(label))


def parent_of(level2_concept: str) -> str:
    """The level-1 concept a level-2 concept belongs to; ValueError if unknown.

    >>> parent_of("cost_output"), parent_of("economic_cost")
    ('output', 'cost')
    """
    try:
        return PARENT[level2_concept]
    except KeyError:
        raise ValueError(f"unknown level-2 concept: {level2_concept!r}") from None
