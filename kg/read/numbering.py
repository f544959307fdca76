"""Word's automatic list numbers (``word/numbering.xml``): the ``1.`` or ``（一）`` a
paragraph shows but does not hold in its text.  Tika prints them, and titles and
goals are numbered this way (``1.2026年统计调查资金绩效目标表``), so the .docx front
end puts them back: each paragraph with ``w:numPr`` gets its level's ``lvlText``
with the counters filled in.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (the counting style Word calls chineseCounting)."""
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    if n >= 100:
        return str(n)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def _val(lvl: ET.Element, tag: str, default: str) -> str:
    """A list level's ``w:val`` of child ``tag``, or ``default``."""
    el = lvl.find(W + tag)
    return el.get(W + "val", default) if el is not None else default


def _letter(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str, "chineseCounting": _chinese, "chineseCountingThousand": _chinese,
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "upperLetter": _letter, "lowerLetter": lambda n: _letter(n).lower(),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 0 < n <= 20 else str(n),
    "decimalZero": lambda n: f"{n:02d}", "bullet": lambda n: "",
}


class Numbering:
    """The list definitions of one document, and the counters as paragraphs go by."""

    def __init__(self, xml: bytes | None):
        #: numId → ilvl → (format, text, start)
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if not xml:
            return
        try:
            root = ET.fromstring(xml)
        except ET.ParseError:
            return  # a broken numbering part costs the numbers, not the document
        abstract = {a.get(W + "abstractNumId"): self._levels(a)
                    for a in root.iter(W + "abstractNum")}
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is not None and num.get(W + "numId") is not None:
                self.levels[num.get(W + "numId", "")] = abstract.get(ref.get(W + "val"), {})

    @staticmethod
    def _levels(abstract: ET.Element) -> dict[int, tuple[str, str, int]]:
        out = {}
        for lvl in abstract.iter(W + "lvl"):
            out[int(lvl.get(W + "ilvl", "0"))] = (_val(lvl, "numFmt", "decimal"),
                                                   _val(lvl, "lvlText", ""),
                                                   int(_val(lvl, "start", "1")))
        return out

    def label(self, p: ET.Element) -> str:
        """The number Word shows before paragraph ``p`` (empty if it has none)."""
        pr = p.find(W + "pPr")
        num = pr.find(W + "numPr") if pr is not None else None
        if num is None or not self.levels:
            return ""
        num_el, ilvl = num.find(W + "numId"), num.find(W + "ilvl")
        num_id = num_el.get(W + "val", "") if num_el is not None else ""
        level = int(ilvl.get(W + "val", "0")) if ilvl is not None else 0
        levels = self.levels.get(num_id)
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        for k in range(level + 1):
            if f"%{k + 1}" in text:
                f, _, s = levels.get(k, ("decimal", "", 1))
                text = text.replace(f"%{k + 1}", _FORMATS.get(f, str)(counters.get(k, s)))
        return text
