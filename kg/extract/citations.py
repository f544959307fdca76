"""Citations of official documents in a printed text → Citation records.

One rule for every place that can cite (titles, names, purposes, goals, indicator
cells, narrative paragraphs): every document number, each with the title and
issuers printed beside it, and policies cited by title alone.  A title alone counts
only where a policy can be meant: 《智慧县城规划》 in an indicator name is the thing
being produced, not a basis, so indicator names, descriptions and targets cite by
number only.
"""
from __future__ import annotations

from ..domain.citations import cited_documents
from ..domain.names import is_policy_title
from ..records import Citation, Span

#: Where a title without a number is not taken as a policy citation.
NUMBERS_ONLY = frozenset({"level3", "description", "target"})


def citations_in(text: str, where: str, span: Span) -> list[Citation]:
    """The Citation records of one printed text.

    >>> [(c.number.canonical, c.title) for c in citations_in(
    ...     "保定市财政局 关于提前下达资金预算的通知 保财社【2025】87号", "basis", Span("a", 1, 1))]
    [('保财社〔2025〕87号', '关于提前下达资金预算的通知')]
    """
    out = []
    for d in cited_documents(text):
        if d.number is None and (where in NUMBERS_ONLY or not is_policy_title(d.title or "")):
            continue
        out.append(Citation(d.number, where, span, d.title, d.title_truncated, d.issuers))
    return out
