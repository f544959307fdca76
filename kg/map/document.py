"""A Disclosure → the quads of its named graph: the disclosure, its publisher and
region, its source text, unit-level figures, goals and tables, what could not be
placed, and (via ``project``) every project table.  Pure and deterministic."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pyoxigraph import NamedNode

from .. import __version__, iris
from ..domain.issuers import registry
from ..records import Disclosure, UnitRef
from .amounts import amount_node
from .citations import citation
from .labels import document_label
from .project import map_project, shared_text
from .provenance import derived
from .terms import BP, BPC, DCT, ORG, RDFS, A, Quads, boolean, dec, integer, plain, zh

MAPPING = 5  # bump when the same records map to different quads


def mapper_version() -> str:
    """What the quads of a document depend on besides its text: code and registry.
    A build reloads a document whose catalog entry names another version."""
    return f"kg {__version__} / mapping {MAPPING} / issuers {registry().digest}"

ROW_CLASSES = {"organisation": BP.OrganisationEntry, "three_public": BP.ThreePublicItem,
               "procurement": BP.ProcurementItem, "assets": BP.AssetItem}
ROW_AMOUNTS = {"previous": BP.previousYearAmount, "current": BP.currentYearAmount,
               "change": BP.changeAmount, "project_budget": BP.projectBudget,
               "unit_price": BP.unitPrice, "total": BP.totalAmount, "value": BP.assetValue}
ROW_TEXT = {"item": RDFS.label, "name": RDFS.label, "project": RDFS.label,
            "reason": BP.reason, "catalogue_code": BP.catalogueCode, "quantity": BP.quantity,
            "quantity_unit": BP.quantityUnit, "nature": BP.unitNature, "rank": BP.unitRank,
            "funding_form": BP.fundingForm, "number": BP.sequenceNumber,
            "header": BP.text}
PROCUREMENT_TEXT = ROW_TEXT | {"item": BP.itemName}


def doc_id(d: Disclosure) -> str:
    """The document's key: its file name without extension."""
    return Path(d.file).stem


def coverage(d: Disclosure) -> Decimal:
    """Share of the lines with text read into records, to 4 places as in the build
    summary (1 for a document without text).

    >>> from types import SimpleNamespace as S
    >>> coverage(S(content_lines=3712, placed_lines=1888))
    Decimal('0.5086')
    >>> coverage(S(content_lines=0, placed_lines=0))
    Decimal('1')
    """
    if not d.content_lines:
        return Decimal(1)
    return (Decimal(d.placed_lines) / Decimal(d.content_lines)).quantize(Decimal("0.0001"))


def unit_node(q: Quads, u: UnitRef, region: str | None, doc: str, base: str) -> NamedNode:
    node = NamedNode(iris.unit(region, u.code, u.name, base))
    if q.first_time(str(node.value)):
        q.share(node, A, BP.BudgetUnit)
        q.share(node, RDFS.label, zh(u.name))
        q.share(node, BP.unitCode, plain(u.code) if u.code else None)
        if region:
            gov = NamedNode(iris.government(region, base))
            q.share(node, ORG.subOrganizationOf, gov)
            q.share(gov, A, BP.Government)
            q.share(gov, BP.regionCode, plain(region))
    q.add(node, BP.printedName, zh(u.printed))
    return node


def map_disclosure(d: Disclosure, base: str | None = None) -> tuple[str, list]:
    """(graph IRI, quads) of one disclosure.  Same records → same quads."""
    q = document_quads(d, base)
    return str(q.graph.value), q.quads


def document_quads(d: Disclosure, base: str | None = None) -> Quads:
    """The quads of one disclosure, collected (``Quads.nquads`` writes them)."""
    base = iris.base(base)
    key = doc_id(d)
    q = Quads(iris.graph(key, base), iris.shared_graph(base), d.locations)
    doc = NamedNode(iris.document(key, base))
    src = NamedNode(iris.source(key, base))
    q.add(doc, A, BP.Disclosure)
    q.add(doc, BP.sourceText, src)
    q.add(src, A, BP.SourceText)
    q.add(src, BP.fileName, plain(Path(d.file).name))
    q.add(src, BP.contentHash, plain(d.sha256))
    q.add(src, BP.encoding, plain(d.encoding))
    # how much of the source was understood, so a half-read document shows as such
    q.add(src, BP.contentLines, integer(d.content_lines))
    q.add(src, BP.unplacedLines, integer(d.content_lines - d.placed_lines))
    q.add(src, BP.coverage, dec(coverage(d)))
    q.add(doc, DCT.title, zh(d.title) if d.title else None)
    label = document_label(d)
    q.add(doc, RDFS.label, zh(label) if label else None)
    q.add(doc, BP.fiscalYear, integer(d.year) if d.year else None)
    q.add(doc, BP.disclosureKind, BPC["disclosure-" + d.kind])
    publisher = unit_node(q, d.publisher, d.region, key, base) if d.publisher else None
    q.add(doc, DCT.publisher, publisher)
    for p in d.projects:
        unit = unit_node(q, p.unit, d.region, key, base) if p.unit else publisher
        map_project(q, p, doc, unit, key, base)
    for i, c in enumerate(d.text_citations, 1):
        citation(q, doc, i, c, doc, None, key, base)
    for i, f in enumerate(d.figures, 1):
        node = NamedNode(iris.part(str(doc.value), "figure", i))
        q.add(doc, BP.statesFigure, node)
        q.add(node, A, BP.StatedFigure)
        q.add(node, BP.section, plain(f.section))
        q.add(node, RDFS.label, zh(f.label))
        q.add(node, BP.figureConcept, plain(f.concept) if f.concept else None)
        q.add(node, BP.text, zh(f.sentence))
        q.add(node, BP.amount, amount_node(q, str(node.value) + "/amount", f.amount, key,
                                           f.span, base))
        derived(q, node, key, f.span, base)
    for i, g in enumerate(d.unit_goals, 1):
        node = NamedNode(iris.part(str(doc.value), "goal", i))
        q.add(doc, BP.hasUnitGoal, node)
        q.add(node, A, BP.UnitGoal)
        q.add(node, BP.goalKind, BPC["goal-" + g.kind])
        q.add(node, BP.goalNumber, plain(g.number) if g.number else None)
        q.add(node, BP.text, zh(g.text))
        shared_text(q, node, g.shared_key, base)
        derived(q, node, key, g.span, base)
    for i, r in enumerate(d.table_rows, 1):
        node = NamedNode(iris.part(str(doc.value), "row", i))
        q.add(doc, BP.hasTableRow, node)
        q.add(node, A, ROW_CLASSES[r.table])
        q.add(node, BP.rowRole, plain(r.role))
        text_props = PROCUREMENT_TEXT if r.table == "procurement" else ROW_TEXT
        for col, text in r.values.items():
            if text and col in text_props and col not in r.amounts:
                q.add(node, text_props[col], zh(text))
        for col, a in r.amounts.items():
            if col in ROW_AMOUNTS:
                q.add(node, ROW_AMOUNTS[col], amount_node(
                    q, f"{node.value}/{col}", a, key, r.spans.get(col, r.span), base))
        derived(q, node, key, r.span, base)
    for i, u in enumerate(d.unplaced, 1):
        node = NamedNode(iris.part(str(doc.value), "unplaced", i))
        q.add(doc, BP.hasUnplaced, node)
        q.add(node, A, BP.UnplacedText)
        q.add(node, BP.text, zh(u.text))
        q.add(node, BP.reasonUnplaced, plain(u.reason))
        derived(q, node, key, u.span, base)
    q.add(doc, BP.classified, boolean(True) if any(p.classified for p in d.projects) else None)
    return q
