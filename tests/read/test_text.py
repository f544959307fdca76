"""Decoding: UTF-8, GB18030, and clear refusals that name file and line."""
from __future__ import annotations

import pytest

from kg.errors import ReadError
from kg.read.text import decode, read_source
from tests.support.samples import sample


def test_sample_is_utf8_and_hashed():
    src = read_source(sample("000"))
    assert src.encoding == "utf-8"
    assert len(src.sha256) == 64
    assert src.text.startswith(" 第一部分")


def test_gb18030_copy_of_a_sample_reads_the_same():
    text = sample("001").read_text(encoding="utf-8")
    decoded, enc = decode(text.encode("gb18030"), "001-gbk.txt")
    assert enc == "gb18030" and decoded == text


def test_utf16_with_bom():
    decoded, enc = decode("预算数".encode("utf-16"), "u16.txt")
    assert decoded == "预算数" and enc == "utf-16"


@pytest.mark.parametrize("data, message", [
    (b"", "file is empty"),
    (b"   \n\n", "file is empty"),
    (b"PK\x03\x04\x00\x00binary", "binary file"),
])
def test_refusals_name_the_file(data, message):
    with pytest.raises(ReadError) as e:
        decode(data, "bad.txt")
    assert e.value.file == "bad.txt" and message in str(e.value)
    assert e.value.line is not None


def test_wrong_encoding_is_refused_with_the_line():
    # Big5 bytes are not UTF-8 and decode to rare characters in GB18030
    text = "第一行\n預算績效目標說明與執行進度報告書" * 3
    data = text.encode("big5")
    with pytest.raises(ReadError) as e:
        decode(data, "big5.txt")
    assert "cannot detect the encoding" in str(e.value)
    assert e.value.line == 1
