"""Matching keys and registry look-ups are made in extraction (kg/extract/keys.py), on
the records, so the mapper only projects them; they stay out of the JSON form."""
from __future__ import annotations

from kg.records import to_json


def test_project_name_keys_from_data_000(disclosures):
    d = disclosures["000"]
    # data/000 line 54: project 1 is 2026年统计调查资金; the year is not part of the key
    assert (d.projects[0].name, d.projects[0].name_key) == ("2026年统计调查资金", "统计调查资金")


def test_a_cited_number_carries_its_registry_agency(disclosures):
    # data/000 line 1864: project 21 is named after 保财资环[2026]4号; registry/issuers.csv
    # row 13 gives 保财资环 to 保定市财政局, division 资环, whose first row is 保财
    p = disclosures["000"].projects[20]
    (c,) = [c for c in p.citations if c.number and c.number.canonical == "保财资环〔2026〕4号"
            and c.where == "name"]
    assert (c.agency, c.division) == ("保财", "资环")


def test_a_cut_off_title_is_completed_from_the_same_document(disclosures):
    """data/004 line 1807 prints the basis 关于建设城市经济综合体（科技创新综合体）
    without its type, lines 1786-1828 around it the full title …的请示: the cut-off
    citation names the full title's policy."""
    cites = disclosures["004"].all_citations()
    (cut,) = [c for c in cites if c.span.first == 1807 and c.where == "basis"]
    full = [c for c in cites if c.span.first == 1786 and c.where == "basis"]
    assert cut.title == "关于建设城市经济综合体（科技创新综合体）" and cut.title_truncated
    assert cut.policy_title == "关于建设城市经济综合体（科技创新综合体）的请示"
    assert full and cut.policy_key == full[0].policy_key is not None


def test_keys_are_not_in_the_json_form(disclosures):
    j = to_json(disclosures["000"])
    assert "name_key" not in j["projects"][0]
    assert "policy_key" not in j["projects"][20]["citations"][0]
