"""Whitespace and width clean-up for printed Chinese text.

Tika turns Word cells into lines padded with ideographic spaces (U+3000), NBSPs
and runs of ASCII spaces ("其中：财政    资金").  Labels must compare equal however
they were padded, but values must stay as printed.  So there are three tools:

- ``clean`` makes text presentable without changing what it says;
- ``label_key`` makes a matching key for labels (never show it to people);
- ``to_halfwidth_digits`` turns full-width digits and letters into ASCII so the
  other normalisers can read numbers, leaving brackets and CJK punctuation alone.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean", "label_key", "to_halfwidth_digits", "is_cjk"]

# Ideographs, CJK punctuation (U+3000-U+303F), full-width forms (U+FF00-U+FFEF) and
# the curly quotes Chinese text uses (“”‘’): a space between two of these is layout.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uffef\u2018\u2019\u201c\u201d"
_WS_RUN = re.compile(r"\s+")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_LABEL_DROP = re.compile(r"[\s：:（）()%％，,。、；;*＊·]+")
# Full-width digits, upper and lower case letters, and the full-width full stop.
_FULLWIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0e]")


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph (not punctuation).

    >>> is_cjk("财"), is_cjk("】"), is_cjk("1")
    (True, False, False)
    """
    return bool(ch) and ("\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff"
                         or "\uf900" <= ch <= "\ufaff")


def clean(s: str) -> str:
    """Trim, collapse whitespace runs to one space, drop spaces between CJK characters.

    >>> clean("\\u3000其中：财政    资金 ")
    '其中：财政资金'
    >>> clean("≥95 %\\t以上")
    '≥95 % 以上'
    """
    collapsed = _WS_RUN.sub(" ", s).strip()
    return _SPACE_BETWEEN_CJK.sub("", collapsed)


@lru_cache(maxsize=16384)
def label_key(s: str) -> str:
    """Key for matching labels: NFKC, no whitespace (so no line breaks either), no
    ：:（）()%％ and no ，,。、；;*·.

    Cached: the same few hundred labels are asked for on every row.

    >>> label_key("其中：财政    资金")
    '其中财政资金'
    >>> label_key("资金支出计划（%）")
    '资金支出计划'
    >>> label_key("一级\\n\\n指标"), label_key("其中：财政拨款。")
    ('一级指标', '其中财政拨款')
    """
    return _LABEL_DROP.sub("", unicodedata.normalize("NFKC", s))


def to_halfwidth_digits(s: str) -> str:
    """Full-width digits, letters and ． to ASCII; everything else unchanged.

    The result has the same length as ``s``, so offsets stay valid.

    >>> to_halfwidth_digits("保财社【２０２５】３５号 ＡＢ．")
    '保财社【2025】35号 AB.'
    """
    return _FULLWIDTH.sub(lambda m: unicodedata.normalize("NFKC", m.group()), s)
