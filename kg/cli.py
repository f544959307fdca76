"""Command line: thin wrappers over library verbs.  Only this module prints or exits.

Exit codes: 0 ok, 1 findings (validation; `kg lineage` of an unknown directive),
2 bad input (nothing could be read, a bad setting, no store) or bad usage,
3 some documents of a build failed (the others were loaded).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__, config, iris
from .errors import KgError
from .pipeline import Failure, build, extract_files
from .records import Disclosure, to_json

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_SOME_FAILED = 0, 1, 2, 3
DISK_FULL_HINT = ("the disk is full: free space, then run `kg build` again; it finishes the "
                  "half-written batch and loads the documents that failed")
STORE_HELP = "store folder, or a SPARQL server's query URL http://… (setting `store`)"


def extract_json(results: list[Disclosure | Failure]) -> dict:
    """The ``kg extract --json`` document: disclosures and failures, schema-versioned."""
    return {
        "disclosures": [to_json(r) for r in results if isinstance(r, Disclosure)],
        "failures": [to_json(r.error) for r in results if isinstance(r, Failure)],
    }


def _print_text(d: Disclosure, out) -> None:
    s = d.summary()
    pub = d.publisher
    print(f"== {d.file}", file=out)
    print(f"   publisher: {pub.code or '-' if pub else '-'} {pub.name if pub else '-'}"
          f"   year: {d.year or '-'}   kind: {d.kind}   encoding: {d.encoding}", file=out)
    for p in d.projects:
        budget = p.budget.value if p.budget and p.budget.value is not None else "-"
        where = "locations" if d.locations else "lines"  # .docx/HTML: paragraphs in order
        print(f"   [{p.index:>2}] {where} {p.span.first}-{p.span.last}  {p.code or '-':<22} "
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
                at = f" ({r.where(w.line)})" if r.locations else ""
                print(f"warning: {w}{at}", file=sys.stderr)
            if not args.verbose and r.warnings:
                print(f"{r.file}: {len(r.warnings)} warnings (-v lists them)", file=sys.stderr)
    ok = any(isinstance(r, Disclosure) for r in results)
    return EXIT_OK if ok else EXIT_BAD_INPUT


def _store(args, read_only: bool = False):
    """The store named by --store or the setting: a folder or a SPARQL server's URL."""
    from .store import is_remote, open_store
    path = args.store or str(config.get("store"))
    if read_only and not is_remote(path) and not Path(path).exists():
        raise KgError(f"no store at {path}: run `kg build` first")
    return open_store(path, read_only=read_only)


def cmd_build(args) -> int:
    from .coverage import coverage_lines
    from .iris import NS
    from .progress import Progress, summary_lines
    store = _store(args)
    show = None if args.quiet or args.json else Progress(sys.stderr)
    try:
        report = build(args.paths, store, base=args.base, force=args.force, prune=args.prune,
                       progress=show, min_coverage=args.min_coverage)
    except OSError as e:  # the store's own writes (flush, compaction) after loading
        raise KgError(f"writing the store failed: {e}"
                      + (f"; {DISK_FULL_HINT}" if "No space left" in str(e) else "")) from None
    finally:
        if show is not None:
            show.close()
    if args.dump:
        for f in store.dump(args.dump, NS):
            print(f"wrote {f}", file=sys.stderr)
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        if args.verbose:
            for d in report.documents:
                if d.status != "failed":
                    extra = (f"  {d.triples} triples, {d.warnings} warnings"
                             if d.status == "loaded" else "")
                    extra += f", coverage {d.coverage:.2%} ({d.unplaced_lines} lines unplaced)" \
                        if d.coverage is not None else ""
                    print(f"{d.status:<9} {d.file}{extra}")
            for g in report.removed:
                print(f"removed   {g}")
        for line in coverage_lines(report) + summary_lines(report):
            print(line)
    if not report.documents:
        print("kg build: no input files found", file=sys.stderr)
        return EXIT_BAD_INPUT
    return _build_exit(report)


def _build_exit(report) -> int:
    """0 if every document loaded or was unchanged, 3 if some failed, 2 if all did."""
    failed = [d for d in report.documents if d.status == "failed"]
    if any("No space left" in (d.error or "") for d in failed):
        print(f"kg build: {DISK_FULL_HINT}", file=sys.stderr)
    if not failed:
        return EXIT_OK
    return EXIT_SOME_FAILED if len(failed) < len(report.documents) else EXIT_BAD_INPUT


def cmd_query(args) -> int:
    from .results import render, run
    params = {}
    for p in args.param:
        key, sep, value = p.partition("=")
        if not sep:
            raise KgError(f"--param takes KEY=VALUE, got {p!r}")
        params[key] = value
    result = run(_store(args, read_only=True), args.query, params)
    out = render(result, args.format)
    if args.format == "csv" and args.bom:
        out = b"\xef\xbb\xbf" + out
    sys.stdout.buffer.write(out)
    return EXIT_OK


def cmd_lineage(args) -> int:
    from .lineage import lineage, render_tree
    lin = lineage(_store(args, read_only=True), args.number)
    if args.json:
        json.dump(to_json(lin), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(render_tree(lin))
    return EXIT_OK if lin.directive else EXIT_FINDINGS


def cmd_validate(args) -> int:
    from . import validate as v
    from .progress import Progress
    store = _store(args, read_only=not args.load)
    show = None if args.quiet else Progress(label="kg validate")
    reports, summary = v.validate_command(store, args.engine, args.load, args.all, show)
    if show:
        show.close()
    if args.format == "json":
        findings = [f.__dict__ for r in reports for f in r.findings]
        json.dump({"summary": summary, "findings": findings}, sys.stdout,
                  ensure_ascii=False, indent=1)
        print()
    elif args.format == "turtle":
        for r in reports:
            sys.stdout.write(r.report.serialize(format="turtle"))
    else:
        for r in reports:
            for f in r.findings:
                print(f)
        for line in v.summary_lines(summary):
            print(line)
    return EXIT_OK if summary["conforms"] else EXIT_FINDINGS


def cmd_serve(args) -> int:
    import uvicorn

    from .web.app import create_app
    path = args.store or str(config.get("store"))
    writable = bool(config.get("write_token"))
    if writable and args.workers > 1:
        raise KgError("writable mode (setting write_token) needs --workers 1: only one process "
                      "can open the store for writing")
    # opened (and checked) before saying "serving": a store that cannot be served
    # is refused with the reason, never announced first
    store = _writable_store(args, path) if writable else _store(args, read_only=True)
    if not writable:
        _refuse_empty(store, path)
    if store.base_iri and config.is_set("base") and iris.base() != iris.base(store.base_iri):
        print(f"note: the store at {path} was built under {store.base_iri}; serving that "
              f"base, not the setting's {iris.base()}", file=sys.stderr)
    print(f"serving {path} at http://{args.host}:{args.port}/sparql "
          f"({args.workers} worker{'s' if args.workers > 1 else ''}"
          f"{', writable with the write token' if writable else ', read-only'})", file=sys.stderr)
    print(f"open http://{args.host}:{args.port}/ in a browser; try searching "
          "保财社〔2025〕87号", file=sys.stderr)
    # uvicorn takes uvloop and httptools when they are installed (dependencies: see
    # docs/performance.md); no access log (its fields are computed per request even
    # when the log level hides it)
    options = {"host": args.host, "port": args.port, "log_level": "warning", "access_log": False}
    if args.workers > 1:  # processes, each with the store open read-only
        import os
        os.environ["KG_STORE"] = path
        del store
        uvicorn.run("kg.web.app:factory", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(store), **options)
    return EXIT_OK


def _writable_store(args, path: str):
    from .store import is_remote
    if not is_remote(path) and not Path(path).exists():  # serving never creates a store
        raise KgError(f"no store at {path}: run `kg build` first")
    return _store(args)


def _refuse_empty(store, path: str) -> None:
    """A read-only store with no documents would serve zeros and errors: refuse it."""
    from . import iris
    if not store.stored_documents(iris.catalog_graph(store.base_iri)):
        raise KgError(f"the store at {path} holds no documents: run `kg build data/ "
                      f"--store {path}` first")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kg", description="Read Chinese budget performance disclosures into a knowledge "
        "graph, then query, validate and serve it.  Start with: kg build data/ && kg serve",
        epilog="exit codes: 0 ok; 1 findings (validate, lineage of an unknown directive); "
               "2 bad input, bad setting or no store; 3 some documents of a build failed")
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="read disclosures into typed records")
    e.add_argument("files", nargs="+", help="documents (Tika text, .docx, HTML) or folders of them")
    e.add_argument("--json", action="store_true", help="print the records as JSON")
    e.add_argument("-v", "--verbose", action="store_true", help="list every warning")
    e.set_defaults(func=cmd_extract)

    b = sub.add_parser("build", help="read, map and load documents into the store")
    b.add_argument("paths", nargs="+", help="documents (Tika text, .docx, HTML) or folders of them")
    b.add_argument("--store", help=STORE_HELP)
    b.add_argument("--base", help="base IRI of minted resources (setting `base`)")
    b.add_argument("--dump", metavar="DIR", help="also write dump.nq and dump.ttl into DIR")
    b.add_argument("--force", action="store_true", help="reload unchanged documents too")
    b.add_argument("--prune", action="store_true",
                   help="remove stored documents that are not among these inputs")
    b.add_argument("--json", action="store_true", help="print the build report as JSON")
    b.add_argument("--min-coverage", type=float, metavar="SHARE",
                   help="fail a document with less than this share (0-1) of its lines read "
                        "(setting `min_coverage`)")
    b.add_argument("-v", "--verbose", action="store_true",
                   help="list every document (loaded, unchanged, removed), not only failures")
    b.add_argument("-q", "--quiet", action="store_true",
                   help="no progress on stderr (the summary is still printed)")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="run SPARQL or a named query on the store")
    q.add_argument("query", help="SPARQL text, a .rq file, or a named query from queries/")
    q.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="bind a named query's parameter (repeatable)")
    q.add_argument("--format", default="table", choices=["csv", "tsv", "json", "xml", "table"])
    q.add_argument("--bom", action="store_true", help="start CSV with a UTF-8 BOM (Excel)")
    q.add_argument("--store", help=STORE_HELP)
    q.set_defaults(func=cmd_query)

    li = sub.add_parser("lineage", help="print what cites one directive: projects, units, "
                                        "indicators, amounts and source lines")
    li.add_argument("number", help="a document number in any spelling, e.g. 保财社【2025】87号")
    li.add_argument("--json", action="store_true", help="the tree as JSON")
    li.add_argument("--store", help=STORE_HELP)
    li.set_defaults(func=cmd_lineage)

    v = sub.add_parser("validate", help="check each document's graph against shapes/")
    v.add_argument("--store", help=STORE_HELP)
    v.add_argument("--format", default="text", choices=["text", "turtle", "json"])
    v.add_argument("--load", action="store_true",
                   help="also keep the reports in the store, one graph per document")
    v.add_argument("--engine", default="sparql", choices=["sparql", "pyshacl"],
                   help="sparql: the shapes compiled to SPARQL, run in the store (fast); "
                        "pyshacl: pySHACL per document (the reference)")
    v.add_argument("--all", action="store_true",
                   help="with --load: validate every document, not only those changed "
                        "since their stored report")
    v.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("serve", help="serve the store over HTTP (SPARQL 1.1 Protocol)")
    s.add_argument("--store", help=STORE_HELP)
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=1,
                   help="server processes (each opens the store read-only)")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        config.check()
        return args.func(args)
    except KgError as e:
        print(f"kg {args.command}: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `kg lineage … | head`: the reader left, nothing to report
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
