"""One error hierarchy.  Every error that comes from reading a file names the file
and, where known, the line, so a user can open the document at the right place.

Findings in the data (a cell we could not place, an odd total) are *not* errors:
they are records in a report (see ``kg.records.Warning``).  Errors are for input we
cannot read at all.
"""
from __future__ import annotations


class KgError(Exception):
    """Base class of every error the library raises on purpose."""


class ReadError(KgError):
    """A file could not be read: missing, empty, binary, undecodable, too large.

    >>> str(ReadError("a.txt", "file is empty", line=1))
    'a.txt:1: file is empty'
    """

    def __init__(self, file: str, message: str, line: int | None = None,
                 expected: str | None = None):
        self.file = str(file)
        self.line = line
        self.message = message
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        tail = f" (expected {self.expected})" if self.expected else ""
        return f"{where}: {self.message}{tail}"

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message,
                "expected": self.expected}


class ConfigError(KgError):
    """A setting has a value we cannot use."""
