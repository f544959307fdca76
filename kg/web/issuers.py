"""Issuers and their reach: ``/issuers`` (every issuing-agency code printed in a
document number, from the ``issuers`` named query) and ``/issuers/{code}`` (what the
directives of one code prefix reach, from ``issuer-portfolio``).  The named queries
run through kg.results, so the code from the URL is bound as a value, never pasted,
and a BI tool asking ``/queries/issuer-portfolio?issuer=…`` gets the same rows."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import quote, urlencode

from ..domain.docnumbers import parse_document_number
from ..results import run
from ..store import Store
from . import errors
from .doclabels import labeller
from .parts import Link, solutions
from .templates import page, render

MAX_TABLE_ROWS = 200  # past this the table says so and links the full CSV; totals count every row


def _agencies(store: Store) -> list[tuple[str, str, str, str]]:
    """(registry prefix, agency IRI, agency name, the agency's shortest prefix), longest
    prefix first, so the first that starts a code is the registry's answer for it."""
    out = []
    for r in solutions(run(store, "agencies")):
        prefixes = sorted(r["prefixes"].split(), key=lambda p: (len(p), p))
        out += [(p, r["agency"], r["agencyName"], prefixes[0]) for p in prefixes]
    return sorted(out, key=lambda t: (-len(t[0]), t[0]))


def _agency_of(code: str, agencies) -> tuple[str, str, str] | None:
    return next(((iri, name, short) for p, iri, name, short in agencies if code.startswith(p)),
                None)


def issuers_page(store: Store, base: str) -> str:
    """The ``issuers`` query as a table; each code links to its portfolio, and the
    agency's whole portfolio (all its divisions) is one more link."""
    agencies = _agencies(store)
    rows = []
    for r in solutions(run(store, "issuers")):
        known = _agency_of(r["issuerCode"], agencies) if r["agency"] else None
        rows.append({**r, "known": known and (Link(known[0], r["agency"]), known[2])})
    return page("发文机关 issuers", render("issuers.html", base, rows=rows, quote=quote))


def _wan(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def portfolio_page(store: Store, code: str, base: str) -> str:
    """The directives of one code prefix and the projects citing them, with budgets
    (each project counted once in the total, however many of the directives it cites)."""
    rows = solutions(run(store, "issuer-portfolio", {"issuer": code}))
    if not code or not rows:
        raise errors.not_found("no loaded directive has an issuing-agency code starting with "
                               f"{code!r}; see /issuers")
    directives = list(dict.fromkeys(r["number"] for r in rows))
    budgets = {r["project"]: _wan(r["budget"]) for r in rows if r["project"]}
    total = sum((b for b in budgets.values() if b is not None), Decimal(0))
    codes = sorted({n.issuer_code for n in map(parse_document_number, directives) if n is not None})
    known = _agency_of(code, _agencies(store))
    name = labeller(store)
    cells = [[Link(r["directive"], r["number"]), r["agencies"],
              Link(r["project"], r["projectName"]) if r["project"] else "—",
              Link(r["unit"], r["unitName"]) if r["unit"] else "",
              Link(r["document"], name(r["document"])) if r["document"] else "",
              r["budget"]] for r in rows[:MAX_TABLE_ROWS]]
    csv = "/queries/issuer-portfolio?" + urlencode({"issuer": code, "format": "csv"})
    return page(f"{code} 发文的文号及其项目 portfolio", render(
        "portfolio.html", base, agency=Link(known[0], known[1]) if known else None,
        codes=codes, directives=len(directives), projects=len(budgets),
        total=f"{total.normalize():f}", csv=csv, rows=cells, all=len(rows), shown=MAX_TABLE_ROWS,
        quote=quote))
