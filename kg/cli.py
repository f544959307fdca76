"""Command line: thin wrappers over library verbs.  Only this module prints or exits.

Exit codes: 0 ok, 1 findings (reserved for validation), 2 bad input (nothing could
be read) or bad usage.
"""
from __future__ import annotations

import argparse
import json
import sys

from . import __version__
from .pipeline import Failure, extract_files
from .records import Disclosure, to_json

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def extract_json(results: list[Disclosure | Failure]) -> dict:
    """The ``kg extract --json`` document: disclosures and failures, schema-versioned."""
    return {
        "disclosures": [to_json(r) for r in results if isinstance(r, Disclosure)],
        "failures": [r.error.to_dict() for r in results if isinstance(r, Failure)],
    }


def _print_text(d: Disclosure, out) -> None:
    s = d.summary()
    pub = d.publisher
    print(f"== {d.file}", file=out)
    print(f"   publisher: {pub.code or '-'} {pub.name if pub else '-'}   year: {d.year or '-'}"
          f"   kind: {d.kind}   encoding: {d.encoding}", file=out)
    for p in d.projects:
        budget = p.budget.value if p.budget and p.budget.value is not None else "-"
        print(f"   [{p.index:>2}] lines {p.span.first}-{p.span.last}  {p.code or '-':<22} "
              f"{budget!s:>9} {p.amount_unit}  {len(p.indicators):>2} indicators  {p.name}",
              file=out)
    print(f"   statements {len(d.statements)}, figures {len(d.figures)}, unit goals "
          f"{len(d.unit_goals)}, unit table rows {len(d.table_rows)}", file=out)
    if d.document_numbers:
        print("   document numbers: " + " ".join(d.document_numbers), file=out)
    print("   summary: " + ", ".join(f"{k} {v}" for k, v in s.items() if k != "file"), file=out)


def cmd_extract(args) -> int:
    results = extract_files(args.files)
    if not results:
        print("kg extract: no input files found", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        json.dump(extract_json(results), sys.stdout, ensure_ascii=False, indent=1)
        print()
    for r in results:
        if isinstance(r, Failure):
            print(f"error: {r.error}", file=sys.stderr)
        else:
            if not args.json:
                _print_text(r, sys.stdout)
            for w in r.warnings if args.verbose else []:
                print(f"warning: {w}", file=sys.stderr)
            if not args.verbose and r.warnings:
                print(f"{r.file}: {len(r.warnings)} warnings (-v lists them)", file=sys.stderr)
    ok = any(isinstance(r, Disclosure) for r in results)
    return EXIT_OK if ok else EXIT_BAD_INPUT


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="read disclosures into typed records")
    e.add_argument("files", nargs="+", help="text files or folders of *.txt")
    e.add_argument("--json", action="store_true", help="print the records as JSON")
    e.add_argument("-v", "--verbose", action="store_true", help="list every warning")
    e.set_defaults(func=cmd_extract)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
