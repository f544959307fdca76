"""Issuers and their reach: ``/issuers`` (every issuing-agency code printed in a
document number, from the ``issuers`` named query) and ``/issuers/{code}`` (what the
directives of one code prefix reach, from ``issuer-portfolio``).  The named queries
run through kg.results, so the code from the URL is bound as a value, never pasted,
and a BI tool asking ``/queries/issuer-portfolio?issuer=…`` gets the same rows."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import quote, urlencode

from markupsafe import Markup

from ..normalise.docnumbers import parse_document_number
from ..results import run
from ..store import Store
from . import errors
from .doclabels import labeller
from .parts import Link
from .templates import a, page, table

UNKNOWN = Markup('<span class="unknown">未登记 not in registry</span>')
MAX_TABLE_ROWS = 200  # past this the table says so and links the full CSV; totals count every row


def _run(store: Store, name: str, params: dict[str, str] | None = None):
    """A named query run by kg.results (typed for the embedded store; it asks nothing
    else of a store than the `Store` protocol gives)."""
    return run(store, name, params)  # type: ignore[arg-type]  # kg/results.py: EmbeddedStore


def _solutions(result) -> list[dict]:
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in result]


def _agencies(store: Store) -> list[tuple[str, str, str, str]]:
    """(registry prefix, agency IRI, agency name, the agency's shortest prefix), longest
    prefix first, so the first that starts a code is the registry's answer for it."""
    out = []
    for r in _solutions(_run(store, "agencies")):
        prefixes = sorted(r["prefixes"].split(), key=lambda p: (len(p), p))
        out += [(p, r["agency"], r["agencyName"], prefixes[0]) for p in prefixes]
    return sorted(out, key=lambda t: (-len(t[0]), t[0]))


def _agency_of(code: str, agencies) -> tuple[str, str, str] | None:
    return next(((iri, name, short) for p, iri, name, short in agencies if code.startswith(p)),
                None)


def _link(code: str) -> Markup:
    return Markup('<a href="/issuers/{}">{}</a>').format(quote(code), code)


def issuers_page(store: Store, base: str | None = None) -> str:
    """The ``issuers`` query as a table; each code links to its portfolio, and the
    agency's whole portfolio (all its divisions) is one more link."""
    agencies = _agencies(store)
    cells = []
    for r in _solutions(_run(store, "issuers")):
        known = _agency_of(r["issuerCode"], agencies) if r["agency"] else None
        agency = (a(known[0], r["agency"], base) + Markup("（{}）").format(_link(known[2])) if known
                  else r["agency"] or UNKNOWN)
        cells.append([_link(r["issuerCode"]), agency, r["level"], r["place"]]
                     + [r[k] for k in ("directives", "projects", "documents", "units")])
    csv = "/queries/issuers?format=csv"
    return page("发文机关 issuers", (
        "<p>文号中印出的发文机关代字，登记表中的机关，以及这些文号被多少项目、文件和单位引用。"
        " Every issuing-agency code printed in a document number, the agency the registry "
        "(registry/issuers.csv) gives for it, and how far its directives reach. Codes the registry "
        f'does not know are kept as printed and marked. <a href="{csv}">CSV</a></p>')
        + table(["代字 code", "发文机关 agency（全部 all divisions）", "层级 level", "地区 place",
                 "文号 directives",
                 "项目 projects", "文件 documents", "单位 units"], cells, id="issuers", base=base))


def _wan(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def portfolio_page(store: Store, code: str, base: str | None = None) -> str:
    """The directives of one code prefix and the projects citing them, with budgets
    (each project counted once in the total, however many of the directives it cites)."""
    rows = _solutions(_run(store, "issuer-portfolio", {"issuer": code}))
    if not code or not rows:
        raise errors.not_found("no loaded directive has an issuing-agency code starting with "
                               f"{code!r}; "
                               "see /issuers")
    directives = list(dict.fromkeys(r["number"] for r in rows))
    budgets = {r["project"]: _wan(r["budget"]) for r in rows if r["project"]}
    total = sum((b for b in budgets.values() if b is not None), Decimal(0))
    codes = sorted({n.issuer_code for n in map(parse_document_number, directives) if n is not None})
    known = _agency_of(code, _agencies(store))
    agency = a(known[0], known[1], base) if known else UNKNOWN
    name = labeller(store)
    cells = [[Link(r["directive"], r["number"]), r["agencies"],
              Link(r["project"], r["projectName"]) if r["project"] else "—",
              Link(r["unit"], r["unitName"]) if r["unit"] else "",
              Link(r["document"], name(r["document"])) if r["document"] else "",
              r["budget"]] for r in rows[:MAX_TABLE_ROWS]]
    csv = "/queries/issuer-portfolio?" + urlencode({"issuer": code, "format": "csv"})
    summary = Markup(
        "<p>登记表 registry: {agency} · 代字 codes: {codes}</p>"
        "<p>{d} 个文号 directives · {p} 个项目 projects · "
        "预算合计 total budget {total} 万元（每个项目计一次 each project once）"
        ' · <a href="{csv}">CSV</a></p>').format(
            agency=agency, codes=Markup(" · ").join(_link(c) for c in codes), d=len(directives),
            p=len(budgets), total=f"{total.normalize():f}", csv=csv)
    more = ""
    if len(rows) > MAX_TABLE_ROWS:
        more = str(Markup('<p>前 {n} 行，共 {total} 行 first {n} of {total} rows; '
                          '全部 all: <a href="{csv}">CSV</a></p>').format(
                              n=MAX_TABLE_ROWS, total=len(rows), csv=csv))
    return page(f"{code} 发文的文号及其项目 portfolio", str(summary) + table(
        ["文号 directive", "发文机关 agencies", "项目 project", "单位 unit", "文件 document",
         "预算数 budget（万元）"], cells, id="portfolio", base=base) + more
        + '<p><a href="/issuers">全部发文机关 all issuers</a></p>')
