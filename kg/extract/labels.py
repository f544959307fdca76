"""The printed labels of a project performance table, and their variants.

Publishers word the same field differently (项目编码 / 项目代码, 预算数 / 预算金额).
Labels are matched on ``label_key`` (no spaces, no punctuation), and this table is
the one place to add a variant.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..normalise.text import label_key

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "code": ("项目编码", "项目代码", "项目编号"),
    "name": ("项目名称",),
    "budget": ("预算数", "预算金额", "预算总额", "年度预算数", "年度预算", "项目预算数", "资金总额",
               "年度资金总额", "预算资金", "项目总金额"),
    "fiscal": ("其中财政资金", "财政资金", "其中财政拨款", "财政拨款"),
    "other": ("其他资金", "其中其他资金", "其他来源资金"),
    "purpose": ("资金用途", "项目用途", "主要用途"),
    "unit": ("预算单位", "单位名称", "主管部门"),
}
SECTION_LABELS = ("预算规模及资金用途", "预算规模", "项目基本情况")
GOAL_LABELS = ("绩效目标", "年度绩效目标", "项目绩效目标", "年度目标", "总体目标")
PLAN_LABELS = ("资金支出计划", "支出计划", "资金支出进度", "支出进度计划")
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标", "指标名称"),
    "description": ("绩效指标描述", "指标描述", "指标内容"),
    "target": ("指标值", "目标值", "指标目标值", "年度指标值"),
    "basis": ("指标值确定依据", "确定依据", "指标值设定依据", "依据"),
}

_KEY_TO_FIELD = {label_key(v): k for k, vs in FIELD_LABELS.items() for v in vs}
_KEY_TO_COLUMN = {label_key(v): k for k, vs in INDICATOR_COLUMNS.items() for v in vs}

AMOUNT_UNIT = re.compile(r"^(?:金额)?单位\s*[:：(（]\s*(万元|元|亿元|千元)\s*[)）]?\s*$")
UNIT_CELL = re.compile(r"^\s*[\[【(（]?(\d{6,})[\]】)）]?\s*(\S.*?)\s*$")
TITLE = re.compile(r"^\s*(?:\d+[.、．]\s*)?(?P<name>.+?)\s*(?:绩效目标表?|绩效目标申报表)"
                   r"\s*(?:[（(][^（）()]{1,20}[)）])?\s*$")
MONTH = re.compile(r"^(?:(\d{1,2})月(?:底|末|份|\d{1,2}日)?|第?([一二三四1-4])季度(?:末|底)?)$")
QUARTER_END = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def month_of(text: str) -> int | None:
    """The month a plan heading names: 3月底 → 3, 12月31日 → 12, 第二季度 → 6.

    >>> [month_of(t) for t in ("3月底", "12月31日", "第四季度", "合计")]
    [3, 12, 12, None]
    """
    m = MONTH.match(text.strip())
    if not m:
        return None
    return int(m.group(1)) if m.group(1) else QUARTER_END[m.group(2)]


@lru_cache(maxsize=8192)
def field_of(text: str) -> str | None:
    """The record field a printed label names, if any.

    >>> field_of("其中：财政    资金")
    'fiscal'
    >>> field_of("项目代码"), field_of("预算数（万元）")
    ('code', 'budget')
    """
    key = label_key(text)
    return _KEY_TO_FIELD.get(key) or _KEY_TO_FIELD.get(re.sub(r"(万元|元)$", "", key))


_COLUMN_PREFIXES = sorted((k for k in _KEY_TO_COLUMN if len(k) >= 3), key=len, reverse=True)


@lru_cache(maxsize=8192)
def column_of(text: str) -> str | None:
    """The indicator column a header cell names.

    >>> column_of("指标值确定依据"), column_of("指标值（包含数字及文字描述）")
    ('basis', 'target')
    """
    key = label_key(text)
    if key in _KEY_TO_COLUMN:
        return _KEY_TO_COLUMN[key]
    for known in _COLUMN_PREFIXES:  # 指标值包含数字及文字描述
        if key.startswith(known):
            return _KEY_TO_COLUMN[known]
    return None


def is_goal_label(text: str) -> bool:
    return label_key(text) in {label_key(v) for v in GOAL_LABELS}


def is_plan_label(text: str) -> bool:
    key = label_key(text)
    return any(key.startswith(label_key(v)) for v in PLAN_LABELS)


def is_section_label(text: str) -> bool:
    return label_key(text) in {label_key(v) for v in SECTION_LABELS}
