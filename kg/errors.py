"""One error hierarchy.  Every error that comes from reading a file names the file
and, where known, the line, so a user can open the document at the right place.

Findings in the data (a cell we could not place, an odd total) are *not* errors:
they are records in a report (see ``kg.records.ReadWarning``).  Errors are for input we
cannot read at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any


class KgError(Exception):
    """Base class of every error the library raises on purpose."""


@dataclass(eq=False, repr=False)
class ReadError(KgError):
    """A file could not be read: missing, empty, binary, undecodable, too large.
    Serialised like the records, by ``kg.records.to_json``; pickled whole, so it can
    come back from a worker process.

    >>> str(ReadError("a.txt", "file is empty", line=1))
    'a.txt:1: file is empty'
    >>> import pickle
    >>> pickle.loads(pickle.dumps(ReadError("a.txt", "bad byte", line=3, expected="UTF-8")))
    ReadError('a.txt:3: bad byte (expected UTF-8)')
    """

    file: str
    line: int | None = field(default=None, kw_only=True)
    message: str
    expected: str | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        self.file = str(self.file)
        super().__init__(str(self))

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Exception pickles its args (the message alone), which __init__ cannot take
        return (partial(ReadError, line=self.line, expected=self.expected),
                (self.file, self.message))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        tail = f" (expected {self.expected})" if self.expected else ""
        return f"{where}: {self.message}{tail}"


class ConfigError(KgError):
    """A setting has a value we cannot use."""
