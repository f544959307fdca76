"""The generated corpus (tests/support/corpus.py) read by the real reader.

Every generated document must read as cleanly as the sample it was made from, hold
the tables the generator wrote (with their source's indicators and the amounts it
printed), and the ground truth in corpus.json must be what the reader finds.
"""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest

from kg.pipeline import extract_file
from tests.support.corpus import CITIES, generate, manifest, summary

SEED = 11  # a seed whose 40 documents use every layout style and print county numbers
STYLES = {"yuan", "budget_with_unit", "labels", "quarters", "row_gap", "tab_pad",
          "split_rows", "continuation", "titles_in_table", "titles_none"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """40 generated documents, their manifest, corpus.json and what the reader makes of them."""
    out = tmp_path_factory.mktemp("corpus")
    paths = generate(40, out, seed=SEED)
    docs = manifest(out)
    truth = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    read = {m["file"]: extract_file(out / m["file"]) for m in docs}
    return out, paths, docs, truth, read


def citations(d) -> Counter:
    """Canonical numbers of every citation the reader recorded in a document."""
    found = Counter(c.number.canonical for p in d.projects for c in p.citations if c.number)
    found.update(c.number.canonical for c in d.text_citations if c.number)
    return found


def test_generate_returns_the_documents_it_wrote(corpus):
    out, paths, manifest, truth, _ = corpus
    assert [p.name for p in paths] == [m["file"] for m in manifest]
    assert all(p.suffix == ".txt" and p.stat().st_size > 0 for p in paths)
    assert truth["documents"] == 40
    assert summary(out).startswith("40 documents, ")


def test_the_corpus_uses_every_template_and_layout_style(corpus):
    _, _, manifest, _, _ = corpus
    assert {m["family"] for m in manifest} == {"A", "B", "C"}
    assert {s for m in manifest for s in m["style"]} == STYLES
    assert len({m["region"] for m in manifest}) > 30 and len({m["city"] for m in manifest}) > 8
    assert {m["year"] for m in manifest} == set(range(2021, 2027))


def test_every_document_reads_as_cleanly_as_its_sample(corpus, disclosures):
    _, _, manifest, _, read = corpus
    for m in manifest:
        d = read[m["file"]]
        sample_warnings = {w.code for p in {s.split(":")[0] for s in m["sources"]}
                           for w in disclosures[p].warnings}
        assert not d.unplaced, (m["file"], d.unplaced[:2])
        assert {w.code for w in d.warnings} <= sample_warnings, (m["file"], d.warnings[:2])
        assert d.placed_lines == d.content_lines


def test_publisher_year_and_tables_as_generated(corpus):
    _, _, manifest, _, read = corpus
    for m in manifest:
        d = read[m["file"]]
        s = d.summary()
        assert (s["tables"], s["projects"]) == (m["tables"], m["projects"]), m["file"]
        assert (d.publisher.code, d.publisher.name) == tuple(m["unit"])
        assert d.year == m["year"]
        if m["family"] != "C":  # template C prints no project codes, so no region
            assert d.region == m["region"]


def test_each_table_keeps_its_source_and_consistent_amounts(corpus, disclosures):
    _, _, manifest, _, read = corpus
    source = {f"{k}:{p.index}": p for k, d in disclosures.items() for p in d.projects}
    for m in manifest:
        d = read[m["file"]]
        for p, sid, budget in zip(d.projects, m["sources"], m["budgets"], strict=True):
            o = source[sid]
            where = (m["file"], p.index, sid)
            assert len(p.indicators) == len(o.indicators), where
            assert len(p.goals) == len(o.goals), where
            assert [i.level1_concept for i in p.indicators] == \
                [i.level1_concept for i in o.indicators], where
            assert p.carried_over == o.carried_over and p.expenditure_kind == o.expenditure_kind
            if budget is None:
                assert p.budget is None and o.budget is None
                continue
            assert p.budget.value == Decimal(budget), where
            assert p.fiscal.value + (p.other.value if p.other else 0) == p.budget.value, where
            assert p.plan.kind == o.plan.kind, where
            values = [ms.value for ms in p.plan.milestones if ms.value is not None]
            assert values == sorted(values), where  # cumulative
            assert values[-1] == (p.budget.value if p.plan.kind == "amount" else 100), where


def test_ground_truth_equals_what_the_reader_finds(corpus):
    _, _, manifest, truth, read = corpus
    docs, projects, cited = Counter(), Counter(), Counter()
    for d in read.values():
        found = citations(d)
        docs.update(found.keys())
        cited.update(found)
        for p in d.projects:
            projects.update({c.number.canonical for c in p.citations if c.number})
    popular = [e for e in truth["popular"] if e["tier"] != "county"] + \
        truth["popular_by_tier"]["province"] + truth["popular_by_tier"]["city"]
    assert len(popular) >= 10 and truth["popular"][0]["documents"] >= 2
    for e in popular:
        c = e["canonical"]
        assert (docs[c], projects[c], cited[c]) == \
            (e["documents"], e["projects"], e["citations"]), c
    for issuer, counts in truth["issuers"].items():
        if counts["tier"] != "county":
            assert counts["documents"] == sum(1 for d in read.values() if any(
                c.startswith(issuer + "〔") for c in citations(d))), issuer


def test_each_document_cites_what_the_generator_printed(corpus):
    _, _, manifest, _, read = corpus
    for m in manifest:
        want = Counter({c: n for c, n in m["citations"].items() if c not in m["county"]})
        found = citations(read[m["file"]])
        assert +Counter({c: n for c, n in found.items() if c in want}) == want, m["file"]


def test_city_numbers_come_from_the_documents_own_city(corpus):
    _, _, manifest, truth, _ = corpus
    for m in manifest:
        for c in m["citations"]:
            if c not in m["county"]:
                assert c[0] in ("冀", CITIES[m["city"]][0]), (m["file"], c)
    shared = [e for e in truth["popular"] if e["documents"] >= 2]
    assert shared and all(len(e["spellings"]) >= 1 for e in shared)
    assert any(len(e["spellings"]) > 1 for e in truth["popular"])  # one number, many prints
    assert {"保财", "冀财"} <= set(truth["prefixes"])


def test_county_numbers_are_printed(corpus):
    _, _, manifest, truth, read = corpus
    county = [m for m in manifest if m["county"]]
    assert county and truth["directives"]["by_tier"]["county"] >= 1
    for m in county:
        text = (corpus[0] / m["file"]).read_text(encoding="utf-8")
        assert all(c[:c.index("〔")] in text for c in m["county"])


def test_county_numbers_are_read_with_their_issuer(corpus):
    _, _, manifest, _, read = corpus
    for m in manifest:
        found = citations(read[m["file"]])
        assert all(found[c] == m["citations"][c] for c in m["county"]), m["county"]


def test_a_seed_gives_the_same_corpus_and_a_larger_one_extends_it(tmp_path):
    a = generate(6, tmp_path / "a", seed=3)
    b = generate(6, tmp_path / "b", seed=3)
    c = generate(6, tmp_path / "c", seed=4)
    d = generate(9, tmp_path / "d", seed=3)
    assert [p.name for p in a] == [p.name for p in b] == [p.name for p in d[:6]]
    assert [p.name for p in a] != [p.name for p in c]
    truth = [(tmp_path / run / "corpus.json").read_bytes() for run in ("a", "b")]
    assert truth[0] == truth[1]
