"""The four sample documents in data/: where they are and their lines, for tests and
the corpus generator."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
PREFIXES = ("000", "001", "002", "004")


def sample(prefix: str) -> Path:
    """The sample document whose name starts with ``prefix`` (000, 001, 002, 004)."""
    (path,) = DATA.glob(prefix + "_*.txt")
    return path


def sample_lines(prefix: str) -> list[str]:
    """The sample's lines (line N of the file is ``sample_lines(prefix)[N - 1]``)."""
    return sample(prefix).read_text(encoding="utf-8").split("\n")
