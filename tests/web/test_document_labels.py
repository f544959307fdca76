"""Each sample document's label (publisher, year, printed title) checked against the
text the sample prints: in the graph, in `kg query` output and on /queries/NAME."""
from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from pyoxigraph import NamedNode

from kg import cli, iris
from tests.support.labels import expected_labels

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def test_each_document_is_labelled_with_what_it_prints(built_store):
    store = built_store[0]
    for key, label in expected_labels().items():
        got = [q.object for q in store.quads_for_pattern(
            NamedNode(iris.document(key)), NamedNode(RDFS_LABEL), None, None)]
        assert [(o.value, o.language) for o in got] == [(label, "zh")], key


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("name, params", [("projects", []), ("indicators", []),
                                          ("project-history", []), ("basis-categories", []),
                                          ("basis-cross-citations", []),
                                          ("issuer-portfolio", ["issuer=保财"]),
                                          ("directive-lineage", ["number=保财社〔2025〕87号"])])
def test_kg_query_gives_the_label_beside_the_document(built_store, capsys, name, params):
    labels = {iris.document(k): v for k, v in expected_labels().items()}
    args = ["query", name, "--format", "csv", "--store", str(built_store[1])]
    for p in params:
        args += ["--param", p]
    assert cli.main(args) == 0
    got = csv_rows(capsys.readouterr().out)
    columns = list(got[0])
    assert columns.index("documentLabel") == columns.index("document") + 1
    named = [r for r in got if r["document"]]
    assert named and all(r["documentLabel"] == labels[r["document"]] for r in named)


def test_goal_places_labels_each_place(built_store, capsys):
    labels = {iris.document(k): v for k, v in expected_labels().items()}
    # the first goal text printed in more than one document, and each place printing it
    assert cli.main(["query", "shared-goals", "--format", "csv",
                     "--store", str(built_store[1])]) == 0
    text = csv_rows(capsys.readouterr().out)[0]["text"]
    assert cli.main(["query", "goal-places", "--param", f"text={text}", "--format", "csv",
                     "--store", str(built_store[1])]) == 0
    got = csv_rows(capsys.readouterr().out)
    assert len({r["document"] for r in got}) > 1
    assert all(r["documentLabel"] == labels[r["document"]] for r in got)


def test_queries_endpoint_gives_the_label(live):
    labels = {iris.document(k): v for k, v in expected_labels().items()}
    r = httpx.get(live.url + "/queries/projects", params={"format": "csv"})
    assert r.status_code == 200
    got = csv_rows(r.content.decode("utf-8-sig"))
    assert {r["document"] for r in got} == set(labels)
    assert all(r["documentLabel"] == labels[r["document"]] for r in got)
    j = httpx.get(live.url + "/queries/indicators",
                  headers={"Accept": "application/sparql-results+json"}).json()
    assert "documentLabel" in j["head"]["vars"] and j["results"]["bindings"]
    for b in j["results"]["bindings"]:
        assert b["documentLabel"]["value"] == labels[b["document"]["value"]]
        assert b["documentLabel"]["xml:lang"] == "zh"


@pytest.mark.parametrize("name", ["shared-goals", "cited-not-loaded"])
def test_first_document_is_a_document_with_its_label(built_store, capsys, name):
    labels = {iris.document(k): v for k, v in expected_labels().items()}
    assert cli.main(["query", name, "--format", "json", "--store", str(built_store[1])]) == 0
    answer = json.loads(capsys.readouterr().out)
    head = answer["head"]["vars"]
    assert head.index("firstDocumentLabel") == head.index("firstDocument") + 1
    assert answer["results"]["bindings"]
    for b in answer["results"]["bindings"]:
        first = b["firstDocument"]
        assert first["type"] == "uri" and first["value"] in labels  # a document, not a string
        assert (b["firstDocumentLabel"]["value"], b["firstDocumentLabel"]["xml:lang"]) == \
            (labels[first["value"]], "zh")
