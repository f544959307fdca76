"""What was not understood is said: coverage and unplaced lines per document in
`kg build`'s summary and JSON, and a threshold that fails a half-read document."""
from __future__ import annotations

import json
from pathlib import Path

from kg.pipeline import build
from kg.store import open_store
from tests.support.cli import kg
from tests.support.samples import sample

# an appendix table in a layout the reader does not know: every line of it unplaced
UNKNOWN = "附表：\n" + "".join(f"\t奇怪的表{i}\n\t甲{i}\n\n\t乙{i}\n\t丙{i}\n\n"
                               for i in range(400))


def half_read(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "000_full.txt").write_bytes(sample("000").read_bytes())
    text = sample("004").read_text(encoding="utf-8")
    (folder / "004_half.txt").write_text(text + UNKNOWN, encoding="utf-8")
    return folder


def test_build_reports_coverage_and_fails_under_the_threshold(tmp_path):
    folder = half_read(tmp_path / "in")
    report = build([folder], open_store(tmp_path / "s1"), workers=1)
    by_name = {Path(d.file).name: d for d in report.documents}
    full, half = by_name["000_full.txt"], by_name["004_half.txt"]
    assert full.status == half.status == "loaded"
    assert full.coverage >= 0.99 and half.coverage < 0.8 and half.unplaced_lines >= 1600
    report = build([folder], open_store(tmp_path / "s2"), workers=1, min_coverage=0.95)
    by_name = {Path(d.file).name: d for d in report.documents}
    assert by_name["000_full.txt"].status == "loaded"
    half = by_name["004_half.txt"]
    assert half.status == "failed" and "under the threshold 95.00%" in half.error
    assert "004_half.txt" in half.error and "unplaced" in half.error


def test_cli_summary_json_and_flag(tmp_path):
    folder = half_read(tmp_path / "in")
    r = kg("build", folder, "--store", tmp_path / "s", "-q")
    assert r.returncode == 0, r.stderr
    (line,) = [x for x in r.stdout.splitlines() if x.startswith("coverage:")]
    assert line.startswith("coverage: 1 of 2 documents read in full; lowest: ")
    assert "004_half.txt" in line and "lines unplaced" in line
    r = kg("build", folder, "--store", tmp_path / "t", "--json", "--min-coverage", "0.95")
    docs = {Path(d["file"]).name: d for d in json.loads(r.stdout)["documents"]}
    assert docs["004_half.txt"]["status"] == "failed" and docs["004_half.txt"]["coverage"] < 0.8
    assert (docs["000_full.txt"]["status"] == "loaded"
            and docs["000_full.txt"]["unplaced_lines"] == 0)
