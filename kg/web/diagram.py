"""Lineage diagrams as inline SVG, drawn on the server.

A researcher following a directive wants to see at a glance where it landed: which
units, which projects, which indicators rest on it.  The picture is made here from a
``kg.lineage.Lineage`` (no script, font, style sheet or image from elsewhere), so the
page works offline, prints, and the same data gives the same bytes (drawing: svgtree).
Every node links to its page on this server, never elsewhere.  Large lineages are
capped (``MAX_PROJECTS``, ``MAX_INDICATORS``, ``MAX_OTHERS``): the rest becomes one
"+K more" node, so a directive cited by thousands of projects still gives a drawing of
bounded size.
"""
from __future__ import annotations

from .. import iris
from ..lineage import Lineage
from .parts import under_base
from .svgtree import RELATIONS, Node, ordered, render

MAX_PROJECTS = 60  # projects (and other citing documents) drawn for one directive
MAX_INDICATORS = 5  # indicators drawn under one project
MAX_OTHERS = 20  # directives, and other projects per directive, on a project page


def _local(iri: str, base: str) -> str:
    """Only IRIs this server serves become links: the diagram never points elsewhere."""
    return under_base(iri, base) or ""


def _more(k: int, what: str, href: str) -> Node:
    return Node(f"+{k} {what}", "more", f"还有 {k} 个未画出 {k} more not drawn; see the table",
                href)


def _project(p, base: str, relations: tuple[str, ...], indicators: bool, anchor: str) -> Node:
    budget = f"{p.budget}万元 · " if p.budget else ""
    lines = "; ".join(f"{RELATIONS.get(r, (r,))[0]} {', '.join(map(str, p.relations[r]))}"
                      for r in ordered(p.relations))
    node = Node(p.name or p.iri, "project",
                f"{p.name}\n{budget}{p.unit_name} · {p.document.rsplit('/', 1)[-1]}"
                f"\n行 lines: {lines}", _local(p.iri, base), relations)
    if indicators:
        for i in p.indicators[:MAX_INDICATORS]:
            node.children.append(_indicator(i, base))
        if len(p.indicators) > MAX_INDICATORS:
            node.children.append(_more(len(p.indicators) - MAX_INDICATORS, "个指标 indicators",
                                       anchor))
    return node


def _indicator(i, base: str, note: str = "") -> Node:
    label = f"{i.name} {i.target}".strip()
    return Node(label, "indicator",
                f"{i.name}\n指标值 target: {i.target or '—'}\n行 line {i.line}{note}",
                _local(i.iri, base), ("basis",))


def _other(doc: str, rel: str, line: int, base: str) -> Node:
    name = doc.rsplit("/", 1)[-1]
    return Node(f"{name} 第{line}行", "document",
                f"{name}\n{RELATIONS.get(rel, (rel,))[0]} {rel}: 行 line {line}",
                _local(doc, base), (rel,))


def directive_svg(lin: Lineage, base: str, anchor: str = "#lineage-table") -> str:
    """directive → units → projects → indicators (and documents citing it outside any
    project), at most ``MAX_PROJECTS`` projects and ``MAX_INDICATORS`` per project."""
    base = base or iris.base()
    root = Node(lin.number, "directive", lin.number, _local(lin.directive or "", base))
    shown = lin.projects[:MAX_PROJECTS]
    units: dict[str, Node] = {}
    for p in shown:
        unit = units.get(p.unit)
        if unit is None:
            unit = units[p.unit] = Node(p.unit_name or "?", "unit", p.unit_name,
                                        _local(p.unit, base))
            root.children.append(unit)
        unit.children.append(_project(p, base, ordered(p.relations), True, anchor))
    others = lin.other[:MAX_PROJECTS - len(shown)]
    root.children += [_other(doc, rel, line, base) for doc, rel, line in others]
    hidden = len(lin.projects) - len(shown) + len(lin.other) - len(others)
    if hidden:
        root.children.append(_more(hidden, "处引用 more", anchor))
    return render(root, [], f"{lin.number} 的引用关系 lineage")


def project_svg(project: str, name: str, lineages: list[Lineage], base: str,
                anchor: str = "#lineage-table") -> str:
    """other projects ← directives ← this project → its indicators resting on them.
    The other projects sit left of the directives so no edge crosses the project."""
    base = base or iris.base()
    root = Node(name or project, "project", name, _local(project, base))
    left: list[Node] = []
    right: list[Node] = []
    seen: set[str] = set()
    for lin in lineages[:MAX_OTHERS]:
        mine = next((p for p in lin.projects if p.iri == project), None)
        rels = ordered(mine.relations) if mine else ()
        d = Node(lin.number, "directive", lin.number, _local(lin.directive or "", base), rels)
        others = [p for p in lin.projects if p.iri != project]
        d.children = [_project(p, base, ordered(p.relations), False, anchor)
                      for p in others[:MAX_OTHERS]]
        room = MAX_OTHERS - len(d.children)
        d.children += [_other(doc, rel, line, base) for doc, rel, line in lin.other[:room]]
        hidden = len(others) + len(lin.other) - len(d.children)
        if hidden:
            d.children.append(_more(hidden, "处引用 more", anchor))
        left.append(d)
        for i in (mine.indicators if mine else []):
            if i.iri not in seen and len(right) < MAX_OTHERS:
                seen.add(i.iri)
                right.append(_indicator(i, base, f"\n依据 basis: {lin.number}"))
    if len(lineages) > MAX_OTHERS:
        left.append(_more(len(lineages) - MAX_OTHERS, "个文号 directives", anchor))
    root.children = right
    return render(root, left, f"{name} 引用的文件 cited directives")
