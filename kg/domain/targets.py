"""Target values (指标值) of performance indicators.

Targets are printed as ``≥95%``, ``≤24.31万元``, ``＞90``, ``1年``, ``2026年12月底``,
``按规定时间发放`` or ``涉密``.  A query needs the comparator, number and unit, so
they are read where the printing allows and the printed text is always kept.

Kinds: ``numeric`` (one number, maybe a comparator and a unit), ``date`` (a
deadline such as ``2025年6月`` or ``12月底前``), ``classified`` (涉密), ``empty``
and ``qualitative`` (everything else).  Rules worth knowing:

- A number inside prose counts only when the words before it end in a comparator
  word or a verb such as 达到/为/控制在, or a suffix 以上/以下/以内 follows:
  ``完成率达到90%以上`` is ``>= 90 %``, but ``全市排名前10`` is qualitative.
- Two different numbers make the target qualitative (``3月底前完成50%``).  A value
  printed twice by a copy-paste slip (``≥88%88%``) is read once.
- ``N年``/``N月`` without a 4-digit year or 底/末/前 is a duration (numeric); dates
  carry the printed comparator only if a symbol or word is printed (``前`` is not).
- The unit is kept as printed, except 百分比/％ which become ``%``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from kg.domain.text import to_halfwidth_digits

__all__ = ["Target", "parse_target", "COMPARATORS", "KINDS"]

KINDS = ("numeric", "date", "qualitative", "classified", "empty")

#: Printed comparator → normalised comparator.  Longer spellings first.
COMPARATORS = {
    "大于等于": ">=", "大于或等于": ">=", "不低于": ">=", "不少于": ">=",
    "不小于": ">=", "至少": ">=", "≥": ">=", "≧": ">=", ">=": ">=", "＞=": ">=",
    "小于等于": "<=", "小于或等于": "<=", "不高于": "<=", "不超过": "<=",
    "不多于": "<=", "不大于": "<=", "≤": "<=", "≦": "<=", "<=": "<=", "＜=": "<=",
    "大于": ">", "超过": ">", "高于": ">", "多于": ">", "＞": ">", ">": ">",
    "小于": "<", "低于": "<", "少于": "<", "＜": "<", "<": "<",
    "等于": "=", "==": "=", "=": "=", "＝": "=",
}
_SUFFIXES = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<=", "以内": "<="}
_VERBS = ("达到", "达", "为", "保持在", "保持", "控制在", "在")
_EMPTY = {"", "—", "——", "-", "/", "－"}
_UNIT_ALIASES = {"百分比": "%", "％": "%"}

_CMP = "|".join(re.escape(k) for k in sorted(COMPARATORS, key=len, reverse=True))
_SUF = "|".join(sorted(_SUFFIXES, key=len, reverse=True))
_NUMERIC = re.compile(
    rf"(?P<lead>.*?)(?P<cmp>{_CMP})?(?P<num>-?\d+(?:,\d{{3}})*(?:\.\d+)?)"
    rf"(?P<unit>[^\d，。；、,;:：]{{0,8}}?)(?P<suf>{_SUF})?"
)
_DATE_TAIL = r"(?:年底|年末|年初|底|末|初|上旬|中旬|下旬)?(?:前|之前|以前)?"
_DATES = (
    re.compile(rf"(?:19|20)\d\d年度?(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?{_DATE_TAIL}"),
    re.compile(r"\d\d年(?:年底|年末|底|末)(?:前|之前|以前)?"),
    re.compile(r"\d{1,2}月(?:\d{1,2}日|底|末|初|上旬|中旬|下旬)(?:前|之前|以前)?"),
    re.compile(r"\d{1,2}月(?:前|之前|以前)"),
    re.compile(r"(?:19|20)\d\d(?:-\d{1,2}(?:-\d{1,2})?|/\d{1,2}(?:/\d{1,2})?|\.\d{1,2}\.\d{1,2})"),
)
_REPEAT = re.compile(r"(?P<head>.*?)(?<![\d.])(?P<rep>\d[\d.,]*[^\d\s.,]+)(?P=rep)")


@dataclass(frozen=True)
class Target:
    """A target value: printed text, kind, comparator, number and unit."""

    printed: str
    kind: str
    comparator: str | None
    value: Decimal | None
    unit: str | None



def _as_date(printed: str, text: str) -> Target | None:
    cmp_m = re.match(_CMP, text)
    body = text[cmp_m.end():] if cmp_m else text
    if any(p.fullmatch(body) for p in _DATES):
        return Target(printed, "date", COMPARATORS[cmp_m.group()] if cmp_m else None, None, None)
    return None


def _as_number(printed: str, text: str) -> Target | None:
    rep = _REPEAT.fullmatch(text)
    if rep:
        text = rep["head"] + rep["rep"]
    m = _NUMERIC.fullmatch(text)
    if m is None or re.search(r"\d", m["lead"]):
        return None
    lead, cmp_text, suf = m["lead"], m["cmp"], m["suf"]
    if lead and not (cmp_text or suf or lead.endswith(_VERBS)):
        return None
    comparator = COMPARATORS[cmp_text] if cmp_text else _SUFFIXES.get(suf or "")
    unit = m["unit"] or None
    unit = _UNIT_ALIASES.get(unit, unit) if unit else None
    return Target(printed, "numeric", comparator, Decimal(m["num"].replace(",", "")), unit)


@lru_cache(maxsize=65536)  # pure, and the same targets (≥95%, 是, 100%) recur everywhere
def parse_target(printed: str) -> Target:
    """Read a target cell into kind, comparator, value and unit.

    >>> t = parse_target("≤24.31万元")
    >>> t.kind, t.comparator, t.value, t.unit
    ('numeric', '<=', Decimal('24.31'), '万元')
    >>> parse_target("2026年12月底").kind, parse_target("涉密").kind, parse_target("是").kind
    ('date', 'classified', 'qualitative')
    """
    text = re.sub(r"\s+", "", to_halfwidth_digits(printed))
    if text in _EMPTY:
        return Target(printed, "empty", None, None, None)
    if text.strip("（）()") in ("涉密", "涉密内容", "涉密信息"):  # withheld, not a target
        return Target(printed, "classified", None, None, None)
    found = _as_date(printed, text) or _as_number(printed, text)
    return found or Target(printed, "qualitative", None, None, None)
