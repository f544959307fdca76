"""SPARQL results written row by row (JSON, XML, CSV, TSV) so the endpoint can cap
them and say so; RDF results go through pyoxigraph's serialisers."""
from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, serialize

RESULT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"]
RDF_TYPES = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES,
             "application/ld+json": RdfFormat.JSON_LD, "application/rdf+xml": RdfFormat.RDF_XML}
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
        bindings = [{v: _json_term(t) for v, t in zip(variables, r) if t is not None} for r in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    if media == "application/sparql-results+xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = "".join("<result>" + "".join(
            f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
            for v, t in zip(variables, r) if t is not None) + "</result>" for r in rows)
        return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head><results>{body}</results></sparql>").encode()
    if media == "text/csv":
        lines = [",".join(variables)] + [",".join(_csv_field(t) for t in r) for r in rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    lines = ["\t".join("?" + v for v in variables)] + ["\t".join(_tsv_term(t) for t in r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def write_boolean(value: bool, media: str) -> bytes:
    if media == "application/sparql-results+json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if media == "application/sparql-results+xml":
        return ('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>").encode()
    return ("true" if value else "false").encode() + b"\r\n"


def write_rdf(triples, media: str, prefixes: dict | None = None) -> bytes:
    fmt = RDF_TYPES[media]
    if fmt in (RdfFormat.TURTLE,):
        return serialize(triples, format=fmt, prefixes=prefixes or {})
    return serialize(triples, format=fmt)
