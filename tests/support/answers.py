"""What a layout variant must not change: projects, amounts, plans, goals, indicator
rows and citations (``answers``, without spans), the purposes as printed
(``purposes_kept``), and spans that point at the variant's own text
(``span_problems``)."""
from __future__ import annotations

import re


def _value(a):
    return a.value if a is not None else None


def answers(d) -> dict:
    """The facts a variant must keep: everything but spans, printed label wording
    (levels compared as concepts where known) and the purpose text (which may gain
    the budget sentence; see ``purposes_kept``)."""
    projects = []
    for p in d.projects:
        projects.append({
            "title": p.title, "name": p.name, "code": p.code, "kind": p.expenditure_kind,
            "unit": (p.unit.code, p.unit.name, p.unit.own_level) if p.unit else None,
            "amounts": tuple(_value(a) for a in (p.budget, p.fiscal, p.other)),
            "plan": (p.plan.kind, [m.value for m in p.plan.milestones]) if p.plan else None,
            "goals": [(g.number, g.text) for g in p.goals],
            "indicators": [(i.level1_concept or i.level1, i.level2_concept or i.level2, i.level3,
                            i.description, i.target.printed, i.basis.printed, i.basis.category,
                            i.classified) for i in p.indicators],
            "citations": sorted((c.where, c.number.canonical if c.number else "", c.title or "")
                                for c in p.citations),
            "carried_over": p.carried_over, "funding_level": p.funding_level,
            "classified": p.classified})
    return {"projects": projects, "document_numbers": sorted(d.document_numbers),
            "year": d.year, "kind": d.kind,
            "publisher": (d.publisher.code, d.publisher.name) if d.publisher else None}


def purposes_kept(sample, other) -> bool:
    """Each purpose as printed is still there (spaces aside: HTML collapses them)."""
    return all(_squash(a.purpose or "") in _squash(b.purpose or "")
               for a, b in zip(sample.projects, other.projects, strict=False))


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def span_problems(d, lines: list[str]) -> list[str]:
    """Spans whose lines do not hold the text they are the span of."""
    def holds(span, text):
        got = _squash("".join(lines[span.first - 1:span.last]))
        return _squash(text.split("\n")[0]) in got
    bad = []
    for p in d.projects:
        if p.code_printed and not holds(p.spans["code"], p.code_printed):
            bad.append(f"project {p.index} code at {p.spans['code']}")
        if p.budget is not None and not holds(p.spans["budget"], p.budget.printed):
            bad.append(f"project {p.index} budget at {p.spans['budget']}")
        for g in p.goals:
            if not holds(g.span, g.text):
                bad.append(f"project {p.index} goal {g.number} at {g.span}")
        for i in p.indicators:
            for col, text in (("target", i.target.printed), ("level3", i.level3)):
                if text and not holds(i.spans[col], text):
                    bad.append(f"project {p.index} indicator {i.row} {col} at {i.spans[col]}")
    return bad


def same_records(base, d, lines: list[str]) -> None:
    """``d`` (a variant of ``base`` whose text has ``lines``) keeps the answers and the
    purposes, its spans point at its own lines and it is read in full (99 %)."""
    assert answers(d) == answers(base)
    assert purposes_kept(base, d)
    assert span_problems(d, lines) == []
    assert d.placed_lines / d.content_lines >= 0.99
