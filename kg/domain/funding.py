"""Facts about funds that a project name prints: level, year, carry-over, secrecy.

Researchers follow money from 中央 (central) through 省级 and 市级 to county and
district; project names say which level the funds come from ("2025年中央就业补助资金",
"2025年省级财政稳就业…") and which budget year they belong to.

Level rule: the first of these words wins: 中央 (not 党中央, not 中央企业); 省/市/县/区
followed by 级, 本级 or 财政 (but not 财政厅/财政局, which name an agency).  So
"市场", "市县", "城市", "白沟新城" and "河北省财政厅" are not levels.  Document numbers
are blanked out first, so the 市 of 邢市财建 or the year in 〔2020〕 never count.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.domain.docnumbers import find_document_numbers
from kg.domain.text import to_halfwidth_digits

__all__ = ["funding_level", "funds_year", "is_carried_over", "is_classified", "LEVELS"]

#: Level key → printed level word (for labels).
LEVELS = {"central": "中央", "provincial": "省级", "city": "市级",
          "county": "县级", "district": "区级"}

_AFTER = r"(?:级|本级|财政(?![厅局部委]))"
_LEVEL = re.compile(
    rf"(?P<central>(?<!党)中央(?!企业))|(?P<provincial>省{_AFTER})|"
    rf"(?P<city>市{_AFTER})|(?P<county>县{_AFTER})|(?P<district>区{_AFTER})"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\s*(?:年|[-－—~至]\s*(?:19|20)\d\d\s*年))")


def _without_numbers(text: str) -> str:
    """``text`` with every document number replaced by spaces (offsets kept)."""
    chars = list(to_halfwidth_digits(text))
    for m in find_document_numbers(text):
        chars[m.start:m.end] = " " * (m.end - m.start)
    return "".join(chars)


def funding_level(text: str) -> str | None:
    """Level of the funds named in ``text``: central, provincial, city, county, district.

    >>> funding_level("2025年中央就业补助资金 保财社【2025】19号")
    'central'
    >>> funding_level("2019年支持市县科技创新和科学普及专项资金") is None
    True
    """
    m = _LEVEL.search(_without_numbers(text))
    return m.lastgroup if m else None


def funds_year(text: str) -> int | None:
    """First budget year printed as YYYY年 (or YYYY-YYYY年), outside document numbers.

    >>> funds_year("提前下达2025-2026年采暖季农村煤改气用户天然气终端销售价格补贴"
    ...            "（保财资环[2026]4号）")
    2025
    >>> funds_year("邢市财建[2020]95号") is None
    True
    """
    m = _YEAR.search(_without_numbers(text))
    return int(m.group(1)) if m else None


def is_carried_over(text: str) -> bool:
    """True when the text says the funds are carried over (结转/结余).

    >>> is_carried_over("洁净煤补贴（弥补2019年）（上年结转）"), is_carried_over("办公经费")
    (True, False)
    """
    return bool(re.search(r"结转|结余", text))


@lru_cache(maxsize=65536)  # pure; asked for every cell of every indicator row
def is_classified(text: str) -> bool:
    """True when the text says 涉密 (classified).

    >>> is_classified("涉密")
    True
    """
    return re.search(r"(?<![不非无])涉密", text) is not None
