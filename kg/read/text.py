"""Bytes → text.  Chinese publishers use UTF-8 (with or without BOM), UTF-16, or
GB18030/GBK; we detect which, and refuse what is not text with a message that names
the file, rather than guessing and producing mojibake.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..errors import ReadError

_HAN = re.compile(r"[\u4e00-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceText:
    """A decoded document: its text, the encoding we found, and the hash of its bytes."""
    file: str
    text: str
    encoding: str
    sha256: str
    size: int
    problems: tuple[tuple[int, str], ...] = ()  # (line, what) found while decoding


def _first_bad_line(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _gb_plausible(text: str) -> bool:
    """GB18030 decodes almost any byte string; real Chinese text is mostly GB2312."""
    han = _HAN.findall(text)
    if not han:
        return not _CONTROL.search(text)
    common = sum(1 for ch in han if _is_gb2312(ch))
    return common / len(han) >= float(config.get("min_gb2312_share"))


def _is_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


MAX_BAD_SHARE = 0.001  # a few stray bytes in a UTF-8 document: replaced and reported


def decode(data: bytes, file: str = "<bytes>") -> tuple[str, str]:
    """Decode document bytes; returns (text, encoding).

    >>> decode("预算".encode("gb18030"))
    ('预算', 'gb18030')
    >>> decode(b"\\xef\\xbb\\xbf\\xe9\\xa2\\x84")
    ('预', 'utf-8-sig')
    """
    if not data.strip():
        raise ReadError(file, "file is empty", line=1,
                        expected="a budget disclosure as text")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise ReadError(file, f"invalid {enc} byte at offset {e.start}",
                                line=_first_bad_line(data, e.start)) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ReadError(file, "binary file (NUL byte found); give the plain text "
                        "(Tika text/plain), the .docx itself or an HTML page",
                        line=_first_bad_line(data, nul), expected="UTF-8 or GB18030 text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _gb_plausible(text) and not _CONTROL.search(text):
        return text, "gb18030"
    replaced = data.decode("utf-8", errors="replace")
    if replaced.count("\ufffd") <= max(1, len(data) * MAX_BAD_SHARE):
        return replaced, "utf-8 (damaged)"
    raise ReadError(file, "cannot detect the encoding: not UTF-8 (bad byte at offset "
                    f"{utf8_error.start}) and not plausible GB18030 text",
                    line=_first_bad_line(data, utf8_error.start),
                    expected="UTF-8, UTF-16 with BOM, or GB18030/GBK")


_KINDS = ((stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def read_bytes(path: str | Path) -> bytes:
    """One regular file's bytes, refusing files over the configured size.

    Opened without blocking and checked to be a regular file before reading, so a
    pipe or a device is refused instead of hanging or filling memory; the limit is
    enforced on the bytes read, not only on the size the file system reports."""
    path = Path(path)
    limit = int(config.get("max_file_mb")) * 1024 * 1024
    if path.is_dir():
        raise ReadError(str(path), _folder_problem(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise ReadError(str(path), f"cannot open: {e.strerror}") from None
    with open(fd, "rb") as f:
        said = os.fstat(fd)
        mode = said.st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise ReadError(str(path), f"is {kind}, not a regular file",
                            expected="a text, .docx or HTML file")
        # the size said first (no read), then the bytes read (a file still growing)
        data = b"" if said.st_size > limit else f.read(limit + 1)
        size = max(os.fstat(fd).st_size, len(data))
    if size > limit:
        raise ReadError(str(path), f"file is {size / 1048576:.1f} MB, over the "
                        f"{limit // 1048576} MB limit (setting KG_MAX_FILE_MB)")
    return data


def source_text(data: bytes, file: str) -> SourceText:
    """Decode a text document's bytes (see ``decode``) and note damaged lines."""
    text, encoding = decode(data, file)
    problems = tuple((i, "bytes that are not UTF-8, shown as \ufffd")
                     for i, line in enumerate(text.split("\n"), 1) if "\ufffd" in line) \
        if encoding == "utf-8 (damaged)" else ()
    return SourceText(file, text, encoding, hashlib.sha256(data).hexdigest(), len(data), problems)


def read_source(path: str | Path) -> SourceText:
    """Read and decode one text file (see ``read_bytes`` and ``source_text``)."""
    return source_text(read_bytes(path), str(path))


def _folder_problem(path: Path) -> str:
    """Why a folder was given where a file was expected: one that cannot be listed,
    or a link back to a folder already read (a symlink loop)."""
    try:
        os.listdir(path)
    except OSError as e:
        return f"cannot read this folder: {e.strerror}"
    if path.is_symlink():
        return "symbolic link to a folder already read (a loop); skipped"
    return "is a folder, not a file"


def content_hash(path: str | Path) -> str | None:
    """The sha256 of a file's bytes (the hash ``read_source`` gives), without decoding
    it; None for anything ``read_bytes`` refuses, so reading it reports why."""
    try:
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except ReadError:
        return None
