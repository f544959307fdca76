"""Which unit-level section a heading opens (职责, 收入, 三公, 绩效目标…).

Headings are told from narrative by shape: short, numbered or ending in a colon,
naming a known section, and carrying no amount.  The keyword table is ordered
(first match wins) and is the one place to teach the reader a new section.
"""
from __future__ import annotations

import re

SECTION_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("projects", ("预算项目绩效目标", "项目支出绩效目标")),
    ("goals_overall", ("总体绩效目标", "整体绩效目标")),
    ("goals_items", ("分项绩效目标",)),
    ("safeguards", ("保障措施",)),
    ("three_public", ("三公",)),
    ("running_costs", ("机关运行经费", "机关运行费")),
    ("duties", ("职责",)),
    ("organisation", ("机构设置",)),
    ("income", ("收入说明", "收入预算", "收入情况")),
    ("expenditure", ("支出说明", "支出预算", "支出情况")),
    ("change", ("增减情况", "增减变化")),
    ("procurement", ("政府采购",)),
    ("assets", ("国有资产", "资产信息", "资产情况", "资产占用")),
    ("glossary", ("名词解释",)),
    ("other", ("其他需说明", "其他需要说明")),
    ("performance", ("绩效预算信息", "预算绩效信息", "绩效信息")),
    ("overview", ("总体情况",)),
]
_PART = re.compile(r"^\s*第[一二三四五六七八九十\d]+部分")
_NUMBER = re.compile(
    r"^\s*(?P<n>第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、|\d+[、.．]|目标\d+[：:]"
    r"|[(（]\s*[一二三四五六七八九十\d]+\s*[)）])\s*")
_MONEY = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|元)")


def split_number(text: str) -> tuple[str | None, str]:
    """``（一）完善制度建设`` → ('（一）', '完善制度建设').

    >>> split_number("1、 收入说明")
    ('1、', '收入说明')
    >>> split_number("绩效目标：…")
    (None, '绩效目标：…')
    """
    m = _NUMBER.match(text)
    if not m:
        return None, text.strip()
    return m.group("n"), text[m.end():].strip()


def section_kind(text: str) -> str | None:
    """The section a text names by keyword, if any."""
    for kind, words in SECTION_KEYWORDS:
        if any(w in text for w in words):
            return kind
    return None


def heading_kind(text: str) -> str | None:
    """The section kind if this paragraph is a heading, else None.

    >>> heading_kind("第四部分：财政拨款“三公”经费预算情况及增减变化原因")
    'three_public'
    >>> heading_kind("部门职责：")
    'duties'
    >>> heading_kind("其中：人员经费预算10.4万元") is None
    True
    """
    number, rest = split_number(text)
    if _PART.match(text):
        return section_kind(rest) or "part"
    if len(rest) > 40 or _MONEY.search(rest) or rest.endswith(("。", "；", ";")):
        return None
    kind = section_kind(rest)
    if kind is None:
        return None
    if number or rest.endswith(("：", ":")) or len(rest) <= 20:
        return kind
    return None
