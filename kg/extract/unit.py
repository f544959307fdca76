"""Unit-level sections → records: narrative statements, stated figures, unit goals,
and the organisation, 三公, procurement and asset tables.
"""
from __future__ import annotations

import re

from ..domain.amounts import parse_amount
from ..domain.text import label_key
from ..read.layout import Paragraph, Table
from ..records import Figure, Statement, TableRow, UnitGoal
from .context import Context
from .sections import split_number

MONEY_SECTIONS = {"income", "expenditure", "change", "running_costs", "three_public",
                  "overview", "procurement", "assets"}
GOAL_SECTIONS = {"goals_overall": "overall", "goals_items": "item", "safeguards": "safeguard"}

_FIGURE = re.compile(
    r"(?P<label>[^，。；;：:、,（）()\s\d][^，。；;：:、,]{0,29}?|\d{4}年[^，。；;：:、,]{0,25}?)\s*"
    r"(?:为|共计|合计|安排|是)?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>亿元|万元|元)")
_LABEL_LEAD = re.compile(r"^(?:其中|包括|主要为|主要是|和|及|以及|共|我单位|我部门)+")
FIGURE_CONCEPTS: list[tuple[str, tuple[str, ...]]] = [
    ("change", ("较上年", "比上年", "较20", "比20", "增加", "减少")),
    ("personnel", ("人员经费",)),
    ("public_operating", ("日常公用经费", "公用经费")),
    ("basic", ("基本支出",)),
    ("project", ("项目支出", "专项项目")),
    ("general_budget_income", ("一般公共预算",)),
    ("fund_income", ("基金预算",)),
    ("special_account_income", ("财政专户",)),
    ("other_income", ("其他来源", "其他收入")),
    ("three_public_total", ("三公",)),
    ("outbound_travel", ("因公出国",)),
    ("official_vehicles", ("公务用车购置及运","公务用车购置和运")),
    ("vehicle_operation", ("公务用车运行",)),
    ("vehicle_purchase", ("公务用车购置",)),
    ("official_reception", ("公务接待",)),
    ("procurement_total", ("采购预算",)),
    ("fixed_assets", ("固定资产",)),
    ("total", ("总额", "总计", "预算收入", "支出预算", "收支安排", "收入预算", "安排资金",
               "共计")),
]

# Column names of unit-level tables, by the printed header label.
TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "organisation": {"序号": "number", "单位名称": "name", "单位性质": "nature",
                     "单位规格": "rank", "经费保障形式": "funding_form"},
    "three_public": {"项目名称": "item", "项目": "item", "增减金额": "change",
                     "增减变化原因": "reason", "增减原因": "reason"},
    "assets": {"项目": "item", "数量": "quantity", "价值金额单位万元": "value", "价值": "value"},
}
# The 14 columns of the Hebei procurement template (two header rows, merged cells).
PROCUREMENT_COLUMNS = ["project", "project_budget", "item", "catalogue_code", "quantity_unit",
                       "quantity", "unit_price", "total", "current_year_total",
                       "general_budget", "fund_budget", "special_account", "other_income",
                       "other_channels"]
MONEY_COLUMNS = {"change", "value", "project_budget", "unit_price", "total",
                 "current_year_total", "general_budget", "fund_budget", "special_account",
                 "other_income", "other_channels", "previous", "current"}


def figure_concept(label: str) -> str | None:
    for concept, words in FIGURE_CONCEPTS:
        if any(w in label for w in words):
            return concept
    return None


def statement(p: Paragraph, section: str, ctx: Context, heading: bool = False) -> Statement:
    number, text = split_number(p.text)
    ctx.use(p)
    return Statement(("heading:" if heading else "") + section, text, number, ctx.span(p))


def figures(p: Paragraph, section: str, ctx: Context) -> list[Figure]:
    """Amounts stated in a sentence, each with the words before it as its label.

    Labels keep what was printed; ``concept`` names the budget line where the
    words say it (基本支出 → basic).
    """
    out = []
    for m in _FIGURE.finditer(p.text):
        label = _LABEL_LEAD.sub("", m.group("label").strip()).strip()
        amount = parse_amount(m.group("num") + m.group("unit"))
        if amount is None:  # the pattern matched a number: never empty
            continue
        out.append(Figure(section, label, figure_concept(label), amount, m.group(0).strip(),
                          ctx.span(p)))
    return out


def unit_goal(p: Paragraph, section: str, ctx: Context) -> UnitGoal:
    number, text = split_number(p.text)
    return UnitGoal(GOAL_SECTIONS[section], number, text, ctx.span(p))


def table_kind(table: Table, section: str) -> str | None:
    keys = {label_key(t) for r in table.rows[:4] for t in r.texts}
    if {"政府采购项目来源", "采购物品名称"} & keys:
        return "procurement"
    if {"单位性质", "经费保障形式"} & keys:
        return "organisation"
    if "资产总额" in keys or (section == "assets" and "数量" in keys):
        return "assets"
    if section == "three_public" or any(k.endswith("年度预算") for k in keys):
        return "three_public"
    return None


def _header_index(table: Table, names: dict[str, str]) -> tuple[int, dict[int, str]] | None:
    for i, row in enumerate(table.rows):
        cols = {}
        for j, t in enumerate(row.texts):
            key = label_key(t)
            if key in names:
                cols[j] = names[key]
            elif re.fullmatch(r"\d{4}年度?预算(数)?", key):
                cols[j] = "year:" + key[:4]
        if len(cols) >= 2:
            return i, cols
    return None


def table_rows(table: Table, kind: str, ctx: Context) -> list[TableRow]:
    """Rows of a unit-level table, cells named by the header (or the template)."""
    out: list[TableRow] = []
    if kind == "procurement":
        start = next((i for i, r in enumerate(table.rows)
                      if len(r.cells) == len(PROCUREMENT_COLUMNS) and r.texts[0]
                      and parse_amount(r.texts[1]) is not None), None)
        header_rows, cols = (table.rows[:start] if start is not None else table.rows), \
            dict(enumerate(PROCUREMENT_COLUMNS))
        body = table.rows[start:] if start is not None else []
    else:
        found = _header_index(table, TABLE_COLUMNS[kind])
        if found is None:
            for r in table.rows:
                ctx.unplace(r, f"{kind} table without a header we know")
            return out
        i, cols = found
        years = sorted(int(v[5:]) for v in cols.values() if v.startswith("year:"))
        for j, v in list(cols.items()):
            if v.startswith("year:"):
                cols[j] = "current" if int(v[5:]) == years[-1] else "previous"
        header_rows, body = table.rows[:i + 1], table.rows[i + 1:]
    for r in header_rows:
        if not r.empty:
            ctx.use(r)
            out.append(TableRow(kind, {"header": " | ".join(t for t in r.texts if t)}, {},
                                "header", ctx.span(r)))
    for r in body:
        if r.empty:
            ctx.use(r)
            continue
        if len(r.cells) != len(cols) and kind == "procurement":
            ctx.unplace(r, "procurement row does not have the template's 14 cells")
            continue
        values, amounts, spans = {}, {}, {}
        for j, c in enumerate(r.cells):
            name = cols.get(j)
            if name is None:
                if c.text:
                    ctx.unplace(c, f"{kind} cell under no header")
                else:
                    ctx.use(c)
                continue
            ctx.use(c)
            values[name] = c.text
            spans[name] = ctx.span(c)
            if name in MONEY_COLUMNS and c.text:
                a = parse_amount(c.text)
                if a is not None and a.value is not None:
                    amounts[name] = a
        first = next((t for t in r.texts if t), "")
        role = "total" if label_key(first) in ("合计", "总计") else "data"
        out.append(TableRow(kind, values, amounts, role, ctx.span(r), spans))
    return out
