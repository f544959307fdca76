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
from .templates import a, table

MAX_TABLE_ROWS = 200  # past this the table says so and links the full CSV
P = (f"PREFIX bp: <{iris.BP}> PREFIX rdfs: <{iris.NS['rdfs']}> PREFIX eli: <{iris.NS['eli']}> "
     f"PREFIX dcterms: <{iris.NS['dcterms']}> PREFIX prov: <{iris.NS['prov']}> ")
# a directive's triples are repeated in every document graph citing it, and the union
# default graph keeps the repeats: small DISTINCT queries, not one join of them all
NUMBER = P + "SELECT DISTINCT ?x ?number WHERE { ?x eli:id_local ?number }"
TITLES = P + """SELECT DISTINCT ?x ?full ?cut WHERE { { ?x dcterms:title ?full } UNION { ?x bp:truncatedTitle ?cut } }
ORDER BY ?full ?cut"""
AGENCIES = P + """SELECT DISTINCT ?x ?agency ?name WHERE { ?x bp:issuedBy ?agency . ?agency rdfs:label ?name }
ORDER BY ?name"""
PRINTED_ISSUERS = P + "SELECT DISTINCT ?x ?issuer WHERE { ?x bp:citedIssuer ?issuer } ORDER BY ?issuer"
SPANS = P + """SELECT ?x ?doc ?line ?span ?printed WHERE { ?c bp:citesDirective ?x ; bp:inDocument ?doc ;
  prov:wasDerivedFrom ?span . ?span bp:firstLine ?line . OPTIONAL { ?c bp:printedNumber ?printed } }
ORDER BY ?doc ?line ?span ?printed"""
CITED = P + """SELECT DISTINCT ?p ?number WHERE { ?c bp:inProject ?p ; bp:citesDirective ?x .
  ?x eli:id_local ?number } ORDER BY ?number"""
SERIES = P + """SELECT ?p ?other ?name ?year ?doc ?budget WHERE { ?p bp:projectSeries ?s .
  ?other bp:projectSeries ?s ; bp:disclosure ?doc . FILTER (?other != ?p)
  OPTIONAL { ?other rdfs:label ?name } OPTIONAL { ?other bp:fundsYear ?year }
  OPTIONAL { ?other bp:budget/bp:amountWanYuan ?budget } } ORDER BY ?year ?doc ?other"""
# 办公经费 is every unit's: count them all, name a few
FUND_COUNT = P + """SELECT ?p (COUNT(DISTINCT ?other) AS ?n) WHERE { ?p bp:fundType ?f ; bp:budgetUnit ?u .
  ?other bp:fundType ?f ; bp:budgetUnit ?ou . FILTER (?ou != ?u) } GROUP BY ?p"""
FUND_FIRST = P + """SELECT DISTINCT ?p ?other ?ou ?doc WHERE { ?p bp:fundType ?f ; bp:budgetUnit ?u .
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
                ind = next((i for i in p.indicators if i.line == line), None) if rel == "basis" else None
                yield p, p.document, rel, line, ind
    for doc, rel, line in lin.other:
        yield None, doc, rel, line, None


def _cap_note(cells: list[list], number: str) -> str:
    if len(cells) <= MAX_TABLE_ROWS:
        return ""
    url = "/queries/directive-lineage?" + urlencode({"number": number, "format": "csv"})
    return str(Markup('<p>前 {n} 行，共 {total} 行 first {n} of {total} rows; '
                  '全部 all: <a href="{url}">CSV</a></p>').format(n=MAX_TABLE_ROWS, total=len(cells),
                                                                  url=url))


def directive_section(store: Store, iri: str) -> str:
    """Title, issuers, the lineage diagram and table of one directive."""
    x = NamedNode(iri)
    number = next((r["number"] for r in rows(store, NUMBER, x=x)), "")
    if not number:
        return ""
    titles = rows(store, TITLES, x=x)  # a complete title from any citation, else a cut one (as directives.rq)
    full = min((r["full"] for r in titles if r["full"]), default="")
    cut = min((r["cut"] for r in titles if r["cut"]), default="")
    title = Markup.escape(full or cut) or Markup("—")
    if cut and not full:
        title += Markup(" <small>（在单元格边缘截断 cut off at a cell edge）</small>")
    agencies = " · ".join(a(r["agency"], r["name"]) for r in rows(store, AGENCIES, x=x)) or "—"
    printed = Markup.escape(" · ".join(r["issuer"] for r in rows(store, PRINTED_ISSUERS, x=x)) or "—")
    lin = lineage(store, number)
    where = _where(store, iri)
    cells = []
    for p, doc, rel, line, ind in _citations(lin):
        printed_number, line_link = _line(where, doc, line)
        cells.append([Link(p.iri, p.name) if p else "", Link(p.unit, p.unit_name) if p and p.unit else "",
                      _doc(doc), p.budget if p else "", _relation(rel),
                      Link(ind.iri, ind.name) if ind else "", ind.target if ind else "",
                      printed_number, line_link])
    n, u = len(lin.projects), len(lin.units)
    return (f"<p>标题 title: {title}</p>"
            f"<p>发文机关 issued by (registry): {agencies}<br>印出的发文机关 printed issuers: {printed}</p>"
            f"<h2>引用关系 lineage</h2><p>{n} 个项目 projects · {u} 个单位 units · "
            f"{len(cells)} 处引用 citations</p>" + diagram.directive_svg(lin)
            + "<h2>引用它的项目和指标 cited by</h2>"
            + table(["项目 project", "单位 unit", "文件 document", "预算数 budget（万元）", "关系 relation",
                     "指标 indicator", "指标值 target", "印刷 printed", "行 line"],
                    cells[:MAX_TABLE_ROWS], id="lineage-table") + _cap_note(cells, number))


def project_section(store: Store, iri: str, name: str) -> str:
    """The directives a project cites and how, the other projects citing them, its
    series (other years) and fund type (other units)."""
    p = NamedNode(iri)
    lineages = [lineage(store, r["number"]) for r in rows(store, CITED, p=p)]
    out = "<h2>引用文件 cited directives</h2>"
    if not lineages:
        out += "<p>—</p>"
    else:
        mine, others = [], []
        for lin in lineages:
            where = _where(store, lin.directive) if lin.directive else {}
            for q, doc, rel, line, ind in _citations(lin):
                printed_number, line_link = _line(where, doc, line)
                if q is not None and q.iri == iri:
                    mine.append([Link(lin.directive, lin.number), _relation(rel),
                                 Link(ind.iri, ind.name) if ind else "",
                                 ind.target if ind else "", printed_number, line_link])
                elif q is not None:
                    others.append([Link(lin.directive, lin.number), Link(q.iri, q.name), q.unit_name,
                                   _doc(q.document), q.budget, _relation(rel), line_link])
        out += (diagram.project_svg(iri, name, lineages)
                + table(["文号 directive", "关系 relation", "指标 indicator", "指标值 target", "印刷 printed",
                         "行 line"], mine, id="lineage-table")
                + "<h3>引用相同文件的其他项目 other projects citing them</h3>"
                + (table(["文号 directive", "项目 project", "单位 unit", "文件 document", "预算数 budget（万元）",
                          "关系 relation", "行 line"], others[:MAX_TABLE_ROWS]) if others else "<p>—</p>"))
    series = rows(store, SERIES, p=p)
    out += ("<h2>项目系列 project series</h2><p>同一单位、同名项目的其他年度或文件 "
            "the same project of this unit in other years or documents</p>"
            + (table(["年度 year", "项目 project", "文件 document", "预算数 budget（万元）"],
                     [[r["year"], Link(r["other"], r["name"]), _doc(r["doc"]), r["budget"]]
                      for r in series]) if series else "<p>—</p>"))
    count = int(next((r["n"] for r in rows(store, FUND_COUNT, p=p)), "0"))
    first = rows(store, FUND_FIRST, p=p)
    links = " · ".join(a(r["other"], label(store, NamedNode(r["other"])))
                       + Markup("（{}）").format(label(store, NamedNode(r["ou"]))) for r in first)
    more = " …" if count > len(first) else ""
    out += ("<h2>资金类型 fund type</h2><p>其他单位同名项目 projects of other units with the same name: "
            f"{count}{'：' + links + more if first else ''}</p>")
    return out
