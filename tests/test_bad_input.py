"""Bad input: a clear message naming file and line; the rest of the batch is read;
exit status non-zero only when nothing could be read."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from kg import cli
from kg.pipeline import Failure, extract_file, extract_files
from kg.records import Disclosure
from tests.support.samples import sample


@pytest.fixture
def batch(tmp_path):
    good = tmp_path / "a_good.txt"
    shutil.copy(sample("000"), good)
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.txt").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    (tmp_path / "d_big5.txt").write_bytes("項目績效目標說明\n預算執行進度".encode("big5") * 5)
    gbk = tmp_path / "e_gbk.txt"
    gbk.write_bytes(sample("002").read_text(encoding="utf-8").encode("gb18030"))
    return tmp_path


def test_batch_keeps_going_and_names_each_failure(batch):
    results = extract_files([batch])
    by_name = {os.path.basename(r.file): r for r in results}
    assert isinstance(by_name["a_good.txt"], Disclosure)
    assert isinstance(by_name["e_gbk.txt"], Disclosure)
    # data/002 (tests/extract/test_samples.py)
    assert by_name["e_gbk.txt"].summary()["indicator_rows"] == 205
    for name, words in [("b_empty.txt", "file is empty"), ("c_binary.txt", "binary file"),
                        ("d_big5.txt", "cannot detect the encoding")]:
        f = by_name[name]
        assert isinstance(f, Failure) and words in str(f.error)
        assert f.error.file.endswith(name) and f.error.line is not None


def test_exit_status_zero_when_something_was_read(batch, capsys):
    assert cli.main(["extract", str(batch)]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "b_empty.txt:1: file is empty" in err


def test_exit_status_two_when_nothing_could_be_read(batch, capsys):
    assert cli.main(["extract", str(batch / "b_empty.txt"), str(batch / "c_binary.txt")]) == 2
    assert cli.main(["extract", str(batch / "missing.txt")]) == 2
    assert "cannot open" in capsys.readouterr().err


def test_truncated_document_keeps_what_was_printed(tmp_path):
    lines = sample("000").read_text(encoding="utf-8").split("\n")
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(lines[:1995]), encoding="utf-8")  # mid-row in project 22
    d = extract_file(cut)
    assert d.summary()["tables"] == 22
    assert [len(p.indicators) for p in d.projects[:21]] == [6] * 20 + [6]
    last = d.projects[-1]
    assert last.name.startswith("提前下达2026年新能源汽车产业发展") and len(last.indicators) == 1
    assert any(w.code == "short-row" and w.line == 1993 for w in d.warnings)


def test_table_cut_mid_row_in_a_batch(tmp_path):
    text = sample("004").read_text(encoding="utf-8").split("\n")
    # lines 162-164: 3 cells
    (tmp_path / "cut.txt").write_text("\n".join(text[:164]), encoding="utf-8")
    d = extract_file(tmp_path / "cut.txt")
    p = d.projects[0]
    assert p.indicators[-1].level3 == "价格制定调整（起）" and p.indicators[-1].target.printed == ""
    assert any(w.code == "short-row" for w in d.warnings)


def test_oversized_file_is_refused_with_its_size(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # 50 MB, written sparse so the test stays fast
        f.truncate(50 * 1024 * 1024)
    results = extract_files([big, sample("001")])
    assert isinstance(results[0], Failure) and "50.0 MB" in str(results[0].error)
    assert "KG_MAX_FILE_MB" in str(results[0].error)
    assert isinstance(results[1], Disclosure)


def test_extract_json_equals_the_library_result(capsys):
    files = [str(sample("001")), str(sample("004"))]
    assert cli.main(["extract", *files, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(cli.extract_json(extract_files(files)),
                                            ensure_ascii=False))
    d = printed["disclosures"][0]
    assert d["schema_version"] == 2 and d["summary"]["tables"] == 28
