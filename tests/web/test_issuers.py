"""The issuers pages over the live server: every issuing-agency code printed in the
samples with its reach, and one prefix's portfolio."""
from __future__ import annotations

from urllib.parse import quote

import httpx

from tests.support.samples import sample_lines

from .test_lineage_pages import table_rows
from .test_pages import HTML, get

ISSUER_CODES = {"保财社", "冀财教", "保财建", "邢政办发", "冀组明字", "邢市财建", "保财资环",
                "保财行",
                "保政发", "邢市财环资", "冀财建", "冀财预", "邢发改环资"}


def test_issuers_page_lists_every_code_with_its_reach(live):
    home = get(live, "/")
    assert 'href="/issuers"' in home
    page = get(live, "/issuers")
    rows = table_rows(page, "issuers")
    assert {r[0] for r in rows} == ISSUER_CODES
    text = "\n".join("\n".join(sample_lines(p)) for p in ("000", "001", "002", "004"))
    assert all(code in text for code in ISSUER_CODES)  # each printed in a sample
    first = {r[0]: r for r in rows}
    # 19 35 40 86 87, 2024 87
    assert first["保财社"][1].startswith("保定市财政局") and first["保财社"][4] == "6"
    assert "not in registry" not in page  # the registry knows all 13
    for code in ISSUER_CODES:
        assert f'href="/issuers/{quote(code)}"' in page


def test_issuer_portfolio_lists_the_directives_of_a_prefix(live):
    page = get(live, "/issuers/" + quote("保财"))
    numbers = {r[0] for r in table_rows(page, "portfolio")}
    assert numbers == {"保财建〔2025〕69号", "保财社〔2024〕87号", "保财社〔2025〕19号",
                       "保财社〔2025〕35号",
                       "保财社〔2025〕40号", "保财社〔2025〕86号", "保财社〔2025〕87号",
                       "保财行〔2025〕12号",
                       "保财资环〔2026〕4号"}
    assert "9 个文号 directives" in page and "total budget" in page
    missing = httpx.get(live.url + "/issuers/" + quote("不存在"), headers=HTML)
    assert missing.status_code == 404

