"""Amounts told in prose instead of cells: ``预算数561.2万元。其中：政府性基金561.2万元。``

Some templates print no 预算数 cell; the budget and its funding sources are a
sentence inside the purpose cell.  The words come from the label vocabulary
(``labels.csv``: the ``budget`` field labels and the ``source`` rows), so a new
wording is added there, not here.
"""
from __future__ import annotations

import re

from .labels import FIELD_LABELS, FUNDING_SOURCES, source_of

_NUMBER = r"(?P<num>[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?)\s*(?P<unit>亿元|万元|千元|元)"
_BUDGET = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, FIELD_LABELS["budget"]), key=len, reverse=True))
    + r")\s*(?:为|共|计|合计)?\s*[:：]?\s*" + _NUMBER)
_SOURCE = re.compile(
    "(?P<src>" + "|".join(sorted((re.escape(w) for ws in FUNDING_SOURCES.values() for w in ws),
                                 key=len, reverse=True))
    + r")\s*(?:为|共|计)?\s*[:：]?\s*" + _NUMBER)


def amounts_in_prose(text: str) -> dict[str, str]:
    """The budget and fiscal / other amounts a sentence states, as printed.

    >>> amounts_in_prose("预算数561.2万元。其中：政府性基金561.2万元。主要用于…")
    {'budget': '561.2万元', 'fiscal': '561.2万元'}
    >>> amounts_in_prose("年度资金总额：30万元，其中财政资金20万元、自有资金10万元")
    {'budget': '30万元', 'fiscal': '20万元', 'other': '10万元'}
    >>> amounts_in_prose("发放统计调查资金，保障统计工作正常进行")
    {}
    """
    m = _BUDGET.search(text)
    if not m:
        return {}
    found = {"budget": m.group("num") + m.group("unit")}
    for s in _SOURCE.finditer(text, m.end()):
        kind = source_of(s.group("src"))
        if kind and kind not in found:
            found[kind] = s.group("num") + s.group("unit")
    return found
