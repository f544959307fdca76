"""Any supported file → (source, layout): the front end is picked by content, not by
the file's name — a zip with ``word/document.xml`` is a .docx, text with ``<html``
or ``<table`` near its start is HTML, other text is Tika plain text.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .docx import is_docx, parse_docx
from .html import looks_like_html, parse_html
from .layout import parse_layout
from .model import Layout
from .text import SourceText, read_bytes, source_text

SUFFIXES = (".txt", ".docx", ".html", ".htm")  # what a folder is searched for


def layout_of(data: bytes, file: str) -> tuple[SourceText, Layout]:
    """Read document bytes with the front end their content calls for."""
    if is_docx(data):
        layout = parse_docx(data, file)
        text = "\n".join(layout.lines)
        return SourceText(file, text, "docx", hashlib.sha256(data).hexdigest(), len(data)), layout
    source = source_text(data, file)
    if looks_like_html(source.text):
        return source, parse_html(source.text, file)
    return source, parse_layout(source.text, file)


def read_document(path: str | Path) -> tuple[SourceText, Layout]:
    """Read one file (text, .docx or HTML) into its source record and layout."""
    return layout_of(read_bytes(path), str(path))
