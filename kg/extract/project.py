"""Project performance tables (项目绩效目标表) → ``ProjectTable`` records.

A table is read by its printed labels, not by position: label cells (项目编码,
预算数, 绩效目标, 一级指标 …, see ``labels``) say what the next cell or the next row
holds.  That keeps the reader working when a publisher reorders or drops a row,
renames a label, or leaves out the title.  Anything in the table that no label
explains is kept as an ``Unplaced`` record with a warning.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import config
from ..domain.amounts import Amount, parse_amount
from ..domain.funding import funding_level, funds_year, is_classified
from ..read.layout import Cell, Paragraph, Row, Table
from ..records import Citation, Goal, Milestone, ProjectTable, Span, SpendingPlan, UnitRef
from .citations import citations_in
from .context import Context
from .indicators import join_split_header, read_indicators
from .labels import (
    AMOUNT_UNIT,
    MONTH,
    TITLE,
    UNIT_CELL,
    column_of,
    field_of,
    is_goal_label,
    is_plan_label,
    is_section_label,
    month_of,
)
from .prose import amounts_in_prose

START_KINDS = {"unit", "fields", "budget", "goals", "plan_header", "title"}
BASIC_NAMES = ("人员经费", "日常公用经费", "公用经费", "基本支出")
_GOAL_NUMBER = re.compile(r"^\s*(?:目标\s*)?(\d{1,2})\s*[.、．：:]\s*")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def row_kind(row: Row) -> str:
    """What a row of a project table is, judged by its labels."""
    return _row_kind(tuple(row.texts))


@lru_cache(maxsize=65536)
def _row_kind(texts: tuple[str, ...]) -> str:
    """``row_kind`` of a row's cell texts: a pure function of them, cached because
    every table is walked twice (``project_rows``, then the builder) and the same
    rows (headers, level-1/2 labels) recur in every document."""
    nonempty = [t for t in texts if t]
    if not nonempty:
        return "empty"
    columns = [column_of(t) for t in texts]
    if "level1" in columns and sum(c is not None for c in columns) >= 3:
        return "indicator_header"
    first = nonempty[0]
    if is_goal_label(first):
        return "goals"
    if is_plan_label(first) or sum(bool(MONTH.match(t)) for t in nonempty) >= 2:
        return "plan_header"
    fields = {field_of(t) for t in texts}
    if fields & {"code", "name", "unit", "period"}:
        return "fields"
    if fields & {"budget", "fiscal", "other", "purpose"} or is_section_label(first):
        return "budget"
    if any(AMOUNT_UNIT.match(t) for t in nonempty):
        return "unit"
    m = UNIT_CELL.match(first)
    if m and _HAN.search(m.group(2)) and len(nonempty) <= 2 and "\n" not in first:
        return "unit"
    if len(nonempty) == 1 and TITLE.match(first) and len(first) < 120:
        return "title"
    return "other"


def project_rows(table: Table) -> list[Row] | None:
    """The rows of a performance table (a split indicator header joined into one row),
    or None when the table is not one.  A performance table has indicators, goals or a
    project code; 三公 and procurement tables also say 项目名称, so that alone is not
    enough."""
    rows = join_split_header(table.rows)
    for row in rows:
        kind = row_kind(row)
        if kind in ("indicator_header", "goals"):
            return rows
        if kind == "fields" and any(field_of(t) == "code" for t in row.texts):
            return rows
    return None


def parse_unit(cell: Cell, ctx: Context) -> UnitRef | None:
    """``303001保定白沟新城改革发展科技局（本级）`` → code, name, 本级 flag."""
    m = UNIT_CELL.match(cell.text)
    if not m:
        return None
    name = m.group(2)
    own = bool(re.search(r"[（(]?本级[)）]?$", name))
    name = re.sub(r"[（(]?本级[)）]?$", "", name).strip()
    return UnitRef(cell.text, m.group(1), name, own, ctx.span(cell))


def title_name(title: str | None) -> str | None:
    """The project name a title gives: ``1.综合业务管理(物价)绩效目标表`` → 综合业务管理(物价).

    >>> title_name("3、公共资源交易中心专项经费项目绩效目标")
    '公共资源交易中心专项经费'
    >>> title_name("23、政府服务热线服务外包项目绩效目标")
    '政府服务热线服务外包项目'
    """
    m = TITLE.match(title or "")
    if not m:
        return None
    name = m.group("name").strip()
    if name.endswith("项目") and re.search(r"(经费|资金|费)项目$", name):
        name = name[:-2]
    return name or None


@dataclass
class _Builder:
    """Collects the rows of one project while the table is walked."""
    ctx: Context
    title: Paragraph | None
    amount_unit: str
    unit: UnitRef | None = None
    fields: dict[str, Cell] = field(default_factory=dict)
    purpose: list[Cell] = field(default_factory=list)
    plan_header: Row | None = None
    plan_values: Row | None = None
    goal_cells: list[Cell] = field(default_factory=list)
    header: Row | None = None
    rows: list[Row] = field(default_factory=list)
    all_rows: list[Row] = field(default_factory=list)
    state: str = "head"

    @property
    def has_body(self) -> bool:
        return bool(self.goal_cells or self.header)

    def add(self, row: Row, kind: str) -> None:
        ctx = self.ctx
        self.all_rows.append(row)
        if kind == "empty":
            ctx.use(row)
        elif kind == "indicator_header":
            if self.header is not None:
                ctx.warn(row.first, "repeated-header")
            self.header, self.state = row, "indicators"
            ctx.use(row)
        elif self.state == "indicators":
            self.rows.append(row)
        elif kind == "unit":
            self._unit_row(row)
        elif kind in ("fields", "budget"):
            self._label_row(row)
            if kind == "budget":
                self.state = "purpose"
        elif kind == "plan_header":
            self.plan_header, self.state = row, "plan_values"
            ctx.use(row)
        elif kind == "goals":
            cells = [c for c in row.cells if c.text]
            self.goal_cells.extend(cells[1:])
            ctx.use(row)
            self.state = "goals"
        elif kind == "title" and self.title is None:
            cell = next(c for c in row.cells if c.text)
            self.title = Paragraph(cell.first, cell.text)
            ctx.use(row)
        elif self.state == "goals" and (row.cells[0].empty
                                        or len([c for c in row.cells if c.text]) == 1):
            self.goal_cells.extend(c for c in row.cells if c.text)  # one goal per row
            ctx.use(row)
        elif self.state == "purpose":
            self.purpose.extend(c for c in row.cells if c.text)
            ctx.use(row)
            self.state = "head"
        elif self.state == "plan_values":
            self.plan_values, self.state = row, "head"
            ctx.use(row)
        else:
            ctx.unplace(row, "row not recognised in project table")

    def _unit_row(self, row: Row) -> None:
        for cell in row.cells:
            m = AMOUNT_UNIT.match(cell.text)
            if m:
                self.amount_unit = m.group(1)
                self.ctx.use(cell)
            elif cell.empty:
                self.ctx.use(cell)
            elif self.unit is None and (unit := parse_unit(cell, self.ctx)):
                self.unit = unit
                self.ctx.use(cell)
            else:
                self.ctx.unplace(cell, "unexpected cell in unit row")

    def _label_row(self, row: Row) -> None:
        cells = row.cells
        i = 0
        while i < len(cells):
            cell = cells[i]
            name = field_of(cell.text)
            if (m := AMOUNT_UNIT.match(cell.text)) and not name:
                self.amount_unit = m.group(1)
                self.ctx.use(cell)
            elif name:
                nxt = cells[i + 1] if i + 1 < len(cells) else None
                self.ctx.use(cell)
                if (nxt is not None and field_of(nxt.text) is None
                        and not is_section_label(nxt.text)):
                    self.fields[name] = nxt
                    self.ctx.use(nxt)
                    i += 2
                    continue
                self.fields[name] = Cell([], [])  # label printed, value left empty
            elif cell.empty or is_section_label(cell.text):
                self.ctx.use(cell)
            else:
                self.ctx.unplace(cell, "value without a label in project table")
            i += 1


def _split_goals(cells: list[Cell], ctx: Context) -> list[Goal]:
    goals: list[Goal] = []
    for cell in cells:
        for part in cell.parts:
            text = part.text.strip()
            if not text:
                continue
            m = _GOAL_NUMBER.match(text)
            span = Span(ctx.file, part.line, part.line)
            if m or not goals:
                goals.append(Goal(m.group(1) if m else None, text[m.end():] if m else text, span))
            else:
                g = goals[-1]
                goals[-1] = Goal(g.number, g.text + "\n" + text,
                                 Span(span.file, g.span.first, part.line))
    return goals


def _plan(b: _Builder, budget: Amount | None) -> SpendingPlan | None:
    """Read the plan; tell cumulative amounts from percentages by the values: printed
    with %, ending at 100, or ending at (or within) the budget, all in printed units."""
    if b.plan_header is None:
        return None
    ctx = b.ctx
    header = b.plan_header.cells
    values = b.plan_values.cells if b.plan_values else []
    offset = len(header) - len(values)
    found = []  # (header cell, month, value cell, printed, raw number)
    for i, hc in enumerate(header):
        j = i - offset
        vc = values[j] if 0 <= j < len(values) else None
        month = month_of(hc.text)
        if month is None:
            if i > 0 and (hc.text or (vc is not None and vc.text)):
                for c in (hc, vc):
                    if c is not None and c.text:
                        ctx.unplace(c, "spending-plan column with a heading that is not a month")
            continue
        printed = vc.text if vc is not None else ""
        raw = parse_amount(printed.rstrip("%％")) if printed else None
        if raw is not None and raw.value is None and vc is not None:
            ctx.warn(vc.first, "bad-plan-value", heading=hc.text, printed=printed)
        found.append((hc, month, vc, printed, raw.value if raw else None))
    nums = [v for *_, v in found if v is not None]
    heading = header[0].text if header and month_of(header[0].text) is None else ""
    reparsed = parse_amount(budget.printed) if budget is not None else None
    raw_budget = reparsed.value if reparsed is not None else None
    if not nums:
        kind, evidence = "empty", "no value printed"
    elif any("%" in p or "％" in p for _, _, _, p, _ in found):
        kind, evidence = "percent", "values printed with %"
    elif nums[-1] == 100 and raw_budget == 100:
        kind, evidence = "percent", "ambiguous: ends at 100 for a budget of 100"
    elif raw_budget is not None and nums[-1] == raw_budget:
        kind, evidence = "amount", f"last value {nums[-1]} equals the budget"
    elif nums[-1] == 100 and all(v <= 100 for v in nums):
        kind, evidence = "percent", "values end at 100"
    elif raw_budget is not None and max(nums) <= raw_budget:
        kind, evidence = "amount", "values within the budget"
    else:
        kind = "percent" if "%" in heading else "amount"
        evidence = f"unsure; taken from the heading {heading!r}"
        ctx.warn(b.plan_header.first, "plan-kind-unsure", kind=kind)
    milestones = []
    for hc, month, vc, printed, number in found:
        value = number
        if kind == "amount" and printed and number is not None:  # into 万元, as budgets are
            in_wan = parse_amount(printed, default_unit=b.amount_unit)
            value = in_wan.value if in_wan is not None else None
        milestones.append(Milestone(hc.text, month, printed, value,
                                    ctx.span(vc if vc is not None else hc)))
    rows = [r for r in (b.plan_header, b.plan_values) if r]
    return SpendingPlan(kind, evidence, heading, milestones, ctx.span(*rows))


def _amount(b: _Builder, name: str) -> Amount | None:
    cell = b.fields.get(name)
    if cell is None or not cell.text:
        return None
    amount = parse_amount(cell.text, default_unit=b.amount_unit)
    if amount is not None and amount.value is None:
        b.ctx.warn(cell.first, "bad-amount", field=name, printed=cell.text)
    return amount


def _prose_amounts(b: _Builder) -> dict[str, tuple[Amount, Span]]:
    """Budget and funding amounts stated in the purpose text, when no cell holds them."""
    cells = b.purpose + [c for c in (b.fields.get("purpose"),) if c is not None]
    for cell in cells:
        for part in cell.parts:
            found = amounts_in_prose(part.text)
            if found:
                span = Span(b.ctx.file, part.line, part.line)
                return {k: (a, span) for k, v in found.items()
                        if (a := parse_amount(v, default_unit=b.amount_unit)) is not None}
    return {}


def _citations(b: _Builder, p: ProjectTable) -> list[Citation]:
    ctx = b.ctx
    sources: list[tuple[str, str, Cell | Paragraph]] = []
    if b.title is not None:
        sources.append(("title", b.title.text, b.title))
    for name in ("name", "purpose"):
        cell = b.fields.get(name)
        if cell is not None and cell.text:
            sources.append((name, cell.text, cell))
    for c in b.purpose:
        sources.append(("purpose", c.text, c))
    for c in b.goal_cells:
        sources.append(("goal", c.text, c))
    out = []
    for where, text, thing in sources:
        out += citations_in(text, where, ctx.span(thing))
    for ind in p.indicators:
        for col in ("basis", "description", "level3", "target"):
            text = ind.basis.printed if col == "basis" else \
                ind.target.printed if col == "target" else getattr(ind, col)
            out += citations_in(text, col, ind.spans.get(col, ind.span))
    return out


def build(b: _Builder, index: int) -> ProjectTable:
    ctx = b.ctx
    title = b.title.text if b.title else None
    if b.title is not None:
        ctx.use(b.title)
    name_cell = b.fields.get("name")
    name = name_cell.text if name_cell is not None and name_cell.text else title_name(title)
    first = b.title or (b.all_rows[0] if b.all_rows else None)
    line = first.first if first else 0
    if not name:
        ctx.warn(line, "no-name")
    code_cell = b.fields.get("code")
    code_printed = code_cell.text if code_cell is not None and code_cell.text else None
    code = re.sub(r"[\s\[\]【】()（）]", "", code_printed) if code_printed else None
    budget = _amount(b, "budget")
    fiscal, other = _amount(b, "fiscal"), _amount(b, "other")
    prose = _prose_amounts(b) if budget is None and fiscal is None else {}
    if prose:
        budget, fiscal, other = (prose[k][0] if k in prose else None
                                 for k in ("budget", "fiscal", "other"))
    unit = b.unit
    if unit is None and (uc := b.fields.get("unit")) is not None and uc.text:
        unit = parse_unit(uc, ctx) or UnitRef(uc.text, None, uc.text, False, ctx.span(uc))
    label_text = " ".join(t for t in (name or "", title or "") if t)
    purpose = "\n".join(c.text for c in b.purpose) or (
        b.fields["purpose"].text if "purpose" in b.fields else None)
    spans = {k: ctx.span(c) for k, c in b.fields.items() if c.parts}
    if b.purpose:
        spans["purpose"] = ctx.span(*b.purpose)
    if b.title is not None:
        spans["title"] = ctx.span(b.title)
    if b.goal_cells:
        spans["goals"] = ctx.span(*b.goal_cells)
    spans.update({k: span for k, (_, span) in prose.items()})
    p = ProjectTable(
        index=index, title=title, unit=unit, amount_unit=b.amount_unit, code=code,
        code_printed=code_printed, name=name, budget=budget, fiscal=fiscal, other=other,
        purpose=purpose or None, plan=_plan(b, budget),
        goals=_split_goals(b.goal_cells, ctx),
        indicators=read_indicators(b.header, b.rows, ctx) if b.header else [],
        expenditure_kind="basic" if (name or "").strip() in BASIC_NAMES else "project",
        funding_level=funding_level(label_text), funds_year=funds_year(name or title or ""),
        carried_over=False, carried_over_evidence=None, classified=False, citations=[],
        span=ctx.span(*(x for x in [b.title, *b.all_rows] if x is not None)), spans=spans,
        period=period.text if (period := b.fields.get("period")) is not None and period.text
        else None)
    p.classified = is_classified(" ".join([purpose or "", *(g.text for g in p.goals)])) or \
        any(i.classified for i in p.indicators)
    p.citations = _citations(b, p)
    if b.header is None:
        ctx.warn(line, "no-indicators")
    return p


def extract_projects(rows: list[Row], title: Paragraph | None, ctx: Context,
                     first_index: int) -> list[ProjectTable]:
    """Read the rows of one performance table (as ``project_rows`` gives them) and the
    title printed above it into projects.

    Several projects in one table (titles missing) are told apart by a new unit,
    code, budget, plan or goals row after the previous project's goals/indicators.
    """
    default_unit = str(config.get("default_amount_unit"))
    builders = [_Builder(ctx, title, default_unit)]
    for row in rows:
        kind = row_kind(row)
        cur = builders[-1]
        starts = kind in START_KINDS or (kind == "indicator_header" and cur.rows)
        if cur.has_body and starts:
            builders.append(_Builder(ctx, None, cur.amount_unit))
            cur = builders[-1]
        cur.add(row, kind)
    return [build(b, first_index + i) for i, b in enumerate(builders)]
