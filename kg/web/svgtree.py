"""A tree drawn as layered SVG, left to right: a leaf takes one row, a parent sits
between its first and last child; edges styled by relation with a legend; each node a
rounded rectangle whose label is cut with … (the whole text in a <title> tooltip) and,
when it has one, a link.  Every text is escaped and the output depends only on the
tree, so the same data gives the same bytes.  Used by ``diagram`` for lineages."""
from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field

NODE_W, NODE_H, ROW_H, GAP, MARGIN, LEGEND_H, FONT = 210, 24, 30, 64, 10, 46, 12
ORDER = ("named-after", "basis", "mention")
# relation → (Chinese, English, short label on the edge, stroke attributes)
RELATIONS = {
    "named-after": ("以其命名", "named after", "命名", 'stroke="#1d4ed8" stroke-width="2"'),
    "basis": ("指标依据", "indicator basis", "依据",
              'stroke="#c2410c" stroke-width="1.5" stroke-dasharray="6 3"'),
    "mention": ("提及", "mention", "提及",
                'stroke="#6b7280" stroke-width="1.5" stroke-dasharray="2 3"'),
}
BELONGS = 'stroke="#9ca3af" stroke-width="1"'
# kind → (fill, stroke, legend label)
KINDS = {
    "directive": ("#fef3c7", "#b45309", "文号 directive"),
    "unit": ("#e0e7ff", "#4338ca", "单位 unit"),
    "project": ("#dcfce7", "#15803d", "项目 project"),
    "indicator": ("#fce7f3", "#be185d", "指标 indicator"),
    "document": ("#f3f4f6", "#4b5563", "文件 document"),
    "more": ("#ffffff", "#6b7280", "更多 more"),
}


@dataclass
class Node:
    label: str
    kind: str
    title: str = ""  # the full text, shown as a tooltip
    href: str = ""  # a local URL or a #fragment; "" = not a link
    relations: tuple[str, ...] = ()  # how it hangs from its parent; () = belongs to
    children: list[Node] = field(default_factory=list)


def _width(ch: str) -> float:
    return 1.0 if ch == "…" or unicodedata.east_asian_width(ch) in "WF" else 0.55


def fit(text: str, width: float = NODE_W - 14, size: int = FONT) -> str:
    """``text`` cut with … to fit ``width`` pixels (wide characters count one em).

    >>> fit("2026年中央就业补助资金 保财社【2025】86号（公益性岗位补贴和社会保险补贴）")
    '2026年中央就业补助资金 保财社…'
    >>> fit("办公经费")
    '办公经费'
    """
    room = width / size
    if sum(map(_width, text)) <= room:
        return text
    out, used = [], _width("…")
    for ch in text:
        if used + _width(ch) > room:
            break
        out.append(ch)
        used += _width(ch)
    return "".join(out).rstrip() + "…"


def ordered(rels) -> tuple[str, ...]:
    """Relations in the legend's order (named after, basis, mention)."""
    return tuple(sorted(rels, key=lambda r: ORDER.index(r) if r in ORDER else len(ORDER)))


def _place(node: Node, col: int, step: int, rows: list[int], out: list) -> float:
    """Place ``node`` and its subtree; leaves take the next row.  ``out`` gets
    (node, col, row, parent index) in drawing order."""
    me = len(out)
    out.append([node, col, 0.0, None])
    if node.children:
        child_rows = []
        for c in node.children:
            k = len(out)
            child_rows.append(_place(c, col + step, step, rows, out))
            out[k][3] = me
        row = (child_rows[0] + child_rows[-1]) / 2
    else:
        row = rows[0]
        rows[0] += 1
    out[me][2] = row
    return row


def _layout(root: Node, left: list[Node]) -> tuple[list, int, int]:
    """(placements, columns, rows): the root's children to the right, ``left`` to its left."""
    right_out: list[list] = []
    left_out: list[list] = []
    r_rows, l_rows = [0], [0]
    for c in root.children:
        k = len(right_out)
        _place(c, 1, 1, r_rows, right_out)
        right_out[k][3] = -1
    for c in left:
        k = len(left_out)
        _place(c, -1, -1, l_rows, left_out)
        left_out[k][3] = -1
    total = max(r_rows[0], l_rows[0], 1)
    for side, n in ((right_out, r_rows[0]), (left_out, l_rows[0])):
        for p in side:
            p[2] += (total - n) / 2
    tops = [p[2] for p in right_out + left_out if p[3] == -1]
    root_row = (min(tops) + max(tops)) / 2 if tops else 0.0
    placed: list[list] = [[root, 0, root_row, None]]
    for side in (right_out, left_out):
        offset = len(placed)
        for node, col, row, parent in side:
            placed.append([node, col, row, 0 if parent == -1 else parent + offset])
    low = min(p[1] for p in placed)
    for p in placed:
        p[1] -= low
    return placed, max(p[1] for p in placed) + 1, total


def _edge(x1: int, y1: int, x2: int, y2: int, rels: tuple[str, ...]) -> str:
    out = []
    styles = [RELATIONS[r][3] for r in rels if r in RELATIONS] or [BELONGS]
    for k, style in enumerate(styles):
        dy = round(4 * (k - (len(styles) - 1) / 2))
        xm = (x1 + x2) // 2
        out.append(f'<path d="M{x1},{y1 + dy} C{xm},{y1 + dy} {xm},{y2 + dy} {x2},{y2 + dy}" '
                   f'fill="none" {style}/>')
    short = "/".join(RELATIONS[r][2] for r in rels if r in RELATIONS)
    if short:
        out.append(f'<text x="{(x1 + x2) // 2}" y="{(y1 + y2) // 2 - 4}" font-size="10" '
                   'text-anchor="middle" '
                   f'fill="#374151" stroke="#fff" stroke-width="3" paint-order="stroke">'
                   f"{html.escape(short)}</text>")
    return "".join(out)


def _node(n: Node, x: int, y: int) -> str:
    fill, stroke, _ = KINDS.get(n.kind, KINDS["more"])
    dash = ' stroke-dasharray="3 2"' if n.kind == "more" else ""
    body = (f"<title>{html.escape(n.title or n.label)}</title>"
            f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6" fill="{fill}" '
            f'stroke="{stroke}"{dash}/>'
            f'<text x="{x + 7}" y="{y + NODE_H // 2 + FONT // 2 - 2}" font-size="{FONT}" '
            'fill="#111827">'
            f"{html.escape(fit(n.label))}</text>")
    if n.href:
        return f'<a href="{html.escape(n.href)}" class="{n.kind}">{body}</a>'
    return f'<g class="{n.kind}">{body}</g>'


def _legend() -> str:
    out, x = [], MARGIN
    for key in ORDER:
        zh, en, _, style = RELATIONS[key]
        out.append(f'<path d="M{x},{MARGIN + 6} h28" fill="none" {style}/>'
                   f'<text x="{x + 34}" y="{MARGIN + 10}" font-size="11">'
                   f'{html.escape(f"{zh} {en}")}</text>')
        x += 34 + 11 * len(zh) + 7 * len(en) + 24
    x = MARGIN
    for fill, stroke, text in KINDS.values():
        out.append(f'<rect x="{x}" y="{MARGIN + 20}" width="14" height="12" rx="3" fill="{fill}" '
                   f'stroke="{stroke}"/><text x="{x + 19}" y="{MARGIN + 30}" font-size="11">'
                   f'{html.escape(text)}</text>')
        x += 19 + round(11 * sum(_width(c) for c in text)) + 18
    return f'<g class="legend">{"".join(out)}</g>'


def render(root: Node, left: list[Node], title: str) -> str:
    """The SVG of a tree: ``root``'s children to the right, ``left`` to its left."""
    placed, cols, rows = _layout(root, left)
    width = max(2 * MARGIN + cols * NODE_W + (cols - 1) * GAP, 640)
    top = LEGEND_H + MARGIN
    height = top + rows * ROW_H + MARGIN
    xy = [(MARGIN + col * (NODE_W + GAP), round(top + row * ROW_H)) for _, col, row, _ in placed]
    edges = []
    for k, (node, _, _, parent) in enumerate(placed):
        if parent is None:
            continue
        (px, py), (cx, cy) = xy[parent], xy[k]
        x1, x2 = (px + NODE_W, cx) if cx > px else (px, cx + NODE_W)
        edges.append(_edge(x1, py + NODE_H // 2, x2, cy + NODE_H // 2, node.relations))
    nodes = "".join(_node(n, x, y) for (n, *_), (x, y) in zip(placed, xy, strict=True))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" width="{width}" '
            f'height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" role="img" '
            f'style="max-width:100%;height:auto">'
            f"<title>{html.escape(title)}</title>{_legend()}"
            f'<g class="edges">{"".join(edges)}</g><g class="nodes">{nodes}</g></svg>')
