"""The variant model (``variants.Doc``) written as a .docx and as an HTML page, with
real merges: a short row's last cell spans the rest of the grid (``gridSpan`` /
``colspan``), and an empty cell in the first three columns under a cell of the same
width is merged with it (``vMerge`` / ``rowspan``), as Word does for the level-1
and level-2 columns of an indicator block."""
from __future__ import annotations

import html
import io
import itertools
import zipfile
from xml.sax.saxutils import escape

from tests.support.variants import Cell, Doc, Para, Tbl

MERGE_COLUMNS = 3


def _layout(t: Tbl) -> list[list[tuple[Cell, int, str]]]:
    """Per row: (cell, grid span, merge) with merge '' | 'restart' | 'continue'."""
    width = max(len(r) for r in t.rows)
    out: list[list[list]] = []
    for row in t.rows:
        spans = [1] * (len(row) - 1) + [width - len(row) + 1]
        cells = [[c, s, ""] for c, s in zip(row, spans, strict=False)]
        above = out[-1] if out else None
        if above is not None and len(row) == len(above) > MERGE_COLUMNS:
            for g in range(min(MERGE_COLUMNS, width)):
                if not cells[g][0].text and (above[g][0].text or above[g][2]):
                    cells[g][2] = "continue"
                    if not above[g][2]:
                        above[g][2] = "restart"
        out.append(cells)
    return [[tuple(c) for c in row] for row in out]


# --- .docx ------------------------------------------------------------------------------

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


_BOOKMARK_IDS = itertools.count(1)  # unique in every document written


def _p(text: str, bookmarks: list[str] = ()) -> str:
    marks = "".join(f'<w:bookmarkStart w:id="{i}" w:name="{escape(b)}"/><w:bookmarkEnd w:id="{i}"/>'
                    for b in bookmarks for i in [next(_BOOKMARK_IDS)])
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f"<w:p>{marks}{run}</w:p>"


def _tbl(t: Tbl) -> str:
    width = max(len(r) for r in t.rows)
    rows = []
    for row in _layout(t):
        tcs = []
        for cell, span, merge in row:
            pr = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
                '<w:vMerge w:val="restart"/>' if merge == "restart" else
                "<w:vMerge/>" if merge == "continue" else "")
            paras = "" if merge == "continue" else "".join(_p(x) for x in cell.paras)
            tcs.append(f"<w:tc><w:tcPr>{pr}</w:tcPr>{paras or '<w:p/>'}</w:tc>")
        rows.append("<w:tr>" + "".join(tcs) + "</w:tr>")
    grid = "<w:tblGrid>" + '<w:gridCol w:w="1400"/>' * width + "</w:tblGrid>"
    return f"<w:tbl>{grid}{''.join(rows)}</w:tbl>"


def to_docx(doc: Doc) -> bytes:
    """The model as a minimal but real WordprocessingML package."""
    body, last = [], None
    for block in doc:
        if isinstance(block, Para):
            body.append(_p(block.text, block.bookmarks))
        else:
            if isinstance(last, Tbl):
                body.append("<w:p/>")  # Word keeps a paragraph between two tables
            body.append(_tbl(block))
        last = block
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NS}>'
           f"<w:body>{''.join(body)}</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


# --- HTML -------------------------------------------------------------------------------

def to_html(doc: Doc) -> str:
    """The model as an HTML page, merges as rowspan/colspan, cell paragraphs as <p>."""
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>预算公开</title>'
           "<style>td{border:1px solid}</style></head><body>"]
    for block in doc:
        if isinstance(block, Para):
            marks = "".join(f'<a name="{html.escape(b)}"></a>' for b in block.bookmarks)
            out.append(f"<p>{marks}{html.escape(block.text)}</p>")
            continue
        grid = _layout(block)
        out.append('<table border="1">')
        for r, row in enumerate(grid):
            tds = []
            for g, (cell, span, merge) in enumerate(row):
                if merge == "continue":
                    continue
                attrs = f' colspan="{span}"' if span > 1 else ""
                if merge == "restart":
                    k = r + 1
                    while k < len(grid) and g < len(grid[k]) and grid[k][g][2] == "continue":
                        k += 1
                    attrs += f' rowspan="{k - r}"'
                tds.append(f"<td{attrs}>" + "".join(f"<p>{html.escape(x)}</p>" for x in cell.paras)
                           + "</td>")
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)
