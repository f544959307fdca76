"""A SPARQL 1.1 server as the store: the ``Store`` interface, as ``EmbeddedStore``.

Reads go to the server's query endpoint through SPARQLWrapper (POST, content
negotiation only); the answer's bytes are parsed by pyoxigraph, so ``query()`` returns
the same objects as the embedded store (``QuerySolutions``, ``QueryBoolean``,
``QueryTriples``) and the web layer and ``kg.results`` work unchanged.  Writes go
through the Graph Store HTTP Protocol (one named graph per document, replaced whole
by PUT) and SPARQL Update (the catalog entry, removals).

A build writes one document as (the embedded store does the same):

1. one update deletes the document's catalog entry (the commit marker);
2. the document's own graph is replaced whole: one GSP PUT;
3. quads in any other graph (a graph shared between documents) are merged into it
   with GSP POST, never replacing it;
4. one update writes the catalog entries, last.

A build killed between 1 and 4 leaves a graph without a marker, reloaded next time.

Server kinds, found from the ``Server`` header when the store is opened:

oxigraph (``oxigraph serve --union-default-graph``, PyPI ``oxigraph``)
    Query ``/query``, update ``/update``, Graph Store ``/store``.  A PUT is one
    transaction (atomic).  Started without ``--union-default-graph`` it would answer
    queries from its (empty) default graph: start it with the option.  The default
    graph is a bag, as in pyoxigraph: a triple held by two graphs matches twice.
    Timeouts: ``--timeout-s`` did not stop a running query in our test (0.5.13; a
    COUNT over a cross product ran on past its limit), and a SELECT is streamed after its
    ``200``, so only the client's deadline counts: the request is abandoned, a
    ``QueryTimeout`` is raised and nothing of the answer is used (a cut stream never
    parses as a shorter result).  Its ``HEAD`` on a missing graph sends a body with
    the 404, which breaks HTTP keep-alive: the adapter never sends HEAD.
virtuoso (Virtuoso 7, Debian ``virtuoso-opensource-7-bin``)
    Query and update ``/sparql`` (``/sparql-auth``, HTTP digest, with a user and
    password), Graph Store ``/sparql-graph-crud`` (``-auth``).  Without FROM a query
    sees every graph: the union default graph, also a bag.  With ``FROM NAMED``
    clauses some of the validator's queries give other answers than SPARQL's, so
    its capabilities say ``query_datasets=False``.  It includes Virtuoso's
    own system graphs (``virtrdf#``: 2479 triples of quad-map metadata, ``ldp#``,
    ``localuriqaserver``): the named queries never match them, ``named_graphs()``
    and ``triple_count()`` leave them out, but a client's ``?s ?p ?o`` sees them.
    (Virtuoso's pragma ``DEFINE input:default-graph-exclude`` would hide them, but
    with it any ``GRAPH <iri>`` pattern matches nothing: not used.)  ``ResultSetMaxRows``
    (virtuoso.ini) cuts any answer silently except for a header
    ``X-SPARQL-MaxRows``: a result that carries it is refused (``RowCapReached``),
    never passed on as complete; tests/store/virtuoso.ini sets the cap far above
    kg's own ``max_rows``.  ``MaxQueryExecutionTime`` makes a query fail with
    ``500 S1T00 … Transaction timed out``: a ``QueryTimeout``.  ASK answers plain
    ``true`` unless SPARQL JSON is asked for (the adapter always asks).  A GSP PUT
    runs as one HTTP request, one transaction: a failed PUT (e.g. a bad body) leaves
    the old graph (tested); whether a concurrent reader can see the graph between
    its clearing and its load was not tested.
    Empty named graphs do not exist (a graph is its triples).  Blank nodes come back
    as ``nodeID://b…`` (JSON; read as ``b…``, a label) or ``_:b…`` labels; every
    load makes fresh ones.
    N-Triples come back with ``\\u`` escapes: parsed, the text is the same.
generic (any other SPARQL 1.1 server)
    Update at the query URL unless ``remote_update_url`` is set; without
    ``remote_graph_store_url`` graphs are written with SPARQL Update (``DROP`` then
    ``INSERT DATA`` in one request) instead of the Graph Store Protocol.

Terms come back normalised alike by the three stores: numbers in canonical form
(``"30.00"^^xsd:decimal`` is read back as ``30``), language tags in lower case,
plain literals as ``xsd:string``; the integration tests compare every named query
row for row with the embedded store (tests/store/).

Named-query parameters (pyoxigraph substitutions) are sent as a ``VALUES`` block
at the start of the query's outermost group and of every subquery projecting them
(Virtuoso joins a language-tagged value from a subquery with an outer VALUES to
nothing), terms written by pyoxigraph, non-ASCII plain strings typed (``bind_values``,
``_term``): the same answers, user text never pasted into the query.

Named queries Virtuoso 7.2.5 answers differently (its compiler or its GROUP_CONCAT,
BOUND): docs/stores.md; tests/servers.py lists them.
"""
from __future__ import annotations

import dataclasses
import json
import re
import socket
import urllib.error
from collections import defaultdict
from urllib.parse import urlsplit

import httpx
from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
)

from .. import config
from ..map.terms import BP
from .base import QueryTimeout, StoreBase, StoreError, ntriples, report_graph_of
from .querytext import bind_values, query_form

RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
TURTLE = "text/turtle; charset=utf-8"
# Virtuoso's own graphs, present in every database: not ours, never listed
VIRTUOSO_SYSTEM = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#",
                   "http://localuriqaserver/", "urn:activitystreams-owl:map",
                   "http://www.w3.org/2002/07/owl#")


class RemoteError(StoreError, RuntimeError):
    """The server refused or failed a request (its answer is in the message)."""


class RowCapReached(RemoteError):
    """The server cut the answer at its own row cap: it is not complete."""


class RemoteStore(StoreBase):
    def __init__(self, url: str, read_only: bool = False, *, update_url: str | None = None,
                 graph_store_url: str | None = None, user: str | None = None,
                 password: str | None = None, timeout: float | None = None):
        self.url = self.path = url
        self.read_only = read_only
        self.user = user if user is not None else str(config.get("remote_user"))
        self.password = password if password is not None else str(config.get("remote_password"))
        self.timeout = float(timeout if timeout is not None else config.get("remote_timeout"))
        auth = httpx.DigestAuth(self.user, self.password) if self.user else None
        self._http = httpx.Client(timeout=self.timeout, auth=auth)
        self.kind = self._probe()
        if self.kind == "virtuoso":
            self.capabilities = dataclasses.replace(self.capabilities, query_datasets=False,
                                                    lang_string_datatype=False,
                                                    sub_select_tables=False)
        update_url = update_url or str(config.get("remote_update_url")) or None
        graph_store_url = graph_store_url or str(config.get("remote_graph_store_url")) or None
        self.update_url, self.graph_store_url = self._derive(update_url, graph_store_url)
        self.base_iri = self.recorded_base()

    # -- opening --------------------------------------------------------------

    def _probe(self) -> str:
        """Ask ``ASK {}``: a clear error if no SPARQL server answers; the server kind."""
        expected = ("expected a SPARQL 1.1 query endpoint such as http://host:7878/query "
                    "(oxigraph serve) or http://host:8890/sparql (Virtuoso)")
        try:
            body, headers = self._fetch(self._wrapper("ASK {}", RESULTS_JSON), self.url)
            parse_query_results(body, format=QueryResultsFormat.JSON)
        except (StoreError, SyntaxError, ValueError, OSError) as e:
            raise StoreError(f"no SPARQL server answers at {self.url}: {e}; {expected}") from None
        server = (headers.get("server") or "").lower()
        return "virtuoso" if "virtuoso" in server else "oxigraph" if "oxigraph" in server \
            else "generic"

    def _derive(self, update_url, graph_store_url) -> tuple[str, str | None]:
        """Update and Graph Store URLs from the query URL, per server kind, unless set."""
        parts = urlsplit(self.url)
        root = f"{parts.scheme}://{parts.netloc}"
        if self.kind == "oxigraph":
            base = self.url[: -len("/query")] if parts.path.endswith("/query") else root
            return update_url or base + "/update", graph_store_url or base + "/store"
        if self.kind == "virtuoso":
            auth = "-auth" if self.user else ""
            return (update_url or f"{root}/sparql{auth}",
                    graph_store_url or f"{root}/sparql-graph-crud{auth}")
        return update_url or self.url, graph_store_url

    # -- reading --------------------------------------------------------------

    def _wrapper(self, text: str, accept: str) -> SPARQLWrapper:
        w = SPARQLWrapper(self.url)
        w.setMethod(POST)
        w.setOnlyConneg(True)  # no format= parameters: Accept says it
        if self.user:
            w.setHTTPAuth("DIGEST")
            w.setCredentials(self.user, self.password)
        w.setQuery(text)
        w.clearCustomHttpHeader("Accept")
        w.addCustomHttpHeader("Accept", accept)
        return w

    def _fetch(self, w: SPARQLWrapper, what: str, timeout: float | None = None):
        """(body, headers) of a query; errors named with the server's own message."""
        w.setTimeout(max(1, round(timeout if timeout is not None else self.timeout)))
        try:
            res = w.query()
            body = res.response.read()
            headers = {k.lower(): v for k, v in res.response.headers.items()}
        except QueryBadFormed as e:
            raise SyntaxError(f"the server at {self.url} rejected the query: "
                              f"{_message(e)}") from None
        except EndPointInternalError as e:
            msg = _message(e)
            if "S1T00" in msg or "timed out" in msg.lower() or "timeout" in msg.lower():
                raise QueryTimeout(f"the server at {self.url} stopped the query: {msg}") from None
            raise RemoteError(f"the server at {self.url} failed: {msg}") from None
        except EndPointNotFound:
            raise StoreError(f"{self.url} answered 404 Not Found") from None
        except Unauthorized:
            raise StoreError(f"{self.url} wants a user and password (settings remote_user, "
                             "remote_password)") from None
        except SPARQLWrapperException as e:
            raise RemoteError(f"the server at {self.url} refused {what}: {_message(e)}") from None
        except TimeoutError as e:
            raise QueryTimeout(f"no answer from {self.url} within the time allowed ({e})") from None
        except urllib.error.HTTPError as e:
            raise RemoteError(f"{self.url} answered {e.code} {e.reason}") from None
        except urllib.error.URLError as e:
            if isinstance(e.reason, (socket.timeout, TimeoutError)):
                raise QueryTimeout(f"no answer from {self.url} within the time allowed") from None
            raise StoreError(f"cannot reach {self.url}: {e.reason}") from None
        except (OSError, ValueError) as e:  # a broken connection, a malformed URL
            raise StoreError(f"cannot read from {self.url}: {e}") from None
        if "x-sparql-maxrows" in headers:
            raise RowCapReached(
                f"the server at {self.url} cut the answer at its row cap "
                f"({headers['x-sparql-maxrows']} rows, Virtuoso's ResultSetMaxRows): the "
                "result is incomplete; raise the cap in virtuoso.ini or ask for fewer rows")
        return body, headers

    def query(self, sparql: str, substitutions: dict | None = None, *,
              default_graph: list | None = None, named_graphs: list | None = None,
              base_iri: str | None = None, timeout: float | None = None):
        """The server's answer as pyoxigraph objects, read whole (within ``timeout``
        seconds, else ``QueryTimeout``)."""
        text = bind_values(sparql, substitutions) if substitutions else sparql
        if base_iri:
            text = f"BASE {NamedNode(base_iri)}\n{text}"
        form = query_form(sparql)
        w = self._wrapper(text, RESULTS_JSON)
        w.queryType = form  # SPARQLWrapper's own guess reads keywords inside comments
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        if graph_form:
            w.clearCustomHttpHeader("Accept")
            w.addCustomHttpHeader("Accept", f"{NTRIPLES}, text/turtle;q=0.9")
        for g in default_graph or []:
            w.addDefaultGraph(g.value if isinstance(g, NamedNode) else str(g))
        for g in named_graphs or []:
            w.addNamedGraph(g.value if isinstance(g, NamedNode) else str(g))
        body, headers = self._fetch(w, "the query", timeout)
        try:
            if not graph_form:
                body = _canonical_terms(body)
                result = parse_query_results(body, format=QueryResultsFormat.JSON)
                if isinstance(result, QuerySolutions):
                    # rows are parsed as they are read: every row once here, so that a
                    # malformed one is this error, not a SyntaxError in the caller's
                    # loop (about 2 µs a row), then the answer again from its start
                    for _ in result:
                        pass
                    result = parse_query_results(body, format=QueryResultsFormat.JSON)
                return result
            triples = _parse_triples(body, headers.get("content-type", ""))
        except (SyntaxError, ValueError, AttributeError, TypeError) as e:  # its body, read
            kind = "N-Triples or Turtle" if graph_form else "SPARQL JSON"
            raise RemoteError(f"the server at {self.url} sent an answer that is not "
                              f"{kind}: {e}") from None
        memory = Store()  # pyoxigraph's QueryTriples, as the embedded store gives
        memory.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
        return memory.query("CONSTRUCT WHERE { ?s ?p ?o }")

    def _rows(self, sparql: str) -> list:
        return list(self.query(sparql))

    def catalog_value(self, catalog: str, graph: str, prop: str) -> str | None:
        for row in self._rows(f"SELECT ?o WHERE {{ GRAPH {NamedNode(catalog)} "
                              f"{{ {NamedNode(graph)} {NamedNode(prop)} ?o }} }} LIMIT 1"):
            return row["o"].value
        return None

    def named_graphs(self) -> list[str]:
        if self.kind == "oxigraph":  # lists empty graphs too
            rows = self._rows("SELECT ?g WHERE { GRAPH ?g { } }")
        else:
            # GROUP BY, not DISTINCT: Virtuoso answers it far sooner
            rows = self._rows("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                              "GROUP BY ?g")
        graphs = {r["g"].value for r in rows if isinstance(r["g"], NamedNode)}
        return sorted(g for g in graphs if not g.startswith(VIRTUOSO_SYSTEM))

    def has_graph(self, graph: str | None) -> bool:
        if graph is None:
            return True
        pattern = "{ }" if self.kind == "oxigraph" else "{ ?s ?p ?o }"
        return bool(self.query(f"ASK {{ GRAPH {NamedNode(graph)} {pattern} }}"))

    def graph_triples(self, graph: str | None) -> list[Triple]:
        if self.graph_store_url is None:
            where = f"GRAPH {NamedNode(graph)} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
            return [Triple(r["s"], r["p"], r["o"])
                    for r in self._rows(f"SELECT ?s ?p ?o WHERE {{ {where} }}")]
        r = self._gsp("GET", graph, accept=f"{NTRIPLES}, text/turtle;q=0.9")
        if r.status_code == 404:
            return []
        return _parse_triples(r.content, r.headers.get("content-type", ""))

    def quads(self, graph: str | None = None) -> list[Quad]:
        """Every quad of a named graph, or of every named graph (``None``)."""
        out = []
        for g in [graph] if graph else self.named_graphs():
            name = NamedNode(g)
            out += [Quad(t.subject, t.predicate, t.object, name) for t in self.graph_triples(g)]
        return out

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph=None):
        terms = [(t, "?" + v) for t, v in ((subject, "s"), (predicate, "p"), (object, "o"))]
        s, p, o = (str(t) if t is not None else v for t, v in terms)
        g = str(graph) if isinstance(graph, NamedNode) else "?g"
        rows = self._rows(f"SELECT * WHERE {{ GRAPH {g} {{ {s} {p} {o} }} }}")
        return [Quad(subject or r["s"], predicate or r["p"], object or r["o"],
                     graph if isinstance(graph, NamedNode) else r["g"]) for r in rows]

    def triple_count(self) -> int:
        graphs = " ".join(str(NamedNode(g)) for g in self.named_graphs())
        if not graphs:
            return 0
        rows = self._rows("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                          f"VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }} }}")
        return int(rows[0]["n"].value)

    # -- writing --------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.url} is open read-only")

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """A SPARQL Update, one request (``SyntaxError`` if the server rejects it)."""
        self._writable()
        text = f"BASE {NamedNode(base_iri)}\n{sparql}" if base_iri else sparql
        r = self._send("POST", self.update_url, data={"update": text})
        if r.status_code == 400:
            raise SyntaxError(f"the server at {self.update_url} rejected the update: "
                              f"{_excerpt(r.text)}")
        self._check(r, self.update_url, "the update")

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            return self._http.request(method, url, **kwargs)
        except httpx.TimeoutException:
            raise QueryTimeout(f"no answer from {url} within {self.timeout:g} s "
                               "(setting remote_timeout)") from None
        except httpx.HTTPError as e:
            raise StoreError(f"cannot reach {url}: {e}") from None

    def _check(self, r: httpx.Response, url: str, what: str) -> None:
        if r.status_code >= 400:
            raise RemoteError(f"the server at {url} refused {what}: {r.status_code} "
                              f"{_excerpt(r.text)}")

    def _gsp(self, method: str, graph: str | None, body: bytes | None = None,
             accept: str | None = None) -> httpx.Response:
        params = {"graph": graph} if graph else {"default": ""}
        headers = {"content-type": TURTLE} if body is not None else {}
        if accept:
            headers["accept"] = accept
        url = self.graph_store_url
        assert url is not None, "without a Graph Store, graphs are written with SPARQL Update"
        r = self._send(method, url, params=params, content=body, headers=headers)
        if r.status_code != 404:
            self._check(r, url, f"{method} of graph <{graph or 'default'}>")
        return r

    def _write_graph(self, method: str, graph: str | None, triples: list[Triple]) -> None:
        """PUT (replace) or POST (merge) a graph: N-Triples, which is Turtle."""
        self._writable()
        data = ntriples(triples) if triples else ""
        if self.graph_store_url is not None:
            if method == "PUT" and not triples:
                self.drop_graph(graph)
                return
            if triples or method == "PUT":
                self._gsp(method, graph, data.encode("utf-8"))
            return
        g = f"GRAPH {NamedNode(graph)} " if graph else ""
        drop = "" if method != "PUT" else \
            f"DROP SILENT GRAPH {NamedNode(graph)} ;\n" if graph else "CLEAR SILENT DEFAULT ;\n"
        self.update(drop + f"INSERT DATA {{ {g}{{\n{data}}} }}")

    def put_graph(self, graph: str | None, triples: list[Triple]) -> None:
        self._write_graph("PUT", graph, triples)

    def add_to_graph(self, graph: str | None, triples: list[Triple]) -> None:
        self._write_graph("POST", graph, triples)

    def drop_graph(self, graph: str | None) -> None:
        self.update(f"DROP SILENT GRAPH {NamedNode(graph)}" if graph else "CLEAR SILENT DEFAULT")

    def remove_graph(self, graph: str, catalog: str) -> None:
        g = NamedNode(graph)
        report = NamedNode(report_graph_of(graph))  # the validation report goes with it
        self.update(f"DROP SILENT GRAPH {g} ;\n"
                    + (f"DROP SILENT GRAPH {report} ;\n" if report != g else "")
                    + f"DELETE WHERE {{ GRAPH {NamedNode(catalog)} {{ {g} ?p ?o }} }}")

    def remove_graphs(self, graphs: list[str], catalog: str) -> None:
        """Remove documents' graphs and their catalog entries (one request each)."""
        for g in graphs:
            self.remove_graph(g, catalog)

    def stored_documents(self, catalog: str) -> list[str]:
        """The document graphs with a catalog entry (complete ones), sorted."""
        rows = self._rows(f"SELECT ?g WHERE {{ GRAPH {NamedNode(catalog)} {{ ?g a "
                          f"{BP.DocumentGraph} }} }}")
        return sorted(r["g"].value for r in rows)

    def prune_shared(self, shared: str, ignore_graphs: tuple[str, ...] = ()) -> int:
        """Remove from ``shared`` the subjects no other graph mentions (``ignore_graphs``
        do not count) and nothing inside ``shared`` points to, in one update; what only
        a removed subject pointed to goes on the next build.  Returns the quads removed."""
        sg = NamedNode(shared)
        skip = ", ".join(str(NamedNode(g)) for g in (shared, *ignore_graphs))
        where = (f"GRAPH {sg} {{ ?s ?p ?o }} "
                 f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?x ?y }} FILTER(?g NOT IN ({skip})) }} "
                 f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?y ?x ?s }} FILTER(?g NOT IN ({skip})) }} "
                 f"FILTER NOT EXISTS {{ GRAPH {sg} {{ ?t ?q ?s }} }}")
        rows = self._rows(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        n = int(rows[0]["n"].value) if rows else 0
        if n:
            self.update(f"DELETE {{ GRAPH {sg} {{ ?s ?p ?o }} }} WHERE {{ {where} }}")
        return n

    def replace_graphs(self, items: list[tuple[str, list[Quad] | bytes, list[Quad]]],
                       catalog: str) -> None:
        """Each document's graph replaced whole (PUT), quads in other graphs merged
        (POST), every catalog entry written last (see the module's docstring)."""
        self._writable()
        cat = NamedNode(catalog)
        if not items:
            return
        reports = sorted({report_graph_of(g) for g, _, _ in items} - {g for g, _, _ in items})
        self.update(" ;\n".join([f"DELETE WHERE {{ GRAPH {cat} {{ {NamedNode(g)} ?p ?o }} }}"
                                  for g, _, _ in items]
                                 + [f"DROP SILENT GRAPH {NamedNode(r)}" for r in reports]))
        shared: dict[str | None, list[Triple]] = defaultdict(list)
        for graph, quads, _ in items:
            if isinstance(quads, bytes):
                quads = list(parse(quads, format=RdfFormat.N_QUADS))
            own: list[Triple] = []
            for q in quads:
                name = q.graph_name.value if isinstance(q.graph_name, NamedNode) else None
                (own if name == graph else shared[name]).append(q.triple)
            self.put_graph(graph, own)
        for name, triples in shared.items():
            self.add_to_graph(name, triples)
        markers = [q for _, _, m in items for q in m]
        if markers:
            by_graph: dict[str, list[Triple]] = defaultdict(list)
            for q in markers:
                by_graph[str(q.graph_name)].append(q.triple)
            self.update(" ;\n".join(
                f"INSERT DATA {{ GRAPH {g} {{\n"
                f"{ntriples(ts)}}} }}"
                for g, ts in by_graph.items()))

    def flush(self) -> None:
        """Nothing to do: the server made each write durable when it answered."""

    def optimize(self) -> None:
        """Nothing to do: the server manages its own storage."""


_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


_NOT_IN_LABEL = re.compile(r"[^A-Za-z0-9_]")


def _canonical_terms(body: bytes) -> bytes:
    """What Virtuoso writes its own way, as the other stores do, rewritten only when
    the answer holds one: a typed boolean as "0"/"1" (valid lexical forms, the same
    values) becomes "false"/"true"; a blank node named ``nodeID://b10000``, which is
    no blank node label and which the results parser refuses, becomes ``b10000``
    (characters a label cannot hold become ``_``: Virtuoso's names differ in digits)."""
    if _BOOLEAN.encode() not in body and b'"bnode"' not in body:
        return body
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("datatype") == _BOOLEAN and term.get("value") in ("0", "1"):
                term["value"] = "true" if term["value"] == "1" else "false"
            elif term.get("type") == "bnode":
                term["value"] = _NOT_IN_LABEL.sub(
                    "_", term["value"].removeprefix("nodeID://")) or "b"
    return json.dumps(data).encode("utf-8")


def _parse_triples(body: bytes, content_type: str) -> list[Triple]:
    fmt = RdfFormat.TURTLE if "turtle" in content_type else RdfFormat.N_TRIPLES
    return [q.triple if isinstance(q, Quad) else q for q in parse(body, format=fmt)]


def _message(e: Exception) -> str:
    """SPARQLWrapper's message with the server's answer decoded."""
    text = str(e)
    m = re.search(r"Response:\s*\nb(['\"])(.*)\1\s*$", text, re.S)
    if m:
        try:
            raw = m.group(2).encode("latin-1", "backslashreplace").decode("unicode_escape")
            text = raw.encode("latin-1", "replace").decode("utf-8", "replace")
        except (UnicodeError, ValueError):
            text = m.group(2)
    return _excerpt(text)


def _excerpt(text: str, n: int = 500) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"


__all__ = ["RemoteStore", "RemoteError", "RowCapReached", "bind_values", "Literal"]
