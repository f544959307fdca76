"""Project tables → RDF: the project, its amounts, spending plan, goals, indicators
and the citations of directives printed in it.  Pure: records in, quads out."""
from __future__ import annotations

from pyoxigraph import NamedNode

from .. import iris
from ..normalise.amounts import Amount
from ..records import Citation, Indicator, ProjectTable
from .amounts import amount_node
from .provenance import derived
from .terms import BP, BPC, DCT, ELI, RDFS, A, Quads, boolean, dec, integer, plain, zh


def directive_node(q: Quads, c: Citation, base: str) -> NamedNode:
    n = c.number
    iri = iris.directive(n.issuer_code, n.year, n.serial, base)
    node = NamedNode(iri)
    if q.first_time(iri):
        q.add(node, A, BP.Directive)
        q.add(node, ELI.id_local, zh(n.canonical))
        q.add(node, RDFS.label, zh(n.canonical))
        q.add(node, BP.issuerCode, zh(n.issuer_code))
        q.add(node, BP.documentYear, integer(n.year))
        q.add(node, BP.serial, integer(n.serial))
    return node


def citation(q: Quads, where: NamedNode, index: int, c: Citation, doc_id: str, base: str,
             titles: tuple[str, ...] = (), issuers: tuple[str, ...] = ()) -> None:
    """A place that prints a document number: typed link with its span."""
    directive = directive_node(q, c, base)
    node = NamedNode(iris.part(str(where.value), "citation", index))
    q.add(node, A, BP.Citation)
    q.add(node, BP.citesDirective, directive)
    q.add(node, BP.citedIn, where)
    q.add(node, BP.citationRole, plain(c.where))
    q.add(node, BP.printedNumber, zh(c.number.printed))
    derived(q, node, doc_id, c.span, base)
    q.add(where, DCT.references, directive)
    for t in titles:
        q.add(directive, DCT.title, zh(t))
    for name in issuers:  # issuing agencies as printed; a registry of agencies comes later
        q.add(directive, BP.citedIssuer, zh(name))


def _indicator(q: Quads, project: NamedNode, ind: Indicator, doc_id: str, base: str) -> NamedNode:
    node = NamedNode(iris.part(str(project.value), "indicator", ind.row))
    q.add(project, BP.hasIndicator, node)
    q.add(node, A, BP.Indicator)
    q.add(node, BP.rowNumber, integer(ind.row))
    q.add(node, BP.level1Label, zh(ind.level1) if ind.level1 else None)
    q.add(node, BP.level1Printed, zh(ind.level1_printed) if ind.level1_printed else None)
    q.add(node, BP.level2Label, zh(ind.level2) if ind.level2 else None)
    q.add(node, BP.level2Printed, zh(ind.level2_printed) if ind.level2_printed else None)
    if ind.level1_concept:
        q.add(node, BP.level1, BPC["level1-" + ind.level1_concept])
    if ind.level2_concept:
        q.add(node, BP.level2, BPC["level2-" + ind.level2_concept])
    q.add(node, BP.level3, zh(ind.level3) if ind.level3 else None)
    q.add(node, RDFS.label, zh(ind.level3) if ind.level3 else None)
    q.add(node, BP.description, zh(ind.description) if ind.description else None)
    t = ind.target
    q.add(node, BP.targetPrinted, zh(t.printed) if t.printed else None)
    q.add(node, BP.targetKind, BPC["target-" + t.kind])
    q.add(node, BP.comparator, plain(t.comparator) if t.comparator else None)
    q.add(node, BP.targetValue, dec(t.value) if t.value is not None else None)
    q.add(node, BP.targetUnit, zh(t.unit) if t.unit else None)
    b = ind.basis
    q.add(node, BP.basisPrinted, zh(b.printed) if b.printed else None)
    if b.category:
        q.add(node, BP.basisCategory, BPC[iris.BASIS_CONCEPTS[b.category]])
    for title in b.citation.titles:
        q.add(node, BP.citedTitle, zh(title))
    for issuer in b.citation.issuers:
        q.add(node, BP.citedIssuer, zh(issuer))
    q.add(node, BP.classified, boolean(True) if ind.classified else None)
    derived(q, node, doc_id, ind.span, base)
    return node


def map_project(q: Quads, p: ProjectTable, doc: NamedNode, unit: NamedNode | None,
                doc_id: str, base: str) -> NamedNode:
    iri = iris.project(doc_id, p.index, base)
    node = NamedNode(iri)
    q.add(node, A, BP.Project)
    q.add(node, BP.disclosure, doc)
    q.add(doc, DCT.hasPart, node)
    q.add(node, BP.tableIndex, integer(p.index))
    q.add(node, BP.budgetUnit, unit)
    q.add(node, RDFS.label, zh(p.name) if p.name else None)
    q.add(node, BP.titlePrinted, zh(p.title) if p.title else None)
    q.add(node, BP.projectCode, plain(p.code) if p.code else None)
    q.add(node, BP.projectCodePrinted, zh(p.code_printed) if p.code_printed else None)
    q.add(node, BP.amountUnitPrinted, zh(p.amount_unit))
    q.add(node, BP.purpose, zh(p.purpose) if p.purpose else None)
    q.add(node, BP.expenditureKind, BPC["expenditure-" + p.expenditure_kind])
    if p.funding_level:
        q.add(node, BP.fundingLevel, BPC["funding-" + p.funding_level])
    q.add(node, BP.fundsYear, integer(p.funds_year) if p.funds_year else None)
    q.add(node, BP.carriedOver, boolean(p.carried_over))
    q.add(node, BP.carriedOverEvidence, plain(p.carried_over_evidence)
          if p.carried_over_evidence else None)
    q.add(node, BP.classified, boolean(p.classified))
    derived(q, node, doc_id, p.span, base)
    for name, prop in (("budget", BP.budget), ("fiscal", BP.fiscalFunds), ("other", BP.otherFunds)):
        a = getattr(p, name)
        if a is not None:
            q.add(node, prop, amount_node(q, iri + "/" + name, a, doc_id, p.spans.get(name), base))
    if p.plan is not None:
        q.add(node, BP.spendingPlanKind, BPC["plan-" + p.plan.kind])
        for m in p.plan.milestones:
            mn = NamedNode(iris.part(iri, "milestone", m.month or m.label))
            q.add(node, BP.hasMilestone, mn)
            q.add(mn, A, BP.SpendingMilestone)
            q.add(mn, RDFS.label, zh(m.label))
            q.add(mn, BP.month, integer(m.month) if m.month else None)
            q.add(mn, BP.printedText, zh(m.printed) if m.printed else None)
            if m.value is not None and p.plan.kind == "percent":
                q.add(mn, BP.cumulativePercent, dec(m.value))
            elif m.value is not None and p.plan.kind == "amount":
                q.add(mn, BP.cumulativeAmount, amount_node(
                    q, str(mn.value) + "/amount", Amount(m.printed, m.value, p.amount_unit),
                    doc_id, m.span, base))
            derived(q, mn, doc_id, m.span, base)
    for i, g in enumerate(p.goals, 1):
        gn = NamedNode(iris.part(iri, "goal", i))
        q.add(node, BP.hasGoal, gn)
        q.add(gn, A, BP.Goal)
        q.add(gn, BP.goalNumber, plain(g.number) if g.number else None)
        q.add(gn, BP.text, zh(g.text))
        derived(q, gn, doc_id, g.span, base)
    indicators = {ind.row: _indicator(q, node, ind, doc_id, base) for ind in p.indicators}
    by_span = {(i.span.first, i.span.last): indicators[i.row] for i in p.indicators}
    for k, c in enumerate(p.citations, 1):
        where = node
        titles: tuple[str, ...] = ()
        issuers: tuple[str, ...] = ()
        if c.where in ("basis", "description", "level3", "target"):
            where = next((n for (a, b), n in by_span.items() if a <= c.span.first <= b), node)
            ind = next((i for i in p.indicators if i.span.first <= c.span.first <= i.span.last), None)
            cited = ind.basis.citation if ind is not None else None
            if c.where == "basis" and cited and len(cited.numbers) == 1 \
                    and not cited.truncated_title:
                titles = cited.titles  # the title printed beside the one number
                issuers = cited.issuers
        citation(q, where, k, c, doc_id, base, titles, issuers)
    return node
