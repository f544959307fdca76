"""The lineage on directive and project pages: a diagram and a table built from
``kg.lineage.lineage`` (the answer ``kg lineage`` prints, so the CLI and the site
agree), a directive's title and issuers, a project's series and fund type.  The
queries are constant texts with values bound as substitutions."""
from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup
from pyoxigraph import NamedNode

from .. import iris
from ..lineage import RELATION_LABELS, Lineage, lineage
from ..store import Store
from . import diagram
from .parts import Link, label, rows
from .svgtree import RELATIONS, ordered
from .templates import render

MAX_TABLE_ROWS = 200  # past this the table says so and links the full CSV
P = (f"PREFIX bp: <{iris.BP}> PREFIX rdfs: <{iris.NS['rdfs']}> PREFIX eli: <{iris.NS['eli']}> "
     f"PREFIX dcterms: <{iris.NS['dcterms']}> PREFIX prov: <{iris.NS['prov']}> ")
# a directive's triples are repeated in every document graph citing it, and the union
# default graph keeps the repeats: small DISTINCT queries, not one join of them all
NUMBER = P + "SELECT DISTINCT ?x ?number WHERE { ?x eli:id_local ?number }"
TITLES = P + """SELECT DISTINCT ?x ?full ?cut WHERE {
  { ?x dcterms:title ?full } UNION { ?x bp:truncatedTitle ?cut } }
ORDER BY ?full ?cut"""
AGENCIES = P + """SELECT DISTINCT ?x ?agency ?name WHERE {
  ?x bp:issuedBy ?agency . ?agency rdfs:label ?name }
ORDER BY ?name"""
PRINTED_ISSUERS = P + ("SELECT DISTINCT ?x ?issuer WHERE { ?x bp:citedIssuer ?issuer } "
                       "ORDER BY ?issuer")
SPANS = P + """SELECT ?x ?doc ?line ?span ?printed WHERE {
  ?c bp:citesDirective ?x ; bp:inDocument ?doc ;
  prov:wasDerivedFrom ?span . ?span bp:firstLine ?line . OPTIONAL { ?c bp:printedNumber ?printed } }
ORDER BY ?doc ?line ?span ?printed"""
CITED = P + """SELECT DISTINCT ?p ?number WHERE { ?c bp:inProject ?p ; bp:citesDirective ?x .
  ?x eli:id_local ?number } ORDER BY ?number"""
SERIES = P + """SELECT ?p ?other ?name ?year ?doc ?budget WHERE { ?p bp:projectSeries ?s .
  ?other bp:projectSeries ?s ; bp:disclosure ?doc . FILTER (?other != ?p)
  OPTIONAL { ?other rdfs:label ?name } OPTIONAL { ?other bp:fundsYear ?year }
  OPTIONAL { ?other bp:budget/bp:amountWanYuan ?budget } } ORDER BY ?year ?doc ?other"""
# 办公经费 is every unit's: count them all, name a few
FUND_COUNT = P + """SELECT ?p (COUNT(DISTINCT ?other) AS ?n) WHERE {
  ?p bp:fundType ?f ; bp:budgetUnit ?u .
  ?other bp:fundType ?f ; bp:budgetUnit ?ou . FILTER (?ou != ?u) } GROUP BY ?p"""
FUND_FIRST = P + """SELECT DISTINCT ?p ?other ?ou ?doc WHERE {
  ?p bp:fundType ?f ; bp:budgetUnit ?u .
  ?other bp:fundType ?f ; bp:budgetUnit ?ou ; bp:disclosure ?doc . FILTER (?ou != ?u) }
ORDER BY ?doc ?other LIMIT 5"""
RELATION_ZH = {k: v[0] for k, v in RELATIONS.items()}


def _relation(rel: str) -> str:
    return f"{RELATION_ZH.get(rel, rel)} {RELATION_LABELS.get(rel, rel)}"


def _doc(iri: str) -> Link | str:
    return Link(iri, iri.rsplit("/", 1)[-1]) if iri else ""


def _where(store: Store, directive: str) -> dict[tuple[str, int], tuple[str, str]]:
    """(document, first line) → (source span, number as printed) of each citation."""
    out: dict[tuple[str, int], tuple[str, str]] = {}
    for r in rows(store, SPANS, x=NamedNode(directive)):
        out.setdefault((r["doc"], int(r["line"])), (r["span"], r["printed"]))
    return out


def _line(where: dict, doc: str, line: int) -> tuple[str, Link | str]:
    """(printed number, the line linked to where it was printed)."""
    span, printed = where.get((doc, line), ("", ""))
    return printed, Link(span, str(line)) if span else str(line)


def _citations(lin: Lineage):
    """One row per place the directive is printed:
    (project or None, document, relation, line, indicator or None)."""
    for p in lin.projects:
        for rel in ordered(p.relations):
            for line in p.relations[rel]:
                ind = next((i for i in p.indicators if i.line == line), None) \
                    if rel == "basis" else None
                yield p, p.document, rel, line, ind
    for doc, rel, line in lin.other:
        yield None, doc, rel, line, None


def directive_section(store: Store, iri: str, base: str) -> str:
    """Title, issuers, the lineage diagram and table of one directive."""
    x = NamedNode(iri)
    number = next((r["number"] for r in rows(store, NUMBER, x=x)), "")
    if not number:
        return ""
    titles = rows(store, TITLES, x=x)  # a complete title, else a cut one (as directives.rq)
    full = min((r["full"] for r in titles if r["full"]), default="")
    cut = min((r["cut"] for r in titles if r["cut"]), default="")
    lin = lineage(store, number)
    where = _where(store, iri)
    cells: list[list] = []
    for p, doc, rel, line, ind in _citations(lin):
        printed_number, line_link = _line(where, doc, line)
        cells.append([Link(p.iri, p.name) if p else "",
                      Link(p.unit, p.unit_name) if p and p.unit else "",
                      _doc(doc), p.budget if p else "", _relation(rel),
                      Link(ind.iri, ind.name) if ind else "", ind.target if ind else "",
                      printed_number, line_link])
    return render(
        "directive.html", base, title=full or cut, cut=bool(cut and not full),
        agencies=[Link(r["agency"], r["name"]) for r in rows(store, AGENCIES, x=x)],
        printed=[r["issuer"] for r in rows(store, PRINTED_ISSUERS, x=x)],
        projects=len(lin.projects), units=len(lin.units), cells=cells,
        diagram=Markup(diagram.directive_svg(lin, base)), shown=MAX_TABLE_ROWS,
        csv="/queries/directive-lineage?" + urlencode({"number": number, "format": "csv"}))


def _cited(store: Store, iri: str, lineages: list[Lineage]) -> tuple[list[list], list[list]]:
    """(how this project cites each directive, the other projects citing them)."""
    mine: list[list] = []
    others: list[list] = []
    for lin in lineages:
        where = _where(store, lin.directive) if lin.directive else {}
        for q, doc, rel, line, ind in _citations(lin):
            printed_number, line_link = _line(where, doc, line)
            directive = Link(lin.directive or "", lin.number)
            if q is not None and q.iri == iri:
                mine.append([directive, _relation(rel), Link(ind.iri, ind.name) if ind else "",
                             ind.target if ind else "", printed_number, line_link])
            elif q is not None:
                others.append([directive, Link(q.iri, q.name), q.unit_name,
                               _doc(q.document), q.budget, _relation(rel), line_link])
    return mine, others


def project_section(store: Store, iri: str, name: str, base: str) -> str:
    """The directives a project cites and how, the other projects citing them, its
    series (other years) and fund type (other units)."""
    p = NamedNode(iri)
    lineages = [lineage(store, r["number"])
                for r in rows(store, CITED, p=p)]
    mine, others = _cited(store, iri, lineages)
    first = rows(store, FUND_FIRST, p=p)
    return render(
        "project_lineage.html", base, cites=bool(lineages), mine=mine,
        others=others[:MAX_TABLE_ROWS],
        diagram=Markup(diagram.project_svg(iri, name, lineages, base)) if lineages else "",
        series=[[r["year"], Link(r["other"], r["name"]), _doc(r["doc"]), r["budget"]]
                for r in rows(store, SERIES, p=p)],
        same_fund=int(next((r["n"] for r in rows(store, FUND_COUNT, p=p)), "0")),
        fund_first=[(Link(r["other"], label(store, NamedNode(r["other"]))),
                     label(store, NamedNode(r["ou"]))) for r in first])
