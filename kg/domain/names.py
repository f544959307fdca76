"""Matching keys for identity across documents: project names, policy titles and
goal texts.

Researchers ask "what did this project look like last year?", "which units pay for
劳务派遣经费?" and "which departments reuse the same goals?".  The printed names
differ in what changes every year (the year, the notice number, 提前下达, a
(上年结转) note, the width of brackets) and agree in what the money is for.  These
keys drop exactly that and nothing else; they identify, they are never shown (the
printed text stays next to them in the graph).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .docnumbers import find_document_numbers

__all__ = ["project_key", "title_key", "text_key", "shared_text_key", "is_policy_title",
           "MIN_SHARED_TEXT"]

#: Goal texts shorter than this (after normalising) are headings, not goals worth
#: matching across documents.
MIN_SHARED_TEXT = 10

_YEARS = re.compile(r"(?:19|20)\d\d(?:\s*[-－—~至]\s*(?:19|20)\d\d)?\s*年(?:度)?")
_LEAD = re.compile(r"^(?:提前下达|提前预拨|预拨|下达|拨付)")
# A bracketed note about the funds, not the purpose: carry-over, the year it makes up.
_NOTE = re.compile(r"[(（][^()（）]*(?:结转|结余|弥补|直达)[^()（）]*[)）]")
_EMPTY_BRACKETS = re.compile(r"[(（]\s*[)）]|[【\[]\s*[】\]]")
_EDGE = re.compile(r"^[\s\-—_:：、，,.。]+|[\s\-—_:：、，,.。]+$")
_SPACE = re.compile(r"\s+")
_PUNCT = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "“": '"', "”": '"',
                        "‘": "'", "’": "'", "（": "(", "）": ")", "！": "!", "？": "?"})
_NUMBERING = re.compile(r"^(?:目标\s*\d+\s*[:：]|[(（]?[一二三四五六七八九十\d]+[)）.、．]\s*)")
#: Endings of titles in 《》 that name a policy; 《…报告》 or 《…规划》 in an
#: indicator is usually a deliverable, so only these count.
POLICY_ENDINGS = ("法", "条例", "规定", "办法", "细则", "意见", "通知", "方案", "措施", "规程",
                  "标准", "规划", "计划", "决定", "指引", "纲要", "制度", "准则", "规范", "规则",
                  "公约", "决议", "批复")


def _without_numbers(text: str) -> str:
    for m in reversed(find_document_numbers(text)):
        text = text[:m.start] + " " + text[m.end:]
    return text


def project_key(name: str) -> str:
    """What a project's money is for: its name without year, document numbers,
    提前下达/预拨, carry-over notes, spaces and bracket widths.

    >>> project_key("2025年中央就业补助资金 保财社【2025】19号")
    '中央就业补助资金'
    >>> project_key("提前下达2025年中央就业补助资金-保财社【2024】87号")
    '中央就业补助资金'
    >>> project_key("2026年中央就业补助资金 保财社【2025】86号（公益性岗位补贴和社会保险补贴）")
    '中央就业补助资金(公益性岗位补贴和社会保险补贴)'
    >>> project_key("冀财建[2020]131号2020年产粮大县奖励资金（商品粮大省奖励资金）（上年结转）")
    '产粮大县奖励资金(商品粮大省奖励资金)'
    """
    s = unicodedata.normalize("NFKC", _without_numbers(name))
    s = _NOTE.sub("", _YEARS.sub("", s.replace("(", "（").replace(")", "）")))
    s = _EMPTY_BRACKETS.sub("", _LEAD.sub("", _EDGE.sub("", s)))
    s = _EDGE.sub("", _SPACE.sub("", s)).translate(_PUNCT)
    while s.endswith(")") and s.count(")") > s.count("("):  # a stray ） as printed
        s = s[:-1]
    return s


def title_key(title: str) -> str:
    """A policy title as a matching key: width, spaces and 《》 gone, the issuers
    printed before 关于 and the 中华人民共和国 of a law's name dropped.

    >>> title_key("《中华人民共和国预算法》") == title_key("预算法")
    True
    >>> title_key("邢台市发改委关于省级以上开发区实施区域能评有关事项的通知")
    '关于省级以上开发区实施区域能评有关事项的通知'
    """
    s = _SPACE.sub("", unicodedata.normalize("NFKC", title)).strip("《》<>")
    about = s.find("关于")
    if about > 0 and s[about - 1] in "局厅部委会办室府院心":
        s = s[about:]
    return s.removeprefix("中华人民共和国").translate(_PUNCT)


def is_policy_title(title: str) -> bool:
    """True when a title names a policy (law, notice, measures…), not a deliverable.

    >>> is_policy_title("白沟新城服务企业科技创新十条措施"), is_policy_title("平乡县区域节能报告")
    (True, False)
    """
    t = title.strip()
    return t.startswith("关于") or t.endswith(POLICY_ENDINGS)


@lru_cache(maxsize=65536)  # pure; goals and statements recur across documents
def text_key(text: str) -> str:
    """A goal or statement as a matching key: width, spaces, punctuation style and a
    leading number (1. / （一） / 目标1：) do not count.

    >>> text_key("1.完善制度建设。") == text_key("（一）完善制度建设.")
    True
    """
    s = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return _NUMBERING.sub("", s).translate(_PUNCT).rstrip(".;,")


def shared_text_key(text: str) -> str | None:
    """The key goals printed alike share (``text_key``), None for a text too short to
    be worth matching (a heading).

    >>> shared_text_key("目标1：") is None, shared_text_key("1.完善制度建设。")
    (True, None)
    >>> shared_text_key("（一）做好2026年统计调查工作。")
    '做好2026年统计调查工作'
    """
    key = text_key(text)
    return key if len(key) >= MIN_SHARED_TEXT else None
