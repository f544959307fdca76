"""Pages for the things people browse: home (figures, search), and summaries for a
project, a directive, a unit and a document on top of the generic resource page.
The queries are constant texts with values bound as substitutions; nothing typed
by a visitor becomes SPARQL."""
from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from .. import iris
from ..domain.docnumbers import parse_document_number
from ..store import Store
from . import lineage_pages
from .doclabels import labeller
from .parts import Link
from .parts import rows as _rows
from .templates import page, render

P = (f"PREFIX bp: <{iris.BP}> PREFIX rdfs: <{iris.NS['rdfs']}> PREFIX eli: <{iris.NS['eli']}> "
     f"PREFIX skos: <{iris.NS['skos']}> ")
FIGURES = P + """SELECT
  (COUNT(DISTINCT ?d) AS ?documents) (COUNT(DISTINCT ?p) AS ?projects)
  (COUNT(DISTINCT ?i) AS ?indicators) (COUNT(DISTINCT ?x) AS ?directives)
  (COUNT(DISTINCT ?u) AS ?units)
WHERE { { ?d a bp:Disclosure } UNION { ?p a bp:Project } UNION { ?i a bp:Indicator }
        UNION { ?x a bp:Directive } UNION { ?u a bp:BudgetUnit } }"""
SEARCH = P + """SELECT DISTINCT ?q ?thing ?label ?kind WHERE {
  { VALUES ?kind { bp:Project bp:Directive bp:BudgetUnit }
    ?thing a ?kind ; rdfs:label ?label . }
  UNION  # a document by its publisher's name (it has no label of its own)
  { BIND(bp:Disclosure AS ?kind)
    ?thing a bp:Disclosure ; <http://purl.org/dc/terms/publisher>/rdfs:label ?label . }
  FILTER (CONTAINS(LCASE(STR(?label)), LCASE(?q)))
} ORDER BY ?kind ?label LIMIT 200"""
PROJECT = P + """SELECT ?p ?name ?code ?unitName ?budget ?fiscal ?other ?kind WHERE {
  OPTIONAL { ?p rdfs:label ?name } OPTIONAL { ?p bp:projectCode ?code }
  OPTIONAL { ?p bp:budgetUnit/rdfs:label ?unitName }
  OPTIONAL { ?p bp:budget/bp:amountWanYuan ?budget }
  OPTIONAL { ?p bp:fiscalFunds/bp:amountWanYuan ?fiscal }
  OPTIONAL { ?p bp:otherFunds/bp:amountWanYuan ?other }
  OPTIONAL { ?p bp:spendingPlanKind/skos:prefLabel ?kind FILTER (LANG(?kind) = "zh") } }"""
MILESTONES = P + """SELECT ?p ?label ?printed WHERE { ?p bp:hasMilestone ?m . ?m rdfs:label ?label ;
  bp:month ?month . OPTIONAL { ?m bp:printedText ?printed } } ORDER BY ?month"""
GOALS = P + """SELECT ?p ?n ?text WHERE { ?p bp:hasGoal ?g . ?g bp:text ?text .
  OPTIONAL { ?g bp:goalNumber ?n } } ORDER BY ?g"""
INDICATORS = P + """SELECT ?p ?row ?l1 ?l2 ?l3 ?target ?basis ?first WHERE { ?p bp:hasIndicator ?i .
  ?i bp:rowNumber ?row . OPTIONAL { ?i bp:level1Label ?l1 } OPTIONAL { ?i bp:level2Label ?l2 }
  OPTIONAL { ?i bp:level3 ?l3 } OPTIONAL { ?i bp:targetPrinted ?target }
  OPTIONAL { ?i bp:basisPrinted ?basis }
  OPTIONAL { ?i <http://www.w3.org/ns/prov#wasDerivedFrom>/bp:firstLine ?first } } ORDER BY ?row"""
UNIT_PROJECTS = P + """SELECT ?u ?p ?name ?doc ?budget WHERE {
  ?p bp:budgetUnit ?u ; bp:disclosure ?doc ; bp:tableIndex ?n .
  OPTIONAL { ?p rdfs:label ?name } OPTIONAL { ?p bp:budget/bp:amountWanYuan ?budget }
} ORDER BY ?doc ?n"""
DOC_PROJECTS = P + """SELECT ?d ?p ?name ?budget ?n (COUNT(?i) AS ?indicators) WHERE {
  ?p bp:disclosure ?d ; bp:tableIndex ?n . OPTIONAL { ?p rdfs:label ?name }
  OPTIONAL { ?p bp:budget/bp:amountWanYuan ?budget } OPTIONAL { ?p bp:hasIndicator ?i }
} GROUP BY ?d ?p ?name ?budget ?n ORDER BY ?n"""
DOC_UNPLACED = P + """SELECT ?d ?text ?first WHERE { ?d bp:hasUnplaced ?u . ?u bp:text ?text .
  OPTIONAL { ?u <http://www.w3.org/ns/prov#wasDerivedFrom>/bp:firstLine ?first } }
ORDER BY ?first"""
DOC_COVERAGE = P + """SELECT ?d ?coverage ?lines ?unplaced WHERE { ?d bp:sourceText ?s .
  ?s bp:coverage ?coverage ; bp:contentLines ?lines ; bp:unplacedLines ?unplaced }"""
DOC_FINDINGS = """PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?vg ?r ?severity ?message (LANG(?message) AS ?lang) ?focus WHERE { GRAPH ?vg {
  ?r sh:focusNode ?focus ; sh:resultSeverity ?severity ; sh:resultMessage ?message } }
ORDER BY ?focus"""
TYPE = NamedNode(iris.NS["rdf"] + "type")
#: the search result kinds, named as the directive hit is: Chinese, then English
KINDS = {"Project": "项目 project", "Directive": "文号 directive", "BudgetUnit": "单位 unit",
         "Disclosure": "文件 document"}


def home(store: Store) -> str:
    f = _rows(store, FIGURES)[0]
    figures = [f["documents"], f["projects"], f["indicators"], f["directives"], f["units"]]
    return page("预算绩效目标公开知识图谱", render("home.html", figures=figures))


def search(store: Store, q: str, base: str) -> str:
    q = q.strip()
    number = parse_document_number(q)
    hits, seen = [], set()  # a directive found by its number is not listed again by its label
    if number is not None:
        iri = iris.directive(number.issuer_code, number.year, number.serial, base)
        if any(True for _ in store.quads_for_pattern(NamedNode(iri), TYPE, None, None)):
            hits.append([Link(iri, number.canonical), "文号 directive"])
            seen.add(iri)
    if q:
        name = labeller(store)
        for r in _rows(store, SEARCH, q=Literal(q)):
            if r["thing"] in seen:
                continue
            seen.add(r["thing"])
            kind = r["kind"].rsplit("#", 1)[-1]
            text = name(r["thing"]) if kind == "Disclosure" else r["label"]
            hits.append([Link(r["thing"], text), KINDS[kind]])
    return page(f"搜索 search: {q}", render("search.html", base, hits=hits))


def summary(store: Store, iri: str, kinds: set[str], base: str) -> str:
    """The type-specific part of a resource page (empty for other resources)."""
    node = NamedNode(iri)
    if iris.BP + "Project" in kinds:
        return _project(store, iri, node, base)
    if iris.BP + "Directive" in kinds:
        return lineage_pages.directive_section(store, iri, base)
    if iris.BP + "BudgetUnit" in kinds:
        name = labeller(store)
        rows = [[Link(r["p"], r["name"]), Link(r["doc"], name(r["doc"])), r["budget"]]
                for r in _rows(store, UNIT_PROJECTS, u=node)]
        return render("unit.html", base, rows=rows)
    if iris.BP + "Disclosure" in kinds:
        return _document(store, iri, node, base)
    return ""


def _project(store: Store, iri: str, node: NamedNode, base: str) -> str:
    p = (_rows(store, PROJECT, p=node) or [{}])[0]
    return render(
        "project.html", base,
        head=[p.get(k, "") for k in
              ("name", "code", "unitName", "budget", "fiscal", "other", "kind")],
        plan=[[r["label"], r["printed"]] for r in _rows(store, MILESTONES, p=node)],
        goals=[(r["n"] if r["n"].isdigit() else "", r["text"])
               for r in _rows(store, GOALS, p=node)],
        indicators=[[r[k] for k in ("row", "l1", "l2", "l3", "target", "basis", "first")]
                    for r in _rows(store, INDICATORS, p=node)],
        lineage=lineage_pages.project_section(store, iri, p.get("name", ""), base))


def _document(store: Store, iri: str, node: NamedNode, base: str) -> str:
    found = _rows(store, DOC_COVERAGE, d=node)
    read = found[0] if found else None  # how much of the source was read
    vg = NamedNode(iri.replace("/doc/", "/validation/", 1))
    return render(
        "document.html", base,
        coverage=read and {"percent": f"{float(read['coverage']) * 100:.2f}",
                           "lines": f"{int(read['lines']):,}", "left": int(read["unplaced"])},
        projects=[[r["n"], Link(r["p"], r["name"]), r["budget"], r["indicators"]]
                  for r in _rows(store, DOC_PROJECTS, d=node)],
        unplaced=[[r["first"], r["text"]] for r in _rows(store, DOC_UNPLACED, d=node)],
        findings=[[r["severity"].rsplit("#", 1)[-1], r["message"],
                   Link(r["focus"], "/".join(r["focus"].rsplit("/", 3)[-3:]))]
                  for r in _findings(store, vg)])


def _findings(store: Store, vg: NamedNode) -> list[dict]:
    """One row per validation result, its message in every language it has (Chinese
    first, by tag or, untagged, by its first character): one message per language."""
    merged: dict[str, dict] = {}
    for r in _rows(store, DOC_FINDINGS, vg=vg):
        row = merged.setdefault(r["r"], {**r, "messages": []})
        chinese = r["lang"] == "zh" or (not r["lang"] and r["message"][:1] >= "\u4e00")
        row["messages"].append((not chinese, r["message"]))
    for row in merged.values():
        row["message"] = " / ".join(m for _, m in sorted(row["messages"]))
    return sorted(merged.values(), key=lambda row: row["focus"])

