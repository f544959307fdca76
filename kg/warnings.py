"""Every warning code a read can report, with its message and what it means: the one
list of them (``CATALOGUE``).  Extraction makes a warning only through
``Context.warn(line, code, **fields)``, which formats the code's ``message`` here, so
a code not listed cannot be emitted; docs/warnings.md is generated from this list.

A warning is a finding in the data, not an error: the document was still read (see
``kg.records.ReadWarning``).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WarningCode:
    code: str
    #: ``str.format`` template of the warning's message; its fields are given by the
    #: code that makes the warning
    message: str
    #: what happened and what a reader of the document may want to check
    description: str


CATALOGUE: dict[str, WarningCode] = {w.code: w for w in (
    WarningCode(
        "unplaced", "{reason}",
        "Text that was not read into any record: a row, cell or table the reader does not "
        "recognise (the reason and the first 60 characters), or a run of lines no record "
        "covers (the line numbers).  It is kept as an Unplaced record and lowers the "
        "document's coverage."),
    WarningCode(
        "short-row",
        "indicator row has {cells} cells, expected {width}; its first cell names a "
        "{level} indicator, so it is read from there",
        "An indicator row with fewer cells than the header; its first cell names an "
        "indicator level, so the row is aligned from that column."),
    WarningCode(
        "no-name", "project table has neither 项目名称 nor a title",
        "A project table printed no project name and no title above it; the project "
        "is kept without a name."),
    WarningCode(
        "no-indicators", "project table without an indicator header (一级指标…)",
        "A project table without the 一级指标/二级指标/三级指标 header: the project has "
        "no indicators."),
    WarningCode(
        "bad-amount", "{field} {printed!r} is not an amount",
        "An amount cell (budget, fiscal or other funds) whose text is not a number; the "
        "printed text is kept without a value."),
    WarningCode(
        "bad-plan-value", "{heading} {printed!r} is not a number",
        "A spending-plan cell under a month heading whose text is not a number; the "
        "milestone keeps the printed text without a value."),
    WarningCode(
        "plan-kind-unsure",
        "cannot tell amounts from percentages; took {kind} from the heading",
        "The spending plan's values do not show whether they are amounts or "
        "percentages; the kind was taken from the plan's heading."),
    WarningCode(
        "repeated-header", "a second indicator header in one table",
        "A project table prints the indicator header twice; the rows after the second "
        "are read as indicators of the same project."),
    WarningCode(
        "indicator-without-content",
        "indicator row prints levels only; not counted as an indicator",
        "An indicator row with level names but no indicator, description, target or "
        "basis; it is not counted as an indicator."),
    WarningCode(
        "damaged-text", "{problem}",
        "The line holds bytes that are not valid in the document's encoding (shown as "
        "the replacement character �); the text around them is still read."),
    WarningCode(
        "not-a-disclosure",
        "no project table and no section heading of a budget disclosure found; "
        "read as plain paragraphs",
        "The document has neither a project table nor a section heading of a budget "
        "disclosure: it may not be one."),
)}


def message(code: str, **fields: object) -> str:
    """The message of a warning ``code`` with its fields filled in.

    >>> message("bad-amount", field="budget", printed="见附件")
    "budget '见附件' is not an amount"
    """
    entry = CATALOGUE.get(code)
    if entry is None:
        raise KeyError(f"warning code {code!r} is not in kg.warnings.CATALOGUE")
    return entry.message.format(**fields)


def catalogue_markdown(note: str) -> str:
    """docs/warnings.md: every code with its message and meaning."""
    out = [note, "# Warning codes\n",
           "A read reports findings in the data as warnings (`kg extract` lists them; "
           "`kg extract --json` has them under `warnings`, see [reading](reading.md)). "
           "The document is still read.  In a message, `{…}` stands for a part filled in "
           "from the document.\n",
           "| code | message | meaning |", "|---|---|---|"]
    for w in CATALOGUE.values():
        cells = (f"`{w.code}`", w.message, w.description)
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out) + "\n"
