"""The issuer registry: which agency a document-number code belongs to.

The registry is data, not code: ``registry/issuers.csv`` (reviewed, one row per
agency code prefix, with the evidence for it), extendable by pointing the
``issuer_registry`` setting at another file.  A code belongs to the row with the
longest prefix of it (保财社 → 保财社, else 保财), so a division row can refine an
agency row.  A code no row covers stays unknown: it is kept on the directive and
listed, never guessed from its first character.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import config
from ..errors import ReadError
from ..ontology import REGISTRY_DIR

__all__ = ["Issuer", "Registry", "parse_registry", "registry", "LEVELS", "REGISTRY_FILE"]

REGISTRY_FILE = REGISTRY_DIR / "issuers.csv"
#: Administrative levels an agency can have, highest first.
LEVELS = ("central", "province", "city", "county", "district")
_COLUMNS = ("prefix", "agency", "place", "level", "region", "division", "source")


@dataclass(frozen=True)
class Issuer:
    """One registry row: a code prefix and the agency it names."""

    prefix: str
    agency: str
    place: str
    level: str
    region: str | None
    division: str | None
    source: str


@dataclass(frozen=True)
class Registry:
    rows: tuple[Issuer, ...]
    digest: str  # of the file's bytes: mapping output depends on it
    # indexes made from the rows
    _by_prefix: dict[str, Issuer] = field(init=False, repr=False, compare=False)
    _by_agency: dict[str, Issuer] = field(init=False, repr=False, compare=False)
    _prefixes: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_prefix", {r.prefix: r for r in self.rows})
        heads: dict[str, Issuer] = {}  # agency name → its row with the shortest prefix
        for r in sorted(self.rows, key=lambda r: len(r.prefix)):
            heads.setdefault(r.agency, r)
        object.__setattr__(self, "_by_agency", heads)
        object.__setattr__(self, "_prefixes",
                           frozenset(r.prefix for r in self.rows if len(r.prefix) >= 2))

    def lookup(self, code: str) -> Issuer | None:
        """The row with the longest prefix of ``code``.

        >>> r = parse_registry("prefix,agency,place,level,region,division,source\\n"
        ...                    "保财,保定市财政局,保定市,city,130600,,x\\n")
        >>> r.lookup("保财社").agency, r.lookup("冀财教")
        ('保定市财政局', None)
        """
        for size in range(len(code), 0, -1):
            row = self._by_prefix.get(code[:size])
            if row is not None:
                return row
        return None

    def by_agency(self, name: str) -> Issuer | None:
        """The agency row (the shortest prefix) for a printed agency name."""
        return self._by_agency.get(name)

    def head(self, row: Issuer) -> Issuer:
        """The agency row of a row of this registry (itself, or a shorter prefix)."""
        return self._by_agency[row.agency]

    @property
    def prefixes(self) -> frozenset[str]:
        """Prefixes of two characters or more: what the document-number reader may
        take as the start of an issuer code (one character alone is too weak)."""
        return self._prefixes


def parse_registry(text: str, source: str = "issuers.csv") -> Registry:
    """Read the registry CSV; a bad row is an error naming the file and line."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ReadError(source, f"missing columns {missing}", line=1,
                        expected="the header " + ",".join(_COLUMNS))
    rows, seen = [], set()
    for line, rec in enumerate(reader, 2):
        prefix = (rec["prefix"] or "").strip()
        if not prefix or not (rec["agency"] or "").strip():
            raise ReadError(source, "a row without prefix or agency", line=line,
                            expected="prefix and agency filled in")
        if rec["level"] not in LEVELS:
            raise ReadError(source, f"level {rec['level']!r}", line=line,
                            expected="one of " + ", ".join(LEVELS))
        if prefix in seen:
            raise ReadError(source, f"prefix {prefix} given twice", line=line,
                            expected="one row per prefix")
        seen.add(prefix)
        rows.append(Issuer(prefix, rec["agency"].strip(), rec["place"].strip(), rec["level"],
                           rec["region"].strip() or None, rec["division"].strip() or None,
                           rec["source"].strip()))
    return Registry(tuple(rows), hashlib.sha256(text.encode("utf-8")).hexdigest()[:12])


@lru_cache(maxsize=4)
def _load(path: str) -> Registry:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise ReadError(path, f"cannot read the issuer registry: {e.strerror}",
                        expected="a readable CSV file") from None
    return parse_registry(text, path)


def registry() -> Registry:
    """The configured registry (read once per process)."""
    return _load(str(config.get("issuer_registry") or REGISTRY_FILE))
