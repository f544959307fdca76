"""The basis of a target (指标值确定依据), sorted into the official categories.

The Ministry of Finance names four kinds of basis: 计划标准 (plans), 行业标准
(industry standards), 历史标准 (history) and 其他标准; we add 政策文件 for cited
policy documents.  Publishers write free text ("年度工作计划", "调查问卷", "依据合同",
"保财建[2025]69号"), so the printed text is kept and a category is added beside it.

The category comes from ``BASIS_RULES``, an ordered table: the first rule whose
pattern occurs in the text wins.  Before the table, a cited document number, a
《》 title or a 关于…的通知/意见/办法… title makes the basis 政策文件.  Anything else
non-empty is 其他标准; an empty cell has no category, and neither has 涉密 (the
basis is withheld, so nothing can be said about it).  Extend the table by adding
rows; keep more specific rules above more general ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.domain.citations import CitationParts, parse_citation
from kg.domain.issuers import registry

__all__ = ["Basis", "classify_basis", "BASIS_RULES", "CATEGORIES", "OTHER"]

OTHER = "其他标准"

#: (category, pattern) in order of precedence.
BASIS_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # a basis that prints the official category name is that category
    ("计划标准", re.compile(r"^计划标准$")), ("行业标准", re.compile(r"^行业标准$")),
    ("历史标准", re.compile(r"^历史标准$")), ("其他标准", re.compile(r"^其他标准$")),
    # Policy words; 文件 only at the end or as 文件规定/要求/精神 ("相关文件完成情况" is
    # a work count), 意见 only as 实施/指导意见 or …的意见 (not 征求意见), 政策 not in a
    # basis naming a target (政策落实目标 is a preset target: 计划标准, below).
    ("政策文件", re.compile(r"文件$|文件(?:规定|要求|精神)|政策(?!.*目标$)|办法|管理方法|规定|"
                          r"(?:实施|指导|的)意见|通知|细则|条例")),
    # 标准化/规范化 describe work being standardised, not a standard.
    ("行业标准", re.compile(r"行业标准|国家标准|标准(?!化)|规范(?!化)|技术规程|规程")),
    ("历史标准", re.compile(r"历史|上年|去年|往年|以前年度|历年|近[一二两三四五几\d]+年|"
                          r"决算|均值|同期")),
    ("计划标准", re.compile(r"计划|规划|方案|预算|任务|目标|测算|工作安排|要点")),
)
CATEGORIES = ("政策文件", "行业标准", "历史标准", "计划标准", OTHER)
_POLICY_TITLE = re.compile(r"关于.+的(?:实施|指导|暂行)?(?:通知|意见|办法|细则|规定|决定)")


@dataclass(frozen=True)
class Basis:
    """A basis: printed text, its category (or None) and what it cites."""

    printed: str
    category: str | None
    citation: CitationParts



def _category(text: str, citation: CitationParts) -> str | None:
    if not text or text == "涉密":
        return None
    if citation.numbers or _POLICY_TITLE.search(text) or re.search(r"《|<<", text):
        return "政策文件"
    for category, pattern in BASIS_RULES:
        if pattern.search(text):
            return category
    return OTHER


def classify_basis(printed: str) -> Basis:
    """Category of a target's basis, with the citation it contains.

    >>> classify_basis("2026年工作计划").category
    '计划标准'
    >>> classify_basis("保财建[2025]69号").category
    '政策文件'
    >>> classify_basis(" ").category is None
    True
    """
    return _classify_basis(printed, registry().digest)


@lru_cache(maxsize=65536)
def _classify_basis(printed: str, registry_digest: str) -> Basis:
    """``classify_basis``, cached: a pure function of the text and the issuer
    registry (its digest is in the key); the same bases recur in every document."""
    text = re.sub(r"\s+", "", printed)
    citation = parse_citation(printed)
    return Basis(printed, _category(text, citation), citation)
