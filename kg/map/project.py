"""Project tables → RDF: the project, its amounts, spending plan, goals, indicators
and the citations of directives printed in it.  Pure: records in, quads out (the
matching keys were made in extraction, ``kg.extract.keys``)."""
from __future__ import annotations

from pyoxigraph import NamedNode

from .. import iris
from ..domain.amounts import Amount
from ..records import Indicator, ProjectTable
from .amounts import amount_node
from .citations import citation
from .provenance import derived
from .terms import BP, BPC, DCT, RDFS, A, Quads, boolean, dec, integer, plain, zh


def shared_text(q: Quads, node: NamedNode, key: str | None, base: str) -> None:
    """Link a goal to the one resource for its text, so repeats across documents meet."""
    if key is not None:
        q.add(node, BP.sharedText, NamedNode(iris.shared_text(key, base)))


def identity(q: Quads, node: NamedNode, key: str, unit: NamedNode | None, base: str) -> None:
    """The project's series (same unit, same normalised name: last year's project) and
    fund type (same normalised name in any unit), with the key as evidence."""
    fund = NamedNode(iris.fund_type(key, base))
    q.add(node, BP.fundType, fund)
    if q.first_time(str(fund.value)):
        q.share(fund, A, BP.FundType)
        q.share(fund, BP.nameKey, zh(key))
    if unit is not None:
        series = NamedNode(iris.series(str(unit.value), key, base))
        q.add(node, BP.projectSeries, series)
        if q.first_time(str(series.value)):
            q.share(series, A, BP.ProjectSeries)
            q.share(series, BP.nameKey, zh(key))
            q.share(series, BP.budgetUnit, unit)


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
    q.add(node, BP.implementationPeriod, zh(p.period) if p.period else None)
    q.add(node, BP.expenditureKind, BPC["expenditure-" + p.expenditure_kind])
    if p.funding_level:
        q.add(node, BP.fundingLevel, BPC["funding-" + p.funding_level])
    q.add(node, BP.fundsYear, integer(p.funds_year) if p.funds_year else None)
    q.add(node, BP.carriedOver, boolean(p.carried_over))
    q.add(node, BP.carriedOverEvidence, plain(p.carried_over_evidence)
          if p.carried_over_evidence else None)
    q.add(node, BP.classified, boolean(p.classified))
    derived(q, node, doc_id, p.span, base)
    if p.name_key:
        identity(q, node, p.name_key, unit, base)
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
        shared_text(q, gn, g.shared_key, base)
        derived(q, gn, doc_id, g.span, base)
    indicators = {ind.row: _indicator(q, node, ind, doc_id, base) for ind in p.indicators}
    by_span = {(i.span.first, i.span.last): indicators[i.row] for i in p.indicators}
    for k, c in enumerate(p.citations, 1):
        where = node
        if c.where in ("basis", "description", "level3", "target"):
            where = next((n for (a, b), n in by_span.items() if a <= c.span.first <= b), node)
        citation(q, where, k, c, doc, node, doc_id, base)
    return node
