"""SPARQL 1.1 Protocol: parameters from the request, the dataset, execution with a
timeout and a row cap, and the response body.  No SPARQL text is built here: the
query is the client's, run as given."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import parse_qs

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions

from .. import query_gate
from ..format_registry import bare
from ..store import Store
from . import errors, formats
from .media import RDF_FORMATS, RESULT_FORMATS, known_format, negotiate
from .query_pages import Shown, run

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


@dataclass
class Limits:
    timeout: float = 30.0
    max_rows: int = 100000
    max_bytes: int = 1024 * 1024
    allow_service: bool = False
    max_query_kb: int = 512
    max_query_depth: int = 64

    def check(self, text: str, update: bool = False, shape_only: bool = False) -> None:
        """The gate (kg/query_gate.py) with these limits; HTTPProblem if refused.
        ``shape_only``: size and depth, no parse (cheap enough for the event loop)."""
        try:
            if shape_only:
                query_gate.check_shape(text, self.max_query_kb, self.max_query_depth)
            else:
                query_gate.check(text, update, self.allow_service, self.max_query_kb,
                                 self.max_query_depth)
        except query_gate.QueryRefused as e:
            raise errors.refused(e) from None


@dataclass
class SparqlRequest:
    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    using_graphs: list[str] = field(default_factory=list)  # an update's dataset (§2.2.3)
    using_named_graphs: list[str] = field(default_factory=list)
    fmt: str | None = None
    base: str | None = None  # relative IRIs resolve against the endpoint's URL


def _one(values: dict[str, list[str]], key: str) -> str | None:
    got = values.get(key, [])
    if len(got) > 1:
        raise errors.bad_request(f"parameter {key!r} given {len(got)} times; give it once")
    return got[0] if got else None


def _first_format(values: list[str]) -> str | None:
    """Clients such as SPARQLWrapper send format twice (``tsv`` and the media type):
    the first one we know wins."""
    known = [v for v in values if known_format(v) or "/" in v]
    return (known or values)[0] if values else None


def from_parts(method: str, url_params: dict[str, list[str]], content_type: str | None,
               body: bytes) -> SparqlRequest:
    """Read a protocol request from its method, URL parameters, type and body."""
    params = {k: list(v) for k, v in url_params.items()}
    media = bare(content_type or "")
    charset = re.search(r";\s*charset=([^;\s]+)", content_type or "", re.I)
    if (method == "POST" and charset
            and charset.group(1).strip('"').lower() not in ("utf-8", "utf8")):
        raise errors.unsupported_media_type(
            f"the body must be UTF-8, not {charset.group(1)} (SPARQL 1.1 Protocol)")
    direct = None
    if method == "POST":
        if media == FORM:
            for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        elif media == QUERY_TYPE:
            direct = ("query", body.decode("utf-8", "replace"))
        elif media == UPDATE_TYPE:
            direct = ("update", body.decode("utf-8", "replace"))
        else:
            raise errors.unsupported_media_type(
                f"POST needs {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}, not {media or 'no type'!r}")
    req = SparqlRequest(default_graphs=params.get("default-graph-uri", []),
                        named_graphs=params.get("named-graph-uri", []),
                        using_graphs=params.get("using-graph-uri", []),
                        using_named_graphs=params.get("using-named-graph-uri", []),
                        fmt=_first_format(params.get("format", []) + params.get("output", [])))
    req.query, req.update = _one(params, "query"), _one(params, "update")
    if direct:
        if req.query or req.update:
            raise errors.bad_request("the body is the query: do not also pass query= or update=")
        setattr(req, direct[0], direct[1])
    if method == "GET" and req.update is not None:
        raise errors.bad_request("updates must be sent by POST")
    if req.query is not None and req.update is not None:
        raise errors.bad_request("send either a query or an update, not both")
    return req


def graph_nodes(iris: list[str], parameter: str) -> list[NamedNode]:
    """The dataset parameters' IRIs as terms; 400 for one that is not an IRI."""
    try:
        return [NamedNode(i) for i in iris]
    except ValueError as e:
        raise errors.bad_request(f"{parameter} must be an absolute IRI: {e}") from None


def execute(store: Store, req: SparqlRequest, accept: str | None,
            limits: Limits, bindings: dict | None = None) -> tuple[str, bytes, dict[str, str]]:
    """Run a query (a named query's parameters bound as values); returns (media
    type, body, extra headers).  Raises HTTPProblem."""
    query = req.query or ""
    limits.check(query)
    deadline = time.monotonic() + limits.timeout
    kwargs: dict = {"base_iri": req.base} if req.base else {}
    kwargs["timeout"] = limits.timeout  # a server store's answer must come by then
    if req.default_graphs:  # else the union of the named graphs
        kwargs["default_graph"] = graph_nodes(req.default_graphs, "default-graph-uri")
    if req.named_graphs:
        kwargs["named_graphs"] = graph_nodes(req.named_graphs, "named-graph-uri")
    if bindings:
        kwargs["substitutions"] = bindings
    try:
        result = store.query(query, **kwargs)
    except TimeoutError:  # a server store's QueryTimeout (never a partial answer)
        raise errors.timed_out(limits.timeout) from None
    except SyntaxError as e:
        raise errors.bad_request(f"malformed query: {e}") from None
    except (OSError, ValueError, RuntimeError) as e:
        raise errors.bad_request(_failure("the query cannot be evaluated", e, query)) from None
    try:
        return _write(store, query, kwargs, result, accept, req.fmt, limits, deadline)
    finally:  # pyoxigraph results must be dropped on the thread that made them: an
        del result  # error's traceback would otherwise carry this one to the event loop


def _write(store: Store, query: str, kwargs: dict, result, accept: str | None,
           fmt: str | None, limits: Limits, deadline: float) -> tuple[str, bytes, dict[str, str]]:
    """The response body, written by pyoxigraph into a `formats.Sink` that keeps the
    deadline and the row cap; a result that may pass the cap is run again and
    written row by row, cut at ``max_rows`` and announced."""
    headers: dict[str, str] = {}
    offers = list(RESULT_FORMATS) if isinstance(result, (QueryBoolean, QuerySolutions)) \
        else list(RDF_FORMATS)
    try:
        media = negotiate(accept, offers, fmt)
        if isinstance(result, QueryBoolean):
            return media, formats.write_boolean(bool(result), media), headers
        timed_out = partial(errors.timed_out, limits.timeout)
        if isinstance(result, QuerySolutions):
            try:
                sink = formats.Sink(media, limits.max_rows, deadline, timed_out)
                result.serialize(sink, format=RESULT_FORMATS[media])  # type: ignore[arg-type]  # a Sink is a binary file
                return media, sink.body(), headers
            except formats.WriteRowByRow:
                pass
            result = None
            result = store.query(query, **kwargs)
            names = [v.value for v in result.variables]
            rows: list[list] = []
            for solution in result:
                if time.monotonic() > deadline:
                    raise errors.timed_out(limits.timeout)
                if len(rows) == limits.max_rows:
                    headers["X-Result-Truncated"] = f"true; max_rows={limits.max_rows}"
                    break
                rows.append([solution[n] for n in names])
            return media, formats.write_select(names, rows, media), headers
        sink = formats.Sink(None, limits.max_rows, deadline, timed_out)
        result.serialize(sink, format=RDF_FORMATS[media])
        return media, sink.body(), headers
    except TimeoutError:  # a server store's QueryTimeout on the second run
        raise errors.timed_out(limits.timeout) from None
    except (OSError, ValueError, RuntimeError) as e:
        raise errors.bad_request(_failure("the query failed while running", e, query)) from None
    finally:
        result = None


def _failure(what: str, e: Exception, query: str) -> str:
    """The engine's message, unless the query calls SERVICE: then the message may
    carry a remote server's answer, which is not ours to pass on."""
    if query_gate.network_operations(query):
        return f"{what}: it calls SERVICE, and a call failed (the remote answer is not shown)"
    return f"{what}: {e}"


def rows_for_page(store: Store, text: str, bindings: dict | None, first: int,
                  limits: Limits, base: str) -> Shown:
    """The query page's rows (kg/web/query_pages.py), after the whole gate: run where
    the query runs, so a text slow to parse is stopped at the deadline too."""
    limits.check(text)
    return run(store, text, bindings, first, limits.max_rows, base)
