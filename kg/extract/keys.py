"""Matching keys and registry look-ups of a read disclosure, so the mapper only
projects records to quads.

- a project's ``name_key`` (``domain.names.project_key``): its series across years
  and its fund type across units;
- a goal's ``shared_key`` (``shared_text_key``), when long enough to be worth matching;
- a citation's policy: the title it names (a title cut off at a cell edge and cited
  without a number is completed from a fuller citation in the same document) and its
  ``title_key``; the issuer registry's agency and division for its number's code, and
  the agency of each printed issuer the registry knows by name.
"""
from __future__ import annotations

from ..domain.issuers import registry
from ..domain.names import project_key, shared_text_key, title_key
from ..records import Citation, Disclosure


def add_keys(d: Disclosure) -> None:
    """Fill in the derived fields of ``d``'s records (in place)."""
    for p in d.projects:
        p.name_key = (project_key(p.name) or None) if p.name else None
        for g in p.goals:
            g.shared_key = shared_text_key(g.text)
    for ug in d.unit_goals:
        ug.shared_key = shared_text_key(ug.text)
    citations = d.all_citations()
    completed = completions(citations)
    for c in citations:
        add_citation_keys(c, completed)


def completions(citations: list[Citation]) -> dict[str, str]:
    """Truncated title → the complete title it begins, from the same document's other
    citations (the cross-document case is left to queries, per directive number).

    >>> from kg.records import Span
    >>> s = Span("a", 1, 1)
    >>> completions([Citation(None, "basis", s, "关于建设综合体", True),
    ...              Citation(None, "basis", s, "关于建设综合体的请示")])
    {'关于建设综合体': '关于建设综合体的请示'}
    """
    full = sorted({c.title for c in citations if c.title and not c.title_truncated}, key=len)
    keys = [(title_key(t), t) for t in full]
    out: dict[str, str] = {}
    for c in citations:
        if c.title and c.title_truncated and c.title not in out:
            cut = title_key(c.title)
            match = next((t for k, t in keys if k.startswith(cut)), None)
            if match is not None:
                out[c.title] = match
    return out


def add_citation_keys(c: Citation, completed: dict[str, str]) -> None:
    """The policy a citation names and the registry's agencies for it."""
    if c.number is None:
        c.policy_title = completed.get(c.title, c.title) if c.title else c.title
    elif c.title and not c.title_truncated:
        c.policy_title = c.title
    c.policy_key = title_key(c.policy_title) if c.policy_title is not None else None
    if c.number is None:
        return
    reg = registry()
    by_code = reg.lookup(c.number.issuer_code)
    if by_code is not None:
        c.agency, c.division = reg.head(by_code).prefix, by_code.division
    agencies: list[str | None] = []
    for name in c.issuers:
        row = reg.by_agency(name)
        other = row is not None and (by_code is None or by_code.agency != row.agency)
        agencies.append(row.prefix if row is not None and other else None)
    c.issuer_agencies = tuple(agencies)
