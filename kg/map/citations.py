"""Citations → RDF: the citing place, the directive (by number) or policy (by title)
it cites, how we know the link, and the issuing agencies from the registry (looked up
in extraction, ``kg.extract.keys``).

The link is typed by where it was printed (``RELATIONS``): a project named after a
notice, an indicator whose basis cites it, or a mention in a goal or narrative.
Every citation node keeps its span, the printed number and title, so a lineage
answer can always be checked against the line it came from.  Titles: a complete
title is ``dcterms:title`` of the directive and names its policy resource; a title
cut off at a cell edge (…的通) is only ``bp:truncatedTitle``, completed at query time
from a fuller citation of the same number, in this document or another.
"""
from __future__ import annotations

from pyoxigraph import NamedNode

from .. import iris
from ..domain.docnumbers import DocumentNumber
from ..domain.issuers import registry
from ..records import Citation
from .provenance import derived
from .terms import BP, BPC, DCT, ELI, RDFS, A, Quads, integer, plain, zh

#: Where a citation was printed → how the cited document relates to the project.
RELATIONS = {"title": "named-after", "name": "named-after", "basis": "basis"}


def relation(where: str) -> str:
    """named-after | basis | mention.

    >>> relation("name"), relation("basis"), relation("goal")
    ('named-after', 'basis', 'mention')
    """
    return RELATIONS.get(where, "mention")


def policy_node(q: Quads, title: str, key: str, base: str) -> NamedNode:
    """The policy a title names, by its matching key."""
    node = NamedNode(iris.policy(key, base))
    if q.first_time(str(node.value)):
        q.share(node, A, BP.Policy)
        q.share(node, BP.titleKey, plain(key))
    q.add(node, RDFS.label, zh(title))
    return node


def directive_node(q: Quads, c: Citation, n: DocumentNumber, base: str) -> NamedNode:
    """The directive a document number names, with its issuing agency and division."""
    iri = iris.directive(n.issuer_code, n.year, n.serial, base)
    node = NamedNode(iri)
    if q.first_time(iri):
        q.share(node, A, BP.Directive)
        q.share(node, ELI.id_local, zh(n.canonical))
        q.share(node, RDFS.label, zh(n.canonical))
        q.share(node, BP.issuerCode, zh(n.issuer_code))
        for end in range(1, len(n.issuer_code) + 1):
            q.share(node, BP.issuerCodePrefix, zh(n.issuer_code[:end]))
        q.share(node, BP.documentYear, integer(n.year))
        q.share(node, BP.serial, integer(n.serial))
        if c.agency is not None:
            q.share(node, BP.issuedBy, NamedNode(iris.agency(c.agency, base)))
            q.share(node, BP.division, zh(c.division) if c.division else None)
    return node


def citation(q: Quads, where: NamedNode, index: int, c: Citation, doc: NamedNode,
             project: NamedNode | None, doc_id: str, base: str) -> None:
    """A place that cites a document: typed link, printed forms and span."""
    node = NamedNode(iris.part(str(where.value), "citation", index))
    q.add(node, A, BP.Citation)
    q.add(node, BP.citedIn, where)
    q.add(node, BP.inDocument, doc)
    q.add(node, BP.inProject, project)
    q.add(node, BP.citationRole, plain(c.where))
    q.add(node, BP.relation, BPC["relation-" + relation(c.where)])
    q.add(node, BP.printedTitle, zh(c.title) if c.title else None)
    derived(q, node, doc_id, c.span, base)
    if c.number is None:
        if c.policy_title is not None and c.policy_key is not None:
            q.add(node, BP.citesPolicy, policy_node(q, c.policy_title, c.policy_key, base))
        return
    directive = directive_node(q, c, c.number, base)
    q.add(node, BP.citesDirective, directive)
    q.add(node, BP.printedNumber, zh(c.number.printed))
    q.add(where, DCT.references, directive)
    if c.title and c.title_truncated:
        q.add(directive, BP.truncatedTitle, zh(c.title))
    elif c.title:
        q.add(directive, DCT.title, zh(c.title))
        if c.policy_title is not None and c.policy_key is not None:
            q.add(directive, BP.policy, policy_node(q, c.policy_title, c.policy_key, base))
    for name, agency in zip(c.issuers, c.issuer_agencies or (None,) * len(c.issuers),
                            strict=True):
        q.add(directive, BP.citedIssuer, zh(name))  # as printed
        if agency is not None:  # another agency the registry knows by this name
            q.add(directive, BP.issuedBy, NamedNode(iris.agency(agency, base)))


def registry_quads(base: str) -> list:
    """The issuer registry as RDF (its own graph): one agency per name, with every
    code prefix that names it, its place, level and the evidence for the row."""
    reg = registry()
    q = Quads(iris.registry_graph(base))
    for row in reg.rows:
        head = reg.head(row)
        node = NamedNode(iris.agency(head.prefix, base))
        if q.first_time(str(node.value)):
            q.add(node, A, BP.Agency)
            q.add(node, RDFS.label, zh(row.agency))
            q.add(node, BP.place, zh(head.place))
            q.add(node, BP.adminLevel, BPC["level-" + head.level])
            q.add(node, BP.regionCode, plain(head.region) if head.region else None)
        q.add(node, BP.codePrefix, zh(row.prefix))
        q.add(node, DCT.source, zh(f"{row.prefix}: {row.source}"))
    return q.quads
