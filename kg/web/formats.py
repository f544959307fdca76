"""Result bodies.  SELECT and CONSTRUCT results are written by pyoxigraph's own
(Rust) serialisers into a `Sink` that counts rows as the bytes go by (a count of one
or two byte patterns, cheap beside the writing), so the row cap costs little; a result
that may pass it is written again, its first ``max_rows`` rows, by the Python row
writers below (`write_select`), and the endpoint says so."""
from __future__ import annotations

import json
import re
import time
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, serialize

from .media import RDF_FORMATS

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"


def _json_term(t) -> dict:
    if isinstance(t, NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, BlankNode):
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != XSD_STRING:
        d["datatype"] = t.datatype.value
    return d


def _xml_term(t) -> str:
    if isinstance(t, NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
    if t.datatype and t.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
    return f"<literal>{escape(t.value)}</literal>"


def _csv_field(t) -> str:
    if t is None:
        return ""
    v = ("_:" + t.value) if isinstance(t, BlankNode) else t.value
    if any(c in v for c in ',"\r\n'):
        v = '"' + v.replace('"', '""') + '"'
    return v


_TURTLE_SHORT = {  # datatypes Turtle writes bare, with the lexical form each needs
    XSD + "integer": re.compile(r"[+-]?\d+"), XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "boolean": re.compile(r"true|false")}


def _tsv_term(t) -> str:
    """A term in Turtle syntax, as the TSV results format asks (numbers bare)."""
    if t is None:
        return ""
    if isinstance(t, Literal) and not t.language:
        dt = t.datatype.value if t.datatype else XSD_STRING
        if dt == XSD_STRING:
            return json.dumps(t.value, ensure_ascii=False)
        short = _TURTLE_SHORT.get(dt)
        if short is not None and short.fullmatch(t.value):
            return t.value
    return str(t)


def write_select(variables: list[str], rows: list[list], media: str) -> bytes:
    if media == "application/sparql-results+json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, r, strict=True) if t is not None}
                    for r in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    if media == "application/sparql-results+xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = "".join("<result>" + "".join(
            f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
            for v, t in zip(variables, r, strict=True) if t is not None) + "</result>"
            for r in rows)
        return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head><results>{body}</results></sparql>").encode()
    if media == "text/csv":
        lines = [",".join(variables)] + [",".join(_csv_field(t) for t in r) for r in rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    lines = ["\t".join("?" + v for v in variables)] + ["\t".join(_tsv_term(t) for t in r)
                                                       for r in rows]
    return ("\n".join(lines) + "\n").encode()


def write_boolean(value: bool, media: str) -> bytes:
    if media == "application/sparql-results+json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media == "application/sparql-results+xml":
        return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>").encode()
    return ("true" if value else "false").encode() + b"\r\n"


# Byte patterns that pyoxigraph's result writers emit once per row (or more: never
# less), and the count to add for what they miss.  JSON: a row after the first
# starts ``},{"``; an empty row is ``{}``; the first row has neither.  Inside strings
# ``"`` is escaped, so ``},{"`` appears only between rows (``{}`` may appear in a
# string: it only loosens the bound).  XML: ``<result>`` per row (``<`` is escaped
# in text).  CSV: one CRLF per row and one for the header (a quoted value may hold
# more).  TSV: one LF per row and the header (values escape theirs).
_ROW_MARKS = {"application/sparql-results+json": ((b'},{"', b"{}"), 1),
              "application/sparql-results+xml": ((b"<result>",), 0),
              "text/csv": ((b"\r\n",), -1), "text/tab-separated-values": ((b"\n",), -1)}


class WriteRowByRow(Exception):
    """The result may have more rows than the cap: it must be written row by row."""


class Sink:
    """A binary file for pyoxigraph's serialisers (called with ~8 KB chunks):
    collects the body, keeps an upper bound on the rows written so far (``media``
    None: none is kept) and stops the writer by raising `WriteRowByRow` once the
    bound passes ``max_rows``, or ``on_deadline()``'s exception once ``deadline``
    (a ``time.monotonic()`` value) has passed.

    >>> sink = Sink("text/csv", 2, float("inf"), None)
    >>> sink.write(b"n\\r\\n1\\r"), sink.write(b"\\n2\\r\\n"), sink.rows
    (5, 4, 2)
    >>> sink.write(b"3\\r\\n")
    Traceback (most recent call last):
    kg.web.formats.WriteRowByRow
    """

    def __init__(self, media: str | None, max_rows: int, deadline: float, on_deadline):
        self.chunks: list[bytes] = []
        self.marks, self.rows = _ROW_MARKS[media] if media else ((), 0)
        self.tail, self.keep = b"", max((len(m) for m in self.marks), default=1) - 1
        self.max_rows, self.deadline, self.on_deadline = max_rows, deadline, on_deadline

    def write(self, chunk) -> int:
        chunk = bytes(chunk)
        self.chunks.append(chunk)
        if self.marks:  # patterns cut between two chunks are found in tail + chunk
            seam = self.tail + chunk
            self.rows += sum(seam.count(m) - self.tail.count(m) for m in self.marks)
            self.tail = seam[max(0, len(seam) - self.keep):]
            if self.rows > self.max_rows:
                raise WriteRowByRow()
        if time.monotonic() > self.deadline:
            raise self.on_deadline()
        return len(chunk)

    def flush(self) -> None:
        pass

    def body(self) -> bytes:
        return b"".join(self.chunks)


def write_rdf(triples, media: str, prefixes: dict | None = None) -> bytes:
    """A graph in one of ``media.RDF_FORMATS`` (the Graph Store's GET); prefixes for Turtle."""
    fmt = RDF_FORMATS[media]
    if fmt == RdfFormat.TURTLE:
        body = serialize(triples, format=fmt, prefixes=prefixes or {})
    else:
        body = serialize(triples, format=fmt)
    assert body is not None  # no output file given: the bytes are returned
    return body
