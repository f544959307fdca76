"""The .docx and HTML front ends: each sample written as a Word file (with real
gridSpan/vMerge merges) and as an HTML page (rowspan/colspan) must give the records
its Tika text gives, and the front end is picked by content, not by name."""
from __future__ import annotations

import io
import zipfile

import pytest

from kg.errors import ReadError
from kg.extract.disclosure import extract
from kg.pipeline import Failure, expand, extract_file, extract_files
from kg.read.document import layout_of
from kg.read.docx import parse_docx
from kg.read.html import parse_html
from kg.read.model import place
from tests.support.answers import same_records
from tests.support.cli import kg
from tests.support.samples import sample
from tests.support.variants import TRANSFORMS, from_text, variant
from tests.support.writers import to_docx, to_html

SAMPLES = ("000", "001", "002", "004")


def model(prefix, names=()):
    text = sample(prefix).read_text(encoding="utf-8")
    return variant(text, list(names), 14) if names else from_text(text)


def read_bytes(data: bytes, name: str):
    source, layout = layout_of(data, name)
    return extract(source, layout), layout


@pytest.mark.parametrize("prefix", SAMPLES)
def test_sample_as_docx_gives_the_same_records(disclosures, prefix):
    data = to_docx(model(prefix))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:vMerge/>" in xml and "w:gridSpan" in xml  # real merges, not empty cells
    d, layout = read_bytes(data, f"{prefix}.docx")
    assert layout.format == "docx" and d.encoding == "docx"
    same_records(disclosures[prefix], d, layout.lines)
    p = d.projects[0]
    assert place(layout.locations, p.indicators[0].spans["target"].first).startswith("table ")


@pytest.mark.parametrize("prefix", SAMPLES)
def test_sample_as_html_gives_the_same_records(disclosures, prefix):
    page = to_html(model(prefix))
    assert "rowspan=" in page and "colspan=" in page
    d, layout = read_bytes(page.encode(), f"{prefix}.html")
    assert layout.format == "html"
    same_records(disclosures[prefix], d, layout.lines)


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_every_variant_phenomenon_as_docx_and_html(disclosures, prefix):
    doc = model(prefix, TRANSFORMS)
    for data, name in ((to_docx(doc), "v.docx"), (to_html(doc).encode(), "v.html")):
        d, layout = read_bytes(data, name)
        same_records(disclosures[prefix], d, layout.lines)


def test_front_end_is_chosen_by_content_not_name(tmp_path, disclosures):
    (tmp_path / "a.txt").write_bytes(to_docx(model("000")))  # a Word file saved as .txt
    (tmp_path / "b.dat").write_text(to_html(model("002")), encoding="utf-8")
    assert extract_file(tmp_path / "a.txt").summary()["indicator_rows"] == 164
    assert extract_file(tmp_path / "b.dat").summary()["indicator_rows"] == 205


def test_folders_give_docx_and_html_files(tmp_path):
    for name in ("x.docx", "y.html", "z.HTM", "w.txt", "skip.pdf"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in expand([tmp_path])] == ["w.txt", "x.docx", "y.html", "z.HTM"]


def test_broken_docx_is_a_clear_error_that_spoils_nothing(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document><w:body><w:p>")
    (tmp_path / "bad.docx").write_bytes(buf.getvalue())
    (tmp_path / "good.txt").write_bytes(sample("000").read_bytes())
    bad, good = extract_files([tmp_path / "bad.docx", tmp_path / "good.txt"])
    assert isinstance(bad, Failure) and "bad.docx" in str(bad.error) and "XML" in str(bad.error)
    assert good.summary()["tables"] == 27
    with pytest.raises(ReadError, match="bad.docx"):
        extract_file(tmp_path / "bad.docx")


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_of(body: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
    return buf.getvalue()


def test_docx_merges_bookmarks_and_paragraphs_in_cells():
    def tc(pr, *ps):
        return f"<w:tc><w:tcPr>{pr}</w:tcPr>" + "".join(
            f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in ps) + "</w:tc>"
    body = ('<w:p><w:bookmarkStart w:id="0" w:name="_Toc1"/>'
            "<w:r><w:t>1.项目绩效目标表</w:t></w:r></w:p>"
            "<w:tbl><w:tr>" + tc('<w:vMerge w:val="restart"/>', "一级", "指标")
            + tc('<w:gridSpan w:val="2"/>', "x")
            + "</w:tr><w:tr>" + tc("<w:vMerge/>") + tc("", "a") + tc("", "b") + "</w:tr></w:tbl>"
            "<w:p/><w:p><w:r><w:t>后记</w:t></w:r></w:p>")
    lay = parse_docx(docx_of(body), "t.docx")
    title, table, after = lay.blocks
    assert title.text == "1.项目绩效目标表" and title.bookmarks == ["_Toc1"]
    assert [r.texts for r in table.rows] == [["一级\n指标", "x"], ["", "a", "b"]]
    assert (place(lay.locations, table.rows[1].cells[0].first)
            == "table 1, row 2, cell 1 (merged with the cell above)")
    assert (place(lay.locations, table.rows[0].cells[0].parts[1].line)
            == "table 1, row 1, cell 1, paragraph 2")
    assert after.text == "后记" and place(lay.locations, after.line) == "paragraph 3"


def test_html_rowspan_colspan_and_paragraphs():
    lay = parse_html('<p><a name="t1"></a>标题</p><table><caption>表1</caption><tr>'
                     '<td rowspan="2">一级<br>指标</td>'
                     '<td colspan="2">x</td><td>y</td></tr><tr><td>a</td><td>b</td>'
                     '<td rowspan="2">c</td></tr><tr><td>d</td><td>e</td><td>f</td></tr></table>'
                     "<script>var x = '<table>';</script><p>后记</p>")
    title, caption, table, after = lay.blocks
    assert title.bookmarks == ["t1"] and caption.text == "表1" and after.text == "后记"
    assert [r.texts for r in table.rows] == [["一级\n指标", "x", "y"], ["", "a", "b", "c"],
                                              ["d", "e", "f", ""]]


def test_docx_spans_are_named_locations_in_the_records_and_the_cli(tmp_path):
    doc = model("000")
    doc[-1].rows.append([variants_cell("奇怪的备注")])  # one cell no label explains
    (tmp_path / "x.docx").write_bytes(to_docx(doc))
    d = extract_file(tmp_path / "x.docx")
    p = d.projects[0]
    assert d.where(p.spans["code"].first).startswith("table 1, row ")
    (u,) = [u for u in d.unplaced if u.text == "奇怪的备注"]
    assert d.where(u.span.first).endswith("cell 1, paragraph 1")
    r = kg("extract", "-v", tmp_path / "x.docx")
    assert r.returncode == 0 and f"({d.where(u.span.first)})" in r.stderr


def test_a_docx_location_is_never_called_a_line(tmp_path):
    """The records, the reader and the graph name a location alike: a .docx has no
    lines, so a number past its last paragraph is not reported as ``line n``."""
    (tmp_path / "x.docx").write_bytes(to_docx(model("000")))
    d = extract_file(tmp_path / "x.docx")
    past = len(d.locations) + 1
    assert d.where(past) == place(d.locations, past) == f"location {past}"
    assert d.where(1) == d.locations[0]


def variants_cell(text):
    from tests.support.variants import Cell
    return Cell([text])


NUMBERING = f"""<w:numbering {W}>
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>
<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>
<w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"""


def test_docx_list_numbers_are_put_back():
    def p(text, num=None, lvl=0):
        pr = (f'<w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr>'
              "</w:pPr>" if num else "")
        return f"<w:p>{pr}<w:r><w:t>{text}</w:t></w:r></w:p>"
    body = (p("总体绩效目标", 4) + p("统计调查资金绩效目标表", 3) + p("细项", 3, 1)
            + p("细项", 3, 1)
            + p("办公经费绩效目标表", 3) + p("保障措施", 4) + p("没有编号"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
        z.writestr("word/numbering.xml", NUMBERING)
    lay = parse_docx(buf.getvalue(), "n.docx")
    assert [b.text for b in lay.blocks] == [
        "一、总体绩效目标", "1.统计调查资金绩效目标表", "1.1 细项", "1.2 细项",
        "2.办公经费绩效目标表", "二、保障措施", "没有编号"]
