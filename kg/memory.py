"""Giving the memory large queries free back to the system, where glibc would keep it.

pyoxigraph evaluates a whole-store query with hash tables of millions of rows (a
DISTINCT, a MINUS, a COUNT(DISTINCT) per graph).  When the query ends they are freed,
but glibc's malloc keeps the freed pages in its arenas (one per thread) for later
use: a process that has run several such queries holds close to the sum of their
peaks.  Validating 10,000 documents held 1.2 GB freed this way between queries
(docs/validation.md, "Measured")."""
from __future__ import annotations

import ctypes
import sys


def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


_TRIM = _malloc_trim()


def release() -> bool:
    """Return the free pages of every malloc arena to the system (glibc's
    ``malloc_trim``; tens of milliseconds after a large query).  False where the C
    library has no such call: then nothing is done.  (With another allocator
    preloaded the call exists and does nothing.)"""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
