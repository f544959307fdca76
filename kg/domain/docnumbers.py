"""Document numbers (文号) such as 保财社〔2025〕87号, in any of their printed spellings.

GB/T 9704-2012 prescribes issuer code + year in 〔〕 + serial + 号, but the documents
print 【】 [] ［］ () （） 〈〉 or mixed pairs, drop the 号, add 文件, pad with spaces,
use full-width digits or drop the brackets (冀财社2021152号).  All spellings of one
number must become one ``canonical`` string, so a directive gets one identity.

How the issuer code is found: take the run of CJK characters before the year and
keep its longest suffix (at most 8 characters) that starts with a prefix of the
issuer registry (``registry/issuers.csv``: 平财 finds 平财预, which no place initial
would), else one that starts with a place initial
from ``PLACE_PREFIXES`` (an agency initial such as 财 only if no place initial
fits) and holds none of ``STOP_CHARS`` (characters of ordinary prose such as
的/金/知/局/厅 that no agency code contains).  This finds 冀财教 in
"…资金的通知冀财教(2020)181号" and 保财社 in "…资金保财社【2025】19号".  Without such a
prefix the last four characters are kept, but only for the full printed form
(brackets and 号); forms without 号 or without brackets need a known prefix, so
"资金（2019）30" or a code-like serial in prose is not taken for a number.

``printed`` is the exact matched text from the code through 号 (or the serial when
号 is missing); a following 文件 is not part of it.  Also read: a year printed with 年
inside the brackets (冀财社（2021年）152号), 第 before the serial, and lists that share
code and year (保财社[2025]19号、35号 is two numbers; the second prints "35号").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.domain.issuers import registry
from kg.domain.text import to_halfwidth_digits

__all__ = [
    "DocumentNumber", "NumberMatch", "find_document_numbers",
    "parse_document_number", "PLACE_PREFIXES", "AGENCY_INITIALS", "STOP_CHARS",
]

#: First characters of issuer codes: Hebei cities, provinces, then central agencies
#: (国 State Council, 财 Ministry of Finance, 中 CPC Central Committee).  Extend this
#: tuple when documents from other places arrive; characters that often start
#: ordinary words (新 宁 青 吉 平 定…) are left out on purpose.
PLACE_PREFIXES = (
    "冀", "保", "邢", "唐", "石", "廊", "沧", "衡", "张", "承", "秦", "邯", "雄",
    "京", "津", "晋", "蒙", "辽", "黑", "沪", "苏", "浙", "皖", "闽", "赣", "鲁", "豫",
    "鄂", "湘", "粤", "桂", "琼", "渝", "川", "黔", "滇", "藏", "陕", "甘",
    "国", "财", "中",
)
#: The agency initials in PLACE_PREFIXES: used only when no place initial is found,
#: so "…河北省财政厅冀财教" gives 冀财教, while "财预〔2015〕88号" still gives 财预.
AGENCY_INITIALS = ("国", "财", "中")
#: Characters of ordinary prose that never occur in an issuer code.
STOP_CHARS = frozenset(
    "的之于和与及等年月日金知局厅部省县费项补贴助度在为是了按据照将对根通央障持证担作业期台元万次"
)

_PLACES = tuple(c for c in PLACE_PREFIXES if c not in AGENCY_INITIALS)
_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff]"
_OPEN, _CLOSE = r"[〔【\[［(（〈﹝]", r"[〕】\]］)）〉﹞]"
_YEAR = r"(?:199\d|20\d\d)"
_BRACKETED = re.compile(
    rf"(?P<run>{_CJK}+)\s*{_OPEN}\s*(?P<year>{_YEAR})\s*年?\s*{_CLOSE}\s*第?\s*"
    rf"(?P<serial>\d{{1,5}})(?!\d)(?:\s*(?P<hao>号))?"
)
# More serials of the same code and year after a number ending in 号: "、35号".
_MORE = re.compile(r"\s*[、，,和及]\s*第?\s*(?P<serial>\d{1,5})\s*号")
_BARE = re.compile(rf"(?P<run>{_CJK}+)(?P<year>{_YEAR})(?P<serial>\d{{1,4}})\s*(?P<hao>号)")
# After a serial without 号, these mean the digits were an amount or a count.
_NOT_A_SERIAL = re.compile(r"\s*[.．%％万元个人次年月日天份件项]")


@dataclass(frozen=True)
class DocumentNumber:
    """A document number: printed text and its parts; canonical uses 〔〕 and 号."""

    printed: str
    issuer_code: str
    year: int
    serial: int
    canonical: str



@dataclass(frozen=True)
class NumberMatch:
    """A document number found in a text, with character offsets [start, end)."""

    number: DocumentNumber
    start: int
    end: int



def _stop_free(code: str) -> bool:
    """No prose characters in a code, except 县 after a one-character place (唐县财预)."""
    return not STOP_CHARS.intersection(code[:1] + code[2:]) and (
        code[1:2] != "县" or code[0] in _PLACES)


def _suffixes(run: str):
    """(size, suffix) of ``run``, longest (at most 8 characters) first."""
    for size in range(min(8, len(run)), 0, -1):
        yield size, run[-size:]


def _issuer_code(run: str, need_prefix: bool) -> str | None:
    """The issuer code at the end of a CJK run (see the module docstring)."""
    known = registry().prefixes
    for _, code in _suffixes(run):
        for k in range(len(code), 1, -1):  # a registry prefix may hold 县 or 市 itself
            if code[:k] in known and not STOP_CHARS.intersection(code[k:]):
                return code
    for _, code in _suffixes(run):
        if code[0] in _PLACES and _stop_free(code):
            return code
    for size, code in _suffixes(run):
        if code[0] in AGENCY_INITIALS and _stop_free(code):
            # 涿财预: a county initial the tables do not list stays part of the code
            # (an unknown issuer, listed for review) instead of becoming the Ministry's 财预
            before = run[-size - 1:-size]
            if before and not STOP_CHARS.intersection(before) and size < 8:
                return before + code
            return code
    return None if need_prefix else run[-4:]


def _matches(text: str):
    search = to_halfwidth_digits(text)
    for pattern in (_BRACKETED, _BARE):
        for m in pattern.finditer(search):
            bare, hao = pattern is _BARE, bool(m["hao"])
            if not hao and _NOT_A_SERIAL.match(search, m.end()):
                continue
            code = _issuer_code(m["run"], need_prefix=bare or not hao)
            if code is None:
                continue
            start = m.end("run") - len(code)
            year, serial = int(m["year"]), int(m["serial"])
            number = DocumentNumber(text[start:m.end()], code, year, serial,
                                    f"{code}〔{year}〕{serial}号")
            yield NumberMatch(number, start, m.end())
            end = m.end()
            while hao and (more := _MORE.match(search, end)):
                serial = int(more["serial"])
                at = more.start("serial")
                first = at - (1 if search[at - 1] == "第" else 0)
                yield NumberMatch(DocumentNumber(text[first:more.end()], code, year, serial,
                                                 f"{code}〔{year}〕{serial}号"), first, more.end())
                end = more.end()


def find_document_numbers(text: str) -> list[NumberMatch]:
    """All document numbers in ``text``, in order of appearance.

    >>> [m.number.canonical for m in find_document_numbers(
    ...     "关于下达资金的通知冀财教(2020)181号；邢市财建【2020】95号文件")]
    ['冀财教〔2020〕181号', '邢市财建〔2020〕95号']
    """
    found = sorted(_matches(text), key=lambda m: m.start)
    result: list[NumberMatch] = []
    for m in found:  # the two patterns never overlap in practice; keep the first
        if not result or m.start >= result[-1].end:
            result.append(m)
    return result


def parse_document_number(text: str) -> DocumentNumber | None:
    """The number when ``text`` is exactly one (spaces and a trailing 文件 ignored).

    >>> parse_document_number(" 保财社【2025】35 ").canonical
    '保财社〔2025〕35号'
    >>> parse_document_number("2021年") is None
    True
    """
    body = text.strip()
    body = body[:-2].rstrip() if body.endswith("文件") else body
    found = find_document_numbers(body)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(body):
        return found[0].number
    return None
