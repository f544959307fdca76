"""Findings, as both engines report them: one `Finding` per violated constraint and
value, located (source file and lines, the printed text) and worded in Chinese and
English; a document's report as RDF for the store.  Pure functions: each engine
gathers the facts its own way and hands them here, so the two agree by construction
on everything but what the shapes decide.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from .. import iris

SH = "http://www.w3.org/ns/shacl#"
PRINTED_ROW = [iris.BP + p for p in ("level1Label", "level2Label", "level3", "targetPrinted")]
PRINTED_NAME = [iris.NS["rdfs"] + "label", iris.BP + "text", iris.BP + "printedText"]
#: what is read about a focus node to say where it was printed
DESCRIBING = [iris.BP + "rowNumber", *PRINTED_ROW, *PRINTED_NAME]

GENERIC = {  # component → (zh, en) when the shape gives no message of its own
    "MinCountConstraintComponent": ("缺少{path}", "{path} is missing"),
    "MaxCountConstraintComponent": ("{path}的值多于一个", "{path} has too many values"),
    "DatatypeConstraintComponent":
        ("{path}的数据类型不对：{value}", "{path} has the wrong datatype: {value}"),
    "ClassConstraintComponent":
        ("{path}指向的对象类别不对：{value}",
         "{path} points to a node of the wrong class: {value}"),
    "InConstraintComponent":
        ("{path}不是允许的取值：{value}", "{path} is not an allowed value: {value}"),
    "PatternConstraintComponent":
        ("{path}的格式不对：{value}", "{path} does not match its pattern: {value}"),
    "MinInclusiveConstraintComponent":
        ("{path}小于下限：{value}", "{path} is below its minimum: {value}"),
    "MaxInclusiveConstraintComponent":
        ("{path}大于上限：{value}", "{path} is above its maximum: {value}"),
    "LessThanOrEqualsConstraintComponent":
        ("{path}大于应不超过的值：{value}",
         "{path} is above the value it must not exceed: {value}"),
}


@dataclass
class Finding:
    severity: str
    shape: str  # the named node shape (a property shape's own node is a blank node)
    focus: str
    path: str | None
    value: str | None
    printed: str | None
    message_zh: str
    message_en: str
    file: str | None
    first_line: int | None
    last_line: int | None
    constraint: str = ""  # the constraint component, e.g. MinCountConstraintComponent
    value_nt: str | None = field(default=None, repr=False)  # the value as N-Triples

    def __str__(self) -> str:
        where = f"{self.file}:{self.first_line}" if self.file else self.focus
        printed = f"  「{self.printed}」" if self.printed else ""
        return (f"{where}: {self.severity}: {self.message_zh} / {self.message_en}{printed}"
                f"  <{self.focus}>")

    def sort_key(self) -> tuple:
        return (self.file or "", self.first_line or 0, self.severity, self.message_en,
                self.focus, self.shape, self.constraint, self.path or "", self.value_nt or "")


def short(iri: str | None) -> str:
    """``bp:fileName`` for an IRI in a known namespace, else the IRI."""
    for prefix, ns in iris.NS.items():
        if iri and iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri or ""


_TRAILING = re.compile(r"(?<![\d.])(\d+)\.(\d*?)0+(?![\d.])")


def summed(select: str | None) -> bool:
    """Whether a SHACL-SPARQL rule prints a sum (see `computed_value`)."""
    return select is not None and "SUM(" in select.upper()


def computed_value(summing: bool, value: str | None, value_nt: str | None):
    """The ``?value`` text of a rule that prints a sum, with its decimals in canonical
    form (1501.80 → 1501.8): engines differ in how they print a computed sum.  Other
    rules' values are left alone (they quote printed text)."""
    if not summing or value is None or not value_nt \
            or not value_nt.startswith('"') or not value_nt.endswith('"'):
        return value, value_nt
    text = _TRAILING.sub(lambda m: m[1] + ("." + m[2] if m[2] else ""), value)
    return text, Literal(text).__str__()


def messages(own: dict, component: str, path: str | None, value: str | None) -> tuple[str, str]:
    """The shape's messages (``{?value}`` filled in), else the component's own."""
    text = "" if value is None else value
    if own:
        zh = own.get("zh", own.get("en", own.get(None, "")))
        en = own.get("en", own.get(None, zh))
        return zh.replace("{?value}", text), en.replace("{?value}", text)
    zh, en = GENERIC.get(component, ("不符合约束 " + component, "violates " + component))
    p = short(path)
    return zh.format(path=p, value=text), en.format(path=p, value=text)


def printed(facts: dict[str, list[str]]) -> str | None:
    """What was printed for the focus node, so a reader can find it in the document:
    an indicator row's labels and target, else its name or text (the least value
    where a property has several, so both engines choose the same)."""
    def one(p):
        values = facts.get(p)
        return min(values) if values else None
    if facts.get(iris.BP + "rowNumber"):
        return " / ".join(v for v in map(one, PRINTED_ROW) if v is not None)
    for p in PRINTED_NAME:
        if one(p) is not None:
            return one(p)
    return None


def line_number(text: str | None) -> int | None:
    """A line number as stored, None where it is not a whole number (a broken graph)."""
    return int(text) if text is not None and re.fullmatch(r"[+-]?[0-9]+", text) else None


def location(spans: list[tuple]) -> tuple[str | None, int | None, int | None]:
    """The first of a focus node's source spans: (file, first line, last line)."""
    if not spans:
        return None, None, None
    file, first, last = min(spans, key=lambda s: (s[1] is None, s[1] or 0, s[2] or 0, s[0] or ""))
    return file, first, last


def report_triples(report_graph: str, findings: list[Finding],
                   stamp: str | None = None) -> list[Triple]:
    """A document's report as SHACL results (``<report>#report``, ``#result-N``);
    ``stamp`` records which version of the document and shapes it was made for."""
    from pyoxigraph import RdfFormat, parse
    sh = lambda local: NamedNode(SH + local)  # noqa: E731
    report = NamedNode(report_graph + "#report")
    conforms = not any(f.severity == "Violation" for f in findings)
    out = [Triple(report, NamedNode(iris.NS["rdf"] + "type"), sh("ValidationReport")),
           Triple(report, sh("conforms"), Literal(conforms))]
    if stamp:
        out.append(Triple(report, NamedNode(iris.NS["dcterms"] + "identifier"), Literal(stamp)))
    for n, f in enumerate(findings, 1):
        r = NamedNode(f"{report_graph}#result-{n}")
        out += [Triple(report, sh("result"), r),
                Triple(r, NamedNode(iris.NS["rdf"] + "type"), sh("ValidationResult")),
                Triple(r, sh("focusNode"), NamedNode(f.focus)),
                Triple(r, sh("resultSeverity"), sh(f.severity)),
                Triple(r, sh("sourceShape"), NamedNode(f.shape)),
                Triple(r, sh("resultMessage"), Literal(f.message_zh, language="zh")),
                Triple(r, sh("resultMessage"), Literal(f.message_en, language="en"))]
        if f.constraint:
            out.append(Triple(r, sh("sourceConstraintComponent"), sh(f.constraint)))
        if f.path:
            out.append(Triple(r, sh("resultPath"), NamedNode(f.path)))
        if f.value_nt:
            (t,) = parse(f"<urn:x:s> <urn:x:p> {f.value_nt} .".encode(),
                         format=RdfFormat.N_TRIPLES)
            out.append(Triple(r, sh("value"), t.object))
    return out
