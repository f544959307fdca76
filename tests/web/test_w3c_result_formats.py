"""The W3C CSV/TSV and JSON result-format manifests (tests/w3c/csv-tsv-res,
json-res), each query run through a live endpoint over its data.  Blank node labels
are compared up to renaming (they are only unique within one result), and columns
by name: the order of ``SELECT *`` variables is the engine's (pyoxigraph sorts them).
Numbers are compared by value: the store keeps numeric literals in canonical form
(``1.0E6``^^xsd:double comes back as ``1000000``, ``-3``^^xsd:negativeInteger as
``-3``^^xsd:integer), which is the engine's business, not the result format's."""
from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
import rdflib
from pyoxigraph import RdfFormat

from kg.store import open_store
from kg.web.app import Settings, create_app
from kg.web.sparql import Limits
from tests.support.live import LiveServer

W3C = Path(__file__).resolve().parent.parent / "w3c"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
MEDIA = {".csv": "text/csv", ".tsv": "text/tab-separated-values",
         ".srj": "application/sparql-results+json"}


def cases():
    out = []
    for folder in ("csv-tsv-res", "json-res"):
        g = rdflib.Graph().parse(W3C / folder / "manifest.ttl", format="turtle",
                                 publicID=(W3C / folder / "manifest.ttl").as_uri())
        for test in g.subjects(MF.result, None):
            action = g.value(test, MF.action)
            def path(t):
                return Path(rdflib.URIRef(t).replace("file://", ""))
            out.append(pytest.param(path(g.value(action, QT.query)), path(g.value(action, QT.data)),
                                    path(g.value(test, MF.result)), id=str(g.value(test, MF.name))))
    return out


def canon_bnodes(text: str) -> str:
    names: dict[str, str] = {}
    return re.sub(r"_:(\w+)", lambda m: "_:" + names.setdefault(m.group(1), f"b{len(names)}"), text)


def test_the_manifests_were_read():
    assert len(cases()) == 10


@pytest.mark.parametrize("query, data, expected", cases())
def test_result_format(tmp_path, query, data, expected):
    store = open_store(tmp_path / "s")
    with open(data, "rb") as f:
        store.store.load(f, format=RdfFormat.TURTLE, base_iri=data.as_uri())
    with LiveServer(create_app(store, Settings(Limits(timeout=10)))) as server:
        r = httpx.get(server.url + "/sparql", params={"query": query.read_text()},
                      headers={"Accept": MEDIA[expected.suffix]})
    assert r.status_code == 200
    if expected.suffix == ".srj":
        got, want = r.json(), json.loads(expected.read_text())
        if "boolean" in want:
            assert got["boolean"] == want["boolean"]
            return
        assert sorted(got["head"]["vars"]) == sorted(want["head"]["vars"])
        assert sorted(map(json_key, got["results"]["bindings"])) == \
            sorted(map(json_key, want["results"]["bindings"]))
    else:
        sep = "," if expected.suffix == ".csv" else "\t"
        if expected.suffix == ".csv":
            assert b"\r\n" in r.content  # RFC 4180 line ends
        got = table(canon_bnodes(r.content.decode()), sep)
        want = table(canon_bnodes(expected.read_text()), sep)
        assert got[0] == want[0] and sorted(got[1]) == sorted(want[1])


NUMERIC = re.compile(r'^(?:"([^"]*)"\^\^<http://www.w3.org/2001/XMLSchema#'
                     r'(?:double|float|decimal|\w*[iI]nteger|long|int|short)>|([+-]?[\d.]+(?:[eE][+-]?\d+)?))$')


def cell(value: str) -> str:
    m = NUMERIC.match(value)
    if m:
        try:
            return f"number:{float(m.group(1) or m.group(2))!r}"
        except ValueError:
            pass
    return value


def json_key(binding: dict) -> str:
    out = {}
    for var, term in binding.items():
        term = dict(term)
        if term["type"] == "bnode":
            term["value"] = "_"
        elif term.get("datatype", "").rsplit("#", 1)[-1] in ("double", "float", "decimal",
                                                             "integer"):
            term["value"] = float(term["value"])
        out[var] = term
    return json.dumps(out, sort_keys=True)


def table(text: str, sep: str):
    """(sorted header, rows as tuples in the header's sorted order)."""
    import csv
    import io
    lines = list(csv.reader(io.StringIO(text.replace("\r\n", "\n").strip()), delimiter=sep,
                            quoting=csv.QUOTE_NONE if sep == "\t" else csv.QUOTE_MINIMAL))
    header = lines[0]
    order = sorted(range(len(header)), key=lambda i: header[i])
    return [header[i] for i in order], [tuple(cell(row[i]) if i < len(row) else "" for i in order)
                                        for row in lines[1:]]
