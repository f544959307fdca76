"""Layout variants of the samples: the same disclosure as other converters, Word
habits and templates print it, with the known answers unchanged.

A sample is read into a small document model (paragraphs; tables of rows of cells,
each cell a list of paragraphs), rewritten by any of the ``TRANSFORMS`` below, and
written back as Tika text (``to_tika``), as .docx (``writers.to_docx``) or as HTML
(``writers.to_html``); ``answers`` says what must not change.
"""
from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass, field

from kg.domain.indicators import LEVEL1, LEVEL2
from kg.domain.text import label_key
from kg.extract.labels import (
    BLOCK_LABELS,
    FIELD_LABELS,
    FUNDING_SOURCES,
    GOAL_LABELS,
    INDICATOR_COLUMNS,
    PLAN_LABELS,
    SECTION_LABELS,
    UNIT_CELL,
    column_of,
    field_of,
    is_goal_label,
    month_of,
)
from kg.extract.labels import TITLE as _TITLE
from kg.read.layout import _HEADING, Paragraph, parse_layout


@dataclass
class Para:
    text: str
    bookmarks: list[str] = field(default_factory=list)


@dataclass
class Cell:
    paras: list[str]

    @property
    def text(self) -> str:
        return "\n".join(p for p in self.paras if p.strip()).strip()


@dataclass
class Tbl:
    rows: list[list[Cell]]


Doc = list  # of Para | Tbl


def from_text(text: str) -> Doc:
    """Tika text → document model (artefacts such as padding and quotes dropped)."""
    doc: Doc = []
    for b in parse_layout(text).blocks:
        if isinstance(b, Paragraph):
            doc.append(Para(b.text, list(b.bookmarks)))
        else:
            doc.append(Tbl([[Cell([p.text for p in c.parts if p.text.strip()] or [""])
                             for c in r.cells] for r in b.rows]))
    return doc


def to_tika(doc: Doc, tight_titles: bool = False) -> str:
    """Document model → Tika text.  An empty paragraph inside a cell prints as a
    blank line; ``tight_titles`` prints a title right after the last row above it."""
    out: list[str] = []
    after_table = False
    for block in doc:
        if isinstance(block, Para):
            if after_table and not (tight_titles and _HEADING.match(block.text)):
                out.append("")
            elif after_table:
                out.pop()  # the blank that ended the last row
            out.append("".join(f"[bookmark: {b}]" for b in block.bookmarks) + block.text)
            after_table = False
            continue
        for row in block.rows:
            for cell in row:
                out.append("\t" + cell.paras[0])
                out.extend(cell.paras[1:])
            out.append("")
        after_table = True
    return "\n".join(out) + "\n"


# --- where things are in a sample ------------------------------------------------------

_LABEL_KEYS = {label_key(v) for vs in FIELD_LABELS.values() for v in vs} | {
    label_key(v) for v in (*GOAL_LABELS, *PLAN_LABELS, *SECTION_LABELS)} | {
    label_key(v) for vs in INDICATOR_COLUMNS.values() for v in vs}
_LEVEL_KEYS = {label_key(v) for v in (*LEVEL1.values(), *LEVEL2.values())}


def _header_index(t: Tbl) -> int | None:
    for i, row in enumerate(t.rows):
        cols = [column_of(c.text) for c in row]
        if "level1" in cols and sum(c is not None for c in cols) >= 3:
            return i
    return None


def _indicator_rows(t: Tbl) -> list[list[Cell]]:
    """The rows under the indicator header that start a printed row (not the later
    pieces of a row Word split over blocks)."""
    h = _header_index(t)
    if h is None:
        return []
    width, acc, out = len(t.rows[h]), 0, []
    for row in t.rows[h + 1:]:
        if acc == 0 and len(row) == width:
            out.append(row)
        acc = 0 if acc + len(row) >= width else acc + len(row)
    return out


def _tables(doc: Doc) -> list[Tbl]:
    return [b for b in doc if isinstance(b, Tbl) and _header_index(b) is not None]


# --- the transforms: each rewrites the model in place ----------------------------------

def split_labels(doc: Doc, rng: random.Random) -> None:
    """A label broken by a paragraph break inside its cell (项目 / 编码), sometimes
    with an empty paragraph between the parts."""
    for t in doc:
        if not isinstance(t, Tbl):
            continue
        for row in t.rows:
            for i, c in enumerate(row):
                text, key = c.text, label_key(c.text)
                known = key in _LABEL_KEYS or (i < 2 and len(row) >= 6 and key in _LEVEL_KEYS)
                if len(c.paras) == 1 and len(text) >= 4 and known and rng.random() < 0.7:
                    k = rng.randint(2, len(text) - 2)
                    c.paras = ([text[:k], "", text[k:]] if rng.random() < 0.5
                               else [text[:k], text[k:]])


def blank_paragraphs(doc: Doc, rng: random.Random) -> None:
    """Cells whose paragraphs are separated by an empty paragraph."""
    for t in doc:
        if isinstance(t, Tbl):
            for row in t.rows:
                for c in row:
                    if len(c.paras) > 1 and "" not in c.paras and rng.random() < 0.6:
                        c.paras = [x for p in c.paras for x in ("", p)][1:]


_RENAMES = {"项目名称": ("项目支出名称",), "预算数": ("年度本级预算金额", "年度资金总额"),
            "其中财政资金": ("其中：财政拨款",), "绩效目标": ("本年度绩效目标", "实施期绩效目标"),
            "指标值": ("指标值及单位",), "指标值确定依据": ("绩效标准",),
            "经济效益指标": ("经济效益",), "社会效益指标": ("社会效益",),
            "生态效益指标": ("生态效益",), "可持续影响指标": ("可持续影响",)}


def other_template(doc: Doc, rng: random.Random) -> None:
    """The Ministry of Finance template's labels: 项目支出名称, 预算部门, 年度本级预算金额,
    其中：财政拨款, 项目支出实施期, 本年度绩效目标, 指标值及单位, 绩效标准, and
    本年度绩效指标 as a row label spanning the indicator block."""
    for t in _tables(doc):
        for row in t.rows:
            for c in row:
                new = _RENAMES.get(label_key(c.text))
                if new:
                    c.paras = [rng.choice(new)]
        rows: list[list[Cell]] = []
        for i, row in enumerate(t.rows):
            rows.append(row)
            if any(field_of(c.text) == "name" for c in row):
                rows.append([Cell(["项目支出实施期"]), Cell(["1年"])])
            first = row[0].text
            if i < 3 and UNIT_CELL.match(first) and "\n" not in first and not field_of(first) \
                    and re.search(r"[\u4e00-\u9fff]", first):
                row.insert(0, Cell(["预算部门"]))
        t.rows = [new for row in rows for new in _amounts_down(row, rng)]
        h = _header_index(t)
        if h is not None:
            width, acc = len(t.rows[h]), 0
            t.rows[h].insert(0, Cell([BLOCK_LABELS[0]]))
            for row in t.rows[h + 1:]:
                n = len(row)
                if acc == 0:
                    row.insert(0, Cell([""]))
                acc = 0 if acc + n >= width else acc + n


def _amounts_down(row: list[Cell], rng: random.Random) -> list[list[Cell]]:
    """The budget row [预算规模…, 预算数, v, 其中…, v, 其他资金, v] as the ministry's
    template prints it: one amount a row under a merged 项目资金（万元） label."""
    pairs = [(row[j], row[j + 1]) for j in range(1, len(row) - 1, 2)]
    if len(row) % 2 == 0 or not pairs or rng.random() < 0.5 or \
            not all(field_of(label.text) in ("budget", "fiscal", "other") for label, _ in pairs):
        return [row]
    return [[Cell(["项目资金（万元）"] if k == 0 else [""]), label, value]
            for k, (label, value) in enumerate(pairs)]


def prose_budget(doc: Doc, rng: random.Random) -> None:
    """The budget only in prose in the purpose cell, naming a funding source:
    ``预算数24.31万元。其中：政府性基金24.31万元。…``; its cells are gone."""
    for t in doc:
        if not isinstance(t, Tbl):
            continue
        for i, row in enumerate(t.rows[:-1]):
            values = {}
            for j, c in enumerate(row[:-1]):
                f = field_of(c.text)
                if f in ("budget", "fiscal", "other") and row[j + 1].text:
                    values[f] = row[j + 1].text
            if "budget" not in values or not re.fullmatch(r"[\d.]+", values["budget"]) \
                    or rng.random() < 0.4:  # the rest keep their cells (renamed, maybe)
                continue
            purpose = [c for c in t.rows[i + 1] if c.text]
            if len(purpose) != 1 or len(t.rows[i + 1]) > 2:
                continue
            words = [f"预算数{values['budget']}万元。"]
            if "fiscal" in values:
                words.append(f"其中：{rng.choice(FUNDING_SOURCES['fiscal'])}{values['fiscal']}万元")
            if "other" in values:
                words.append(f"，{rng.choice(FUNDING_SOURCES['other'][1:])}{values['other']}万元")
            sentence = "".join(words) + ("。" if len(words) > 1 else "")
            purpose[0].paras[0] = sentence + purpose[0].paras[0]
            t.rows[i] = [row[0] if label_key(row[0].text) in {label_key(s) for s in SECTION_LABELS}
                         else Cell(["预算规模及资金用途"])]


_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


def quarter_plan(doc: Doc, rng: random.Random) -> None:
    """Quarters instead of month-ends, values as bare numbers (25.00 → 25)."""
    for t in doc:
        if not isinstance(t, Tbl):
            continue
        for i, row in enumerate(t.rows[:-1]):
            months = [c for c in row if month_of(c.text)]
            if len(months) == 4:
                for c, q in zip(months, _QUARTERS, strict=False):
                    c.paras = [q]
                for c in t.rows[i + 1]:
                    if re.fullmatch(r"\d+\.0+", c.text):
                        c.paras = [c.text.split(".")[0]]


_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.、．]\s*")


def goals_per_row(doc: Doc, rng: random.Random) -> None:
    """Goals one per row under the 绩效目标 label (its merged cell left empty),
    numbered 目标1： as some templates do."""
    for t in doc:
        if not isinstance(t, Tbl):
            continue
        for row in list(t.rows):
            if len(row) != 2 or not is_goal_label(row[0].text):
                continue
            groups: list[list[str]] = []
            for p in row[1].paras:
                if _NUMBERED.match(p) or not groups:
                    groups.append([p])
                elif p:
                    groups[-1].append(p)
            if len(groups) < 2 or not all(_NUMBERED.match(g[0]) for g in groups):
                continue
            style = rng.random() < 0.5
            if style:
                groups = [[_NUMBERED.sub(lambda m: f"目标{m.group(1)}：", g[0], count=1), *g[1:]]
                          for g in groups]
            at = next(k for k, r in enumerate(t.rows) if r is row)
            t.rows[at:at + 1] = [[row[0] if k == 0 else Cell([""]), Cell(g)]
                                 for k, g in enumerate(groups)]


def split_header(doc: Doc, rng: random.Random) -> None:
    """An indicator header with its first cells split over two paragraphs, followed
    by a row of empty cells (the lower half of a two-row header), or split over two
    blocks after its first two cells."""
    for t in _tables(doc):
        h = _header_index(t)
        header = t.rows[h]
        for c in header[:3]:
            text = c.text
            c.paras = [text[:2], text[2:]] if len(text) >= 4 else c.paras
        if rng.random() < 0.5:
            t.rows.insert(h + 1, [Cell([""]) for _ in header])
        else:
            t.rows[h:h + 1] = [header[:2], header[2:]]


def merged_first_cells(doc: Doc, rng: random.Random) -> None:
    """Continuation rows whose merged (empty) level-1 and level-2 cells are left
    out, so the row starts with its level-2 or level-3 cell."""
    for t in _tables(doc):
        for row in _indicator_rows(t):
            if not row[0].text and rng.random() < 0.8:
                del row[0]
                if not row[0].text and rng.random() < 0.7:
                    del row[0]


def titles_in_tables(doc: Doc, rng: random.Random) -> None:
    """Tables back to back: some titles moved into the first row of their table, so
    nothing but the table boundary separates one project from the next."""
    out: Doc = []
    for i, block in enumerate(doc):
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if isinstance(block, Para) and isinstance(nxt, Tbl) and _header_index(nxt) is not None \
                and isinstance(out[-1] if out else None, Tbl) and _TITLE.match(block.text) \
                and rng.random() < 0.6:
            nxt.rows.insert(0, [Cell([block.text])])
            continue
        out.append(block)
    doc[:] = out


TRANSFORMS = {f.__name__: f for f in (
    other_template, prose_budget, quarter_plan, goals_per_row, split_header,
    merged_first_cells, split_labels, blank_paragraphs, titles_in_tables)}
# merged_first_cells must come after other_template (it removes the block cell too)


def variant(text: str, names: list[str], seed: int) -> Doc:
    """The sample's model with the named transforms applied (in ``TRANSFORMS`` order)."""
    rng = random.Random(seed)
    doc = copy.deepcopy(from_text(text))
    for name in TRANSFORMS:
        if name in names:
            TRANSFORMS[name](doc, rng)
    return doc


def variant_specs(count: int, seed: int) -> list[tuple[list[str], bool, int]]:
    """``count`` variants: all transforms first, then random subsets; each with
    whether titles follow the last row directly, and a seed."""
    rng = random.Random(seed)
    names = list(TRANSFORMS)
    specs = [(names, True, seed)]
    for k in range(1, count):
        chosen = [n for n in names if rng.random() < 0.5] or [rng.choice(names)]
        specs.append((chosen, rng.random() < 0.5, seed + k))
    return specs
