"""The typed records a disclosure is read into.

Every record carries ``span`` (file, first and last line of what it was read from)
and ``spans``: the span of each field, so any value can be checked against the line
it was printed on.  Printed text is kept next to every normalised value.

Matching keys and registry look-ups (``name_key``, ``shared_key``, a citation's
``policy_key`` and agencies) are filled in at the end of extraction
(``kg.extract.keys``), so the mapper only projects records to quads; they are derived
from the printed values and the issuer registry, and are not part of the JSON form.

``to_json`` gives the stable JSON form documented in docs/reading.md (schema version in
``SCHEMA_VERSION``) of every record and value, the one way they are serialised: spans
become ``[first, last]`` (the file is named once, on the disclosure), Decimals become
strings so no amount is rounded by a JSON float, and a field keeps the JSON key it was
published under (``field(metadata={"json": key})``) when its Python name differs.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .domain.amounts import Amount
from .domain.basis import Basis
from .domain.docnumbers import DocumentNumber
from .domain.targets import Target
from .read.model import place

SCHEMA_VERSION = 2
#: field metadata of a value derived for matching: left out of the JSON form
DERIVED: dict[str, Any] = {"json": None}


@dataclass(frozen=True)
class Span:
    file: str
    first: int
    last: int


@dataclass
class UnitRef:
    """A budget unit as printed at the head of a table: ``303001保定…局（本级）``."""
    printed: str
    code: str | None
    name: str
    own_level: bool  # 本级: the unit itself, not its subordinate units
    span: Span


@dataclass
class Statement:
    """A narrative paragraph of a unit-level section (duties, income, goals…)."""
    section: str
    text: str
    number: str | None
    span: Span


@dataclass
class Figure:
    """An amount stated in narrative text, e.g. ``基本支出1339.21万元``."""
    section: str
    label: str
    concept: str | None
    amount: Amount
    sentence: str
    span: Span


@dataclass
class UnitGoal:
    kind: str  # overall | item | safeguard
    number: str | None
    text: str
    span: Span
    #: normalised text shared by goals printed alike in any document (None: too short)
    shared_key: str | None = field(default=None, metadata=DERIVED)


@dataclass
class TableRow:
    """A row of a unit-level table (organisation, 三公, procurement, assets): the
    printed cells by column name, amounts parsed where the column holds money."""
    table: str
    values: dict[str, str]
    amounts: dict[str, Amount]
    role: str  # header | data | total
    span: Span
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass
class Goal:
    number: str | None
    text: str
    span: Span
    #: normalised text shared by goals printed alike in any document (None: too short)
    shared_key: str | None = field(default=None, metadata=DERIVED)


@dataclass
class Milestone:
    label: str  # as printed: 3月底
    month: int | None
    printed: str
    value: Decimal | None
    span: Span


@dataclass
class SpendingPlan:
    kind: str  # percent | amount | empty
    evidence: str
    heading: str
    milestones: list[Milestone]
    span: Span


@dataclass
class Indicator:
    row: int
    level1: str
    level1_printed: str
    level1_concept: str | None
    level2: str
    level2_printed: str
    level2_concept: str | None
    level3: str
    description: str
    target: Target
    basis: Basis
    classified: bool
    span: Span
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass
class Citation:
    """An official document cited somewhere in a record (title, name, basis…): by
    its number, by its title, or both printed side by side."""
    number: DocumentNumber | None
    where: str  # title | name | purpose | goal | basis | description | level3 | target | a section
    span: Span
    title: str | None = None  # as printed (without 《》)
    title_truncated: bool = False  # cut off at the cell edge: …的通
    issuers: tuple[str, ...] = ()  # agencies printed before the title
    #: the title naming the cited policy (a cut-off title without a number is completed
    #: from a fuller one in the same document), and its matching key; None when the
    #: citation names no policy
    policy_title: str | None = field(default=None, metadata=DERIVED)
    policy_key: str | None = field(default=None, metadata=DERIVED)
    #: the issuer registry's agency (its prefix) for the number's issuer code, and the
    #: division the code names
    agency: str | None = field(default=None, metadata=DERIVED)
    division: str | None = field(default=None, metadata=DERIVED)
    #: per printed issuer, the registry's agency of that name when it is another
    #: agency than ``agency`` (None otherwise)
    issuer_agencies: tuple[str | None, ...] = field(default=(), metadata=DERIVED)


@dataclass
class ProjectTable:
    index: int
    title: str | None
    unit: UnitRef | None
    amount_unit: str
    code: str | None
    code_printed: str | None
    name: str | None
    budget: Amount | None
    fiscal: Amount | None
    other: Amount | None
    purpose: str | None
    plan: SpendingPlan | None
    goals: list[Goal]
    indicators: list[Indicator]
    expenditure_kind: str  # basic | project
    funding_level: str | None
    funds_year: int | None
    carried_over: bool
    carried_over_evidence: str | None
    classified: bool
    citations: list[Citation]
    span: Span
    spans: dict[str, Span] = field(default_factory=dict)
    period: str | None = None  # 项目支出实施期 as printed, where a template has it
    #: normalised project name: the same project across years, the same fund type
    #: across units (None: no name, or nothing left once normalised)
    name_key: str | None = field(default=None, metadata=DERIVED)


@dataclass
class Unplaced:
    text: str
    reason: str
    span: Span


@dataclass
class ReadWarning:
    """Something in the data worth a reader's look (a line not placed, an odd cell),
    not an error: the document was still read.  ``code`` is one of ``kg.warnings``."""
    file: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code}: {self.message}"


@dataclass
class Disclosure:
    file: str
    sha256: str
    encoding: str
    title: str | None
    kind: str  # unit_budget | department_budget | performance_targets
    year: int | None
    publisher: UnitRef | None
    region: str | None
    statements: list[Statement]
    figures: list[Figure]
    unit_goals: list[UnitGoal]
    table_rows: list[TableRow]
    projects: list[ProjectTable]
    unplaced: list[Unplaced]
    warnings: list[ReadWarning]
    content_lines: int
    placed_lines: int

    @property
    def document_numbers(self) -> list[str]:
        """Distinct canonical document numbers cited anywhere in the disclosure."""
        seen: dict[str, None] = {}
        for c in self.all_citations():
            if c.number is not None:
                seen.setdefault(c.number.canonical, None)
        return list(seen)

    def all_citations(self) -> list[Citation]:
        return [c for p in self.projects for c in p.citations] + self.text_citations

    text_citations: list[Citation] = field(default_factory=list)
    #: where each location number of a span is, for formats without lines (.docx:
    #: "table 3, row 2, cell 1, paragraph 1"); empty for text, whose spans are lines
    locations: list[str] = field(default_factory=list)

    def where(self, n: int) -> str:
        """A span's location number as a reader finds it in the source file."""
        return place(self.locations, n)

    def summary(self) -> dict:
        return {
            "file": self.file,
            "tables": len(self.projects),
            "projects": sum(p.expenditure_kind == "project" for p in self.projects),
            "indicator_rows": sum(len(p.indicators) for p in self.projects),
            "document_numbers": len(self.document_numbers),
            "unplaced_lines": self.content_lines - self.placed_lines,
            "coverage": round(self.placed_lines / self.content_lines, 4)
            if self.content_lines else 1.0,
            "warnings": len(self.warnings),
        }


def to_json(obj: Any) -> Any:
    """JSON-ready form of a record tree (spans as [first, last], Decimal as str).

    >>> to_json(Span("a.txt", 3, 4))
    [3, 4]
    >>> to_json({"v": Decimal("24.31")})
    {'v': '24.31'}
    >>> to_json(Amount("10.40", Decimal("10.40"), "万元"))
    {'printed': '10.40', 'value': '10.40', 'unit': '万元'}
    """
    if isinstance(obj, Span):
        return [obj.first, obj.last]
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, Disclosure):
        d = _fields_json(obj)
        d["schema_version"] = SCHEMA_VERSION
        d["document_numbers"] = obj.document_numbers
        d["summary"] = obj.summary()
        return d
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _fields_json(obj)
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    return obj


def _fields_json(obj: Any) -> dict[str, Any]:
    """A dataclass's fields by JSON key, in declaration order (``DERIVED`` ones left out)."""
    return {f.metadata.get("json", f.name): to_json(getattr(obj, f.name))
            for f in dataclasses.fields(obj) if f.metadata.get("json", f.name) is not None}
