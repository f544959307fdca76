"""The printed labels of a project performance table, and their variants.

Publishers word the same field differently (项目编码 / 项目代码, 预算数 / 预算金额).
Labels are matched on ``label_key`` (no spaces, line breaks or punctuation), so a
label Word broke over two paragraphs (项目 / 编码) still matches.  The vocabulary is
data: ``labels.csv`` beside this module is the one place to add a variant.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from ..domain.text import label_key

VOCABULARY = Path(__file__).with_name("labels.csv")


def _load(path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """``labels.csv`` → {kind: {target: (label, …)}}, in file order."""
    out: dict[str, dict[str, list[str]]] = {}
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for row in rows:
            out.setdefault(row["kind"], {}).setdefault(row["target"], []).append(row["label"])
    return {k: {t: tuple(v) for t, v in d.items()} for k, d in out.items()}


_VOCAB = _load(VOCABULARY)
FIELD_LABELS: dict[str, tuple[str, ...]] = _VOCAB["field"]
SECTION_LABELS = _VOCAB["section"]["budget"]
GOAL_LABELS = _VOCAB["goal"]["goals"]
PLAN_LABELS = _VOCAB["plan"]["plan"]
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = _VOCAB["column"]
BLOCK_LABELS = _VOCAB["block"]["indicators"]
FUNDING_SOURCES: dict[str, tuple[str, ...]] = _VOCAB["source"]

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
    if key in _BLOCK_KEYS:  # 本年度绩效指标: a row label spanning the indicator block
        return "block"
    for known in _COLUMN_PREFIXES:  # 指标值包含数字及文字描述
        if key.startswith(known):
            return _KEY_TO_COLUMN[known]
    return None


_GOAL_KEYS = frozenset(label_key(v) for v in GOAL_LABELS)
_SECTION_KEYS = frozenset(label_key(v) for v in SECTION_LABELS)
_BLOCK_KEYS = frozenset(label_key(v) for v in BLOCK_LABELS)
_SOURCE_OF = {label_key(v): k for k, vs in FUNDING_SOURCES.items() for v in vs}


def source_of(text: str) -> str | None:
    """The amount (fiscal / other) a funding source named in prose fills.

    >>> source_of("政府性基金"), source_of("自有资金"), source_of("合计")
    ('fiscal', 'other', None)
    """
    return _SOURCE_OF.get(label_key(text))


def is_goal_label(text: str) -> bool:
    return label_key(text) in _GOAL_KEYS


def is_plan_label(text: str) -> bool:
    key = label_key(text)
    return any(key.startswith(label_key(v)) for v in PLAN_LABELS)


def is_section_label(text: str) -> bool:
    """A row label opening the budget block (预算规模及资金用途, 项目资金（万元）).

    >>> is_section_label("项目资金（万元）"), is_section_label("预算数")
    (True, False)
    """
    key = label_key(text)
    return key in _SECTION_KEYS or re.sub(r"(万元|元)$", "", key) in _SECTION_KEYS
