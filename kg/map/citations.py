"""Citations → RDF: the citing place, the directive (by number) or policy (by title)
it cites, how we know the link, and the issuing agencies from the registry.

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
from ..normalise.issuers import registry
from ..normalise.names import title_key
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


def completions(citations: list[Citation]) -> dict[str, str]:
    """Truncated title → the complete title it begins, from the same document's other
    citations (the cross-document case is left to queries, per directive number).

    >>> from kg.records import Span
    >>> s = Span("a", 1, 1)
    >>> completions([Citation(None, "basis", s, "关于建设综合体", True),
    ...              Citation(None, "basis", s, "关于建设综合体的请示")])
    {'关于建设综合体': '关于建设综合体的请示'}
    """
    full = sorted({c.title for c in citations if c.title and not c.title_truncated}, key=len)
    keys = [(title_key(t), t) for t in full]
    out = {}
    for c in citations:
        if c.title and c.title_truncated and c.title not in out:
            cut = title_key(c.title)
            match = next((t for k, t in keys if k.startswith(cut)), None)
            if match is not None:
                out[c.title] = match
    return out


def policy_node(q: Quads, title: str, base: str) -> NamedNode:
    key = title_key(title)
    node = NamedNode(iris.policy(key, base))
    if q.first_time(str(node.value)):
        q.share(node, A, BP.Policy)
        q.share(node, BP.titleKey, plain(key))
    q.add(node, RDFS.label, zh(title))
    return node


def directive_node(q: Quads, c: Citation, base: str) -> NamedNode:
    n = c.number
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
        reg = registry()
        row = reg.lookup(n.issuer_code)
        if row is not None:
            q.share(node, BP.issuedBy, NamedNode(iris.agency(reg.by_agency(row.agency).prefix, base)))
            q.share(node, BP.division, zh(row.division) if row.division else None)
    return node


def citation(q: Quads, where: NamedNode, index: int, c: Citation, doc: NamedNode,
             project: NamedNode | None, doc_id: str, base: str,
             completed: dict[str, str] | None = None) -> None:
    """A place that cites a document: typed link, printed forms and span.
    ``completed`` maps titles cut off at a cell edge to the full title (``completions``)."""
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
        title = (completed or {}).get(c.title, c.title)
        q.add(node, BP.citesPolicy, policy_node(q, title, base))
        return
    directive = directive_node(q, c, base)
    q.add(node, BP.citesDirective, directive)
    q.add(node, BP.printedNumber, zh(c.number.printed))
    q.add(where, DCT.references, directive)
    if c.title and c.title_truncated:
        q.add(directive, BP.truncatedTitle, zh(c.title))
    elif c.title:
        q.add(directive, DCT.title, zh(c.title))
        q.add(directive, BP.policy, policy_node(q, c.title, base))
    reg = registry()
    by_code = reg.lookup(c.number.issuer_code)
    for name in c.issuers:  # as printed; an agency the registry knows by name is linked
        q.add(directive, BP.citedIssuer, zh(name))
        row = reg.by_agency(name)
        if row is not None and (by_code is None or by_code.agency != row.agency):
            q.add(directive, BP.issuedBy, NamedNode(iris.agency(row.prefix, base)))


def registry_quads(base: str) -> list:
    """The issuer registry as RDF (its own graph): one agency per name, with every
    code prefix that names it, its place, level and the evidence for the row."""
    reg = registry()
    q = Quads(iris.registry_graph(base))
    for row in reg.rows:
        head = reg.by_agency(row.agency)
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
