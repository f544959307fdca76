"""One document → one ``Disclosure``: walks the layout once, sends project tables to
``project`` and everything else to ``unit``, then settles what needs the whole
document (publisher, year, carried-over funds) and accounts for every line.
"""
from __future__ import annotations

import re
from collections import Counter

from ..domain.funding import is_carried_over
from ..read.layout import Layout, Paragraph, Table
from ..read.text import SourceText
from ..records import Disclosure, ProjectTable, Span, UnitRef, Unplaced
from . import unit
from .citations import citations_in
from .context import Context
from .keys import add_keys
from .labels import TITLE
from .project import extract_projects, project_rows
from .sections import heading_kind

_DOC_TITLE = re.compile(r"(?P<year>(?:19|20)\d{2})年度?(?P<kind>部门|单位)?预算(?:信息)?公开")
_CODE_YEAR = re.compile(r"^\d{6}(\d{2})")


def _title_before(blocks, i) -> Paragraph | None:
    """The paragraph printed just above table ``i``, if it reads as its title."""
    if i == 0 or not isinstance(blocks[i - 1], Paragraph):
        return None
    p = blocks[i - 1]
    if heading_kind(p.text) is not None or not TITLE.match(p.text) or len(p.text) > 150:
        return None
    return p


def _publisher(ctx: Context, head: list[Paragraph], projects: list[ProjectTable]) -> UnitRef | None:
    units = Counter((p.unit.code, p.unit.name) for p in projects if p.unit)
    if units:
        (code, name), _ = units.most_common(1)[0]
        return next(p.unit for p in projects
                    if p.unit and (p.unit.code, p.unit.name) == (code, name))
    if head:
        return UnitRef(head[0].text, None, head[0].text.strip(), False, ctx.span(head[0]))
    return None


def _year(title_match, projects: list[ProjectTable]) -> int | None:
    if title_match:
        return int(title_match.group("year"))
    years = [2000 + int(m.group(1)) for p in projects if p.code
             for m in [_CODE_YEAR.match(p.code)] if m]
    if years:
        return max(years)
    named = [p.funds_year for p in projects if p.funds_year]
    return max(named) if named else None


def _carried_over(p: ProjectTable, year: int | None) -> None:
    """上年结转 in the name, or a project code (else a name) from an earlier year.

    The code's year decides when there is a code: ``提前下达2025-2026年采暖季…`` with a
    2026 code is this year's money paid early, not money carried over."""
    text = " ".join(t for t in (p.name, p.title) if t)
    m = _CODE_YEAR.match(p.code or "")
    if is_carried_over(text):
        p.carried_over, p.carried_over_evidence = True, "上年结转 in the name"
    elif year and m:
        if 2000 + int(m.group(1)) < year:
            p.carried_over = True
            p.carried_over_evidence = f"project code year 20{m.group(1)} < disclosure year {year}"
    elif year and p.funds_year and p.funds_year < year:
        p.carried_over = True
        p.carried_over_evidence = f"funds year {p.funds_year} in the name < disclosure year {year}"


def _settle_plans(projects: list[ProjectTable]) -> None:
    """A plan ending at 100 for a budget of 100 reads both ways; a publisher uses one
    style throughout a document, so take the style of its unambiguous plans."""
    votes = Counter(p.plan.kind for p in projects
                    if p.plan and p.plan.kind in ("amount", "percent")
                    and "ambiguous" not in p.plan.evidence)
    if not votes:
        return
    style, _ = votes.most_common(1)[0]
    for p in projects:
        if p.plan and "ambiguous" in p.plan.evidence:
            p.plan.kind = style
            p.plan.evidence += f"; the document's other plans print {style}"


def extract(source: SourceText, layout: Layout) -> Disclosure:
    """Read a layout into a Disclosure; never raises on odd content, reports it."""
    ctx = Context(source.file)
    for line, what in source.problems:
        ctx.warn(line, "damaged-text", problem=what)
    blocks = layout.blocks
    projects: list[ProjectTable] = []
    statements, figures, goals, rows, text_cites = [], [], [], [], []
    head: list[Paragraph] = []
    doc_title = None
    section = "front"
    project_tables = {id(b): table_rows for b in blocks if isinstance(b, Table)
                      and (table_rows := project_rows(b)) is not None}
    titles = {id(blocks[i - 1]) for i, b in enumerate(blocks)
              if id(b) in project_tables and _title_before(blocks, i)}
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            if id(block) in project_tables:
                found = extract_projects(project_tables[id(block)], _title_before(blocks, i),
                                         ctx, len(projects) + 1)
                projects.extend(found)
                continue
            kind = unit.table_kind(block, section)
            if kind is None:
                for r in block.rows:
                    ctx.unplace(r, f"table in section {section!r} that the reader does not know")
                continue
            rows.extend(unit.table_rows(block, kind, ctx))
            continue
        if id(block) in titles:
            continue
        text_cites += citations_in(block.text, section, ctx.span(block))
        kind = heading_kind(block.text)
        if kind is not None:
            if kind != "part" or section == "front":
                section = kind if kind != "part" else section
            statements.append(unit.statement(block, kind, ctx, heading=True))
            continue
        if section == "front" and doc_title is None:
            if (m := _DOC_TITLE.search(block.text)):
                doc_title = (block, m)
            else:
                head.append(block)
        if section in unit.GOAL_SECTIONS:
            ctx.use(block)
            goals.append(unit.unit_goal(block, section, ctx))
            continue
        statements.append(unit.statement(block, section, ctx))
        if section in unit.MONEY_SECTIONS:
            figures.extend(unit.figures(block, section, ctx))

    title_match = doc_title[1] if doc_title else None
    year = _year(title_match, projects)
    for p in projects:
        _carried_over(p, year)
    _settle_plans(projects)
    kinds = {"部门": "department_budget", "单位": "unit_budget"}
    kind = kinds.get(title_match.group("kind"), "budget") if title_match and \
        title_match.group("kind") else ("performance_targets" if projects else "unknown")
    publisher = _publisher(ctx, head, projects)
    regions = Counter(p.code[:6] for p in projects if p.code and re.match(r"^\d{6}", p.code))
    if not projects and not any(s.section.startswith("heading:") for s in statements):
        ctx.warn(1, "not-a-disclosure")
    content = layout.content_lines()
    _account_for_every_line(layout, content, ctx)
    d = Disclosure(
        file=source.file, sha256=source.sha256, encoding=source.encoding,
        title=doc_title[0].text if doc_title else None, kind=kind, year=year,
        publisher=publisher, region=regions.most_common(1)[0][0] if regions else None,
        statements=statements, figures=figures, unit_goals=goals, table_rows=rows,
        projects=projects, unplaced=ctx.unplaced, warnings=ctx.warnings,
        content_lines=len(content), placed_lines=len(set(content) & ctx.used),
        text_citations=text_cites, locations=list(layout.locations or ()))
    add_keys(d)
    return d


def _account_for_every_line(layout: Layout, content: list[int], ctx: Context) -> None:
    """Any line with text that no record used and no Unplaced holds becomes Unplaced:
    the reader may fail to understand a line, but never loses one silently."""
    held = {n for u in ctx.unplaced for n in range(u.span.first, u.span.last + 1)}
    missing = [n for n in content if n not in ctx.used and n not in held]
    run: list[int] = []
    for n in missing + [None]:
        if run and (n is None or n != run[-1] + 1):
            text = "\n".join(layout.lines[k - 1] for k in run)
            ctx.unplaced.append(Unplaced(text, "line not read into any record",
                                         Span(ctx.file, run[0], run[-1])))
            ctx.warn(run[0], "unplaced",
                     reason=f"lines {run[0]}-{run[-1]} not read into any record")
            run = []
        if n is not None:
            run.append(n)
