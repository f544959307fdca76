"""What a citation says: document numbers, titles and issuing agencies.

Cells cite policies as "保定市财政局 保定市人力资源和社会保障局 关于提前下达…的通知
保财社【2025】87号", as a bare number, as a title in 《》 (or ASCII <<…>>), or as
关于…的通知 cut off at the cell edge ("…专项资金的通").  Researchers link indicators
to directives and directives to issuers, so every part is read and kept as printed.

Rules:
- titles: 《…》/<<…>> contents, then 关于…的 + a document type (``TITLE_TYPES``)
  outside those brackets, within one clause (no ，。；; a 《…》 inside counts as one
  unit).  A 关于… phrase running to the end of the text (document numbers aside) is
  kept as printed with ``title_truncated=True`` when it ends in "的" or a cut-off
  type ("的通"), or when nothing but document numbers precedes it.
- issuers: the text right before a 关于 title (after the last bracket, comma,
  digit or document number), split at spaces, 、 and agency suffixes
  (``ISSUER_SUFFIXES``); a piece that does not start like an organisation
  ("组织部" after "中共河北省委") is joined to the one before.  Nothing is reported
  unless every piece ends in a suffix and none starts with a conjunction (和/与/及).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.domain.docnumbers import DocumentNumber, find_document_numbers
from kg.domain.issuers import registry

__all__ = ["CitationParts", "CitedDocument", "cited_documents", "parse_citation",
           "split_issuers", "TITLE_TYPES", "ISSUER_SUFFIXES"]

#: Document types that end a 关于… title.  Longer forms first.
TITLE_TYPES = ("实施意见", "指导意见", "实施细则", "实施方案", "通知", "意见", "办法",
               "细则", "规定", "决定", "批复", "方案", "计划", "请示", "报告", "函")
#: Endings of agency names.  Longer forms first.
ISSUER_SUFFIXES = ("委员会", "办公室", "政府", "中心", "局", "厅", "部", "委", "院", "室", "办")

_QUOTED = re.compile(r"《(?P<t>[^《》]+)》|<<(?P<a>[^<>]+)>>")
_TYPES = "|".join(TITLE_TYPES)
_BODY = r"(?:《[^《》\n]*》|[^，。；,;\n《》])"  # a 《》 inside a title is one unit
_ABOUT = re.compile(rf"关于{_BODY}*?的(?:暂行|试行|若干|管理|补充)?(?:{_TYPES})")
_CLAUSE = re.compile(rf"关于{_BODY}*")
_CUT_ENDS = ("的",) + tuple({"的" + t[:i] for t in TITLE_TYPES for i in range(1, len(t))})
_PIECE = re.compile(rf".+?(?:{'|'.join(ISSUER_SUFFIXES)})")
_ORG_START = re.compile(r"中共|中华人民共和国|国务院|国家|[\u4e00-\u9fff]{1,7}?[省市县区]")
_ZONE_BREAK = re.compile(r"[《》<>（）()，。；：:,;\[\]【】〔〕\d\n]")


@dataclass(frozen=True)
class CitationParts:
    """Everything one printed citation text names: its document numbers, titles and
    issuers, each list on its own (``cited_documents`` pairs them up per document).

    >>> parse_citation("《预算法》").titles
    ('预算法',)
    """

    printed: str
    numbers: tuple[DocumentNumber, ...]
    titles: tuple[str, ...]
    issuers: tuple[str, ...]
    #: a title cut off at the cell edge (…的通); JSON key ``truncated_title`` (schema 2)
    title_truncated: bool = field(metadata={"json": "truncated_title"})


def split_issuers(text: str) -> tuple[str, ...] | None:
    """Agency names in ``text``; None unless all of it is agency names.

    >>> split_issuers("中共河北省委组织部 河北省财政厅")
    ('中共河北省委组织部', '河北省财政厅')
    >>> split_issuers("河北省财政厅河北省科学技术厅")
    ('河北省财政厅', '河北省科学技术厅')
    """
    names: list[str] = []
    for chunk in re.split(r"[\s、]+", text.strip()):
        pieces = _PIECE.findall(chunk)
        if "".join(pieces) != chunk or any(p[0] in "和与及暨同" for p in pieces):
            return None
        for i, piece in enumerate(pieces):
            if i and not _ORG_START.match(piece):
                names[-1] += piece
            else:
                names.append(piece)
    return tuple(names) or None


def _zone_before(text: str, start: int, blocked: list[tuple[int, int]]) -> str:
    """The text between the last bracket, comma, number or digit and ``start``."""
    zone_start = max([0] + [e for _, e in blocked if e <= start])
    breaks = list(_ZONE_BREAK.finditer(text, zone_start, start))
    return text[breaks[-1].end() if breaks else zone_start:start]


def _outside(text: str, begin: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``text[begin:end]`` without the characters inside ``spans``."""
    return "".join(text[i] for i in range(begin, end)
                   if not any(s <= i < e for s, e in spans))


def _open_title(text: str, start: int, numbers: list[tuple[int, int]]) -> str | None:
    """A 关于… phrase without a document type, if it is a title cut off as printed."""
    clause = _CLAUSE.match(text, start)  # matches wherever 关于 is: its body may be empty
    assert clause is not None
    end = min([clause.end()] + [s for s, _ in numbers if s > start])
    if _outside(text, end, len(text), numbers).strip():  # not at the edge of the cell
        return None
    title = text[start:end].rstrip()
    if title.endswith(_CUT_ENDS) or not _outside(text, 0, start, numbers).strip():
        return title
    return None


@dataclass(frozen=True)
class _Title:
    start: int  # of the title (its 《 when quoted)
    end: int
    text: str
    truncated: bool
    issuers: tuple[str, ...]
    lead: int  # where the issuers printed before it begin (= start without issuers)


def _titles(text: str, numbers: list[tuple[int, int]]) -> list[_Title]:
    """Every title in ``text`` with the issuers printed before (or inside) it."""
    quoted = [(m.start(), m.end(), m["t"] or m["a"]) for m in _QUOTED.finditer(text)]
    blocked = numbers + [(s, e) for s, e, _ in quoted]
    out: list[_Title] = []
    for s, e, t in quoted:  # 《邢台市发改委关于…的通知》 names its issuer inside
        inside = split_issuers(t[:t.find("关于")]) if t.find("关于") > 0 else None
        out.append(_Title(s, e, t, False, inside or (), s))
    for m in re.finditer("关于", text):
        if any(s <= m.start() < e for s, e in blocked) or any(
                t.start < m.start() < t.end for t in out):
            continue
        full = _ABOUT.match(text, m.start())
        title = full.group() if full else _open_title(text, m.start(), numbers)
        if title is None:
            continue
        zone = _zone_before(text, m.start(), blocked)
        issuers = split_issuers(zone) or ()
        lead = m.start() - len(zone) if issuers else m.start()
        out.append(_Title(m.start(), m.start() + len(title), title, full is None, issuers, lead))
    return sorted(out, key=lambda t: t.start)


def parse_citation(text: str) -> CitationParts:
    """Read numbers, titles and issuers from a citation text.

    >>> c = parse_citation("保定市财政局 保定市人力资源和社会保障局 "
    ...     "关于提前下达2026年省级就业补助资金预算的通知 保财社【2025】87号")
    >>> c.issuers
    ('保定市财政局', '保定市人力资源和社会保障局')
    >>> c.titles, [n.canonical for n in c.numbers]
    (('关于提前下达2026年省级就业补助资金预算的通知',), ['保财社〔2025〕87号'])
    """
    matches = find_document_numbers(text)
    titles = _titles(text, [(m.start, m.end) for m in matches])
    issuers = tuple(dict.fromkeys(i for t in titles for i in t.issuers))
    return CitationParts(text, tuple(m.number for m in matches), tuple(t.text for t in titles),
                    issuers, any(t.truncated for t in titles))


@dataclass(frozen=True)
class CitedDocument:
    """One document a text cites: by number, by title, or by both printed side by
    side (then the title and issuers are that number's), with its offsets."""

    number: DocumentNumber | None
    title: str | None
    title_truncated: bool
    issuers: tuple[str, ...]
    start: int
    end: int


_GAP_BEFORE = re.compile(r"[\s（(【\[〔〈]*")  # title … number
_GAP_AFTER = re.compile(r"[\s）)】\]〕〉]*")  # number … issuers + title


def cited_documents(text: str) -> list[CitedDocument]:
    """The documents ``text`` cites.  A title belongs to a number only when nothing
    but spaces and brackets separates them, so in "根据《预算法》和保财社【2025】87号"
    the law and the notice stay two documents.

    >>> [(d.number and d.number.canonical, d.title) for d in cited_documents(
    ...     "冀财教(2020)181号河北省财政厅 河北省科学技术厅关于提前下达资金的通知绩效目标表")]
    [('冀财教〔2020〕181号', '关于提前下达资金的通知')]
    >>> [(d.number and d.number.canonical, d.title) for d in cited_documents(
    ...     "根据《预算法》和保财社【2025】87号")]
    [(None, '预算法'), ('保财社〔2025〕87号', None)]
    """
    return list(_cited_documents(text, registry().digest))


@lru_cache(maxsize=65536)
def _cited_documents(text: str, registry_digest: str) -> tuple[CitedDocument, ...]:
    """``cited_documents`` as a tuple of frozen records, cached: a pure function of
    the text and the issuer registry (hence its digest in the key), and the same
    texts (bases, targets, notice titles) recur across the tables of a document and
    across documents."""
    matches = find_document_numbers(text)
    titles = _titles(text, [(m.start, m.end) for m in matches])
    taken: set[int] = set()
    out: list[CitedDocument] = []
    for m in matches:
        best: int | None = None
        gap: float | None = None
        for i, t in enumerate(titles):
            if i in taken:
                continue
            g: float
            if t.end <= m.start and _GAP_BEFORE.fullmatch(text, t.end, m.start):
                g = m.start - t.end
            elif t.lead >= m.end and _GAP_AFTER.fullmatch(text, m.end, t.lead):
                g = t.lead - m.end + 0.5  # a tie goes to the title before
            else:
                continue
            if gap is None or g < gap:
                best, gap = i, g
        if best is None:
            out.append(CitedDocument(m.number, None, False, (), m.start, m.end))
        else:
            t = titles[best]
            taken.add(best)
            out.append(CitedDocument(m.number, t.text, t.truncated, t.issuers,
                                     min(m.start, t.lead), max(m.end, t.end)))
    out += [CitedDocument(None, t.text, t.truncated, t.issuers, t.lead, t.end)
            for i, t in enumerate(titles) if i not in taken]
    return tuple(sorted(out, key=lambda d: d.start))
