"""The issuer registry (registry/issuers.csv): every code in the samples is covered,
lookups take the longest prefix, and a broken file is refused with file and line."""
import pytest

from kg.domain.issuers import parse_registry, registry
from kg.errors import ReadError

HEADER = "prefix,agency,place,level,region,division,source\n"
# every issuer code printed in the four samples (the 2 + 9 + 8 directives of data/000, 002 and 004:
# tests/extract/test_samples.py)
SAMPLE_CODES = ["保财社", "冀财教", "保财建", "邢政办发", "冀组明字", "邢市财建", "保财资环",
                "保财行", "保政发", "邢市财环资", "冀财建", "冀财预", "邢发改环资"]


def test_registry_covers_every_sample_code():
    missing = [c for c in SAMPLE_CODES if registry().lookup(c) is None]
    assert not missing


def test_longest_prefix_and_levels():
    r = registry()
    assert (r.lookup("保财社").agency, r.lookup("保财社").division) == ("保定市财政局", "社")
    assert r.lookup("保财新").agency == "保定市财政局"  # a division the file does not list
    assert r.lookup("冀组明字").level == "province"
    assert r.lookup("沧财社") is None  # unknown: not guessed from 沧


@pytest.mark.parametrize("row, message", [
    ("保财,,保定市,city,130600,,x\n", "without prefix or agency"),
    ("保财,保定市财政局,保定市,town,130600,,x\n", "level 'town'"),
    ("保财,保定市财政局,保定市,city,130600,,x\n保财,又一个,保定市,city,,,y\n", "given twice"),
])
def test_bad_rows_name_the_line(row, message):
    with pytest.raises(ReadError, match=message) as e:
        parse_registry(HEADER + row, "mine.csv")
    assert e.value.file == "mine.csv" and e.value.line >= 2


def test_missing_column():
    with pytest.raises(ReadError, match="missing columns"):
        parse_registry("prefix,agency\n保财,保定市财政局\n", "mine.csv")


def test_configured_registry_file(tmp_path, monkeypatch):
    f = tmp_path / "extra.csv"
    f.write_text(HEADER + "沧财,沧州市财政局,沧州市,city,130900,,test\n", encoding="utf-8")
    monkeypatch.setenv("KG_ISSUER_REGISTRY", str(f))
    assert registry().lookup("沧财社").agency == "沧州市财政局"
