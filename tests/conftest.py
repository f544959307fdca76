"""Shared fixtures: the four sample documents in data/, read once per session, and
built once per session into each kind of store (embedded, and real SPARQL servers on
loopback: tests/servers.py)."""
from __future__ import annotations

import contextlib

import pytest

from tests.support.samples import DATA, PREFIXES, sample


@pytest.fixture(scope="session")
def disclosures():
    """The samples extracted once: {'000': Disclosure, ...}."""
    from kg.pipeline import extract_file
    return {p: extract_file(sample(p)) for p in PREFIXES}


@pytest.fixture(scope="session")
def embedded_built_store(tmp_path_factory):
    """data/ built into a real on-disk store once per session: (store, folder, report)."""
    import gc

    from kg.pipeline import build
    from kg.store import open_store
    folder = tmp_path_factory.mktemp("store")
    store = open_store(folder)
    report = build([DATA], store)
    store.flush()
    # closed before anything reads it: a read-only open (the CLI's, in this process)
    # beside a writable one can miss files the writer's compaction removed
    del store
    gc.collect()
    return open_store(folder, read_only=True), folder, report


@pytest.fixture(scope="session")
def built_store(embedded_built_store):
    """The embedded store; test_lineage.py and test_store_queries.py run over every
    kind of store (their own ``built_store``, parametrised by tests/servers.py STORE_KINDS)."""
    return embedded_built_store


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    """``server_url(kind)``: the query URL of a server of that kind, started on first
    use and stopped at the end of the session; a kind whose program is missing is
    skipped with the reason."""
    from tests.servers import SERVERS, ServerUnavailable
    started: dict = {}
    with contextlib.ExitStack() as stack:
        def url(kind: str) -> str:
            if kind not in started:
                try:
                    started[kind] = stack.enter_context(
                        SERVERS[kind](tmp_path_factory.mktemp(kind)))
                except ServerUnavailable as e:
                    started[kind] = e
            if isinstance(started[kind], ServerUnavailable):
                pytest.skip(str(started[kind]))
            return started[kind]
        yield url


@pytest.fixture(scope="session")
def built_stores(embedded_built_store, server_url):
    """``built_stores(kind)``: data/ built into that kind of store once per session,
    through ``kg.pipeline.build``: (store, folder or URL, report)."""
    from kg.pipeline import build
    from kg.store import open_store
    cache = {"embedded": embedded_built_store}

    def get(kind: str):
        if kind not in cache:
            url = server_url(kind)
            store = open_store(url)
            cache[kind] = (store, url, build([DATA], store))
        return cache[kind]
    return get


@pytest.fixture(scope="session")
def sample_validation(built_store, shapes_graph, ontology_graph):
    """The four sample graphs validated once: {'000': GraphReport, ...}."""
    from kg.validate import validate_store
    store, _, _ = built_store
    return {r.graph.rsplit("/", 1)[1][:3]: r
            for r in validate_store(store, shapes=shapes_graph, ontology=ontology_graph)}


def on_a_server(nodeid: str) -> bool:
    """The test starts or uses a SPARQL server: tests/store/test_servers.py, and any test
    with a server kind among its parameters (``test_x[virtuoso]``, ``[oxigraph-…]``)."""
    from tests.servers import SERVERS
    ids = nodeid.rpartition("::")[2].partition("[")[2].removesuffix("]")
    params = ids.split("-") if ids else []
    return "/test_servers.py::" in nodeid or any(p in SERVERS for p in params)


def pytest_collection_modifyitems(items):
    """A test that runs a named query Virtuoso cannot answer like the embedded store
    (tests/servers.py, VIRTUOSO_DIVERGES) is an expected failure on Virtuoso only.
    Every test on a server is slow (a server started and data/ built into it)."""
    from tests.servers import VIRTUOSO_DIVERGES, VIRTUOSO_DIVERGING_TESTS
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if on_a_server(item.nodeid):
            item.add_marker(pytest.mark.slow)
        query = VIRTUOSO_DIVERGING_TESTS.get(getattr(item, "originalname", ""))
        if query and params.get("built_store") == "virtuoso":
            item.add_marker(pytest.mark.xfail(reason=f"{query}: {VIRTUOSO_DIVERGES[query]}",
                                              strict=True))


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` with every test on a server in one group, so that one worker
    starts Oxigraph and Virtuoso and builds data/ into them, not each worker.  The
    group is decided here from the test's id: the ``xdist_group`` mark is lost on
    pytest 9.2 (pytest-xdist issue 1386, its group suffix no longer reaches the
    scheduler)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ServersTogether(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "servers" if on_a_server(nodeid) else super()._split_scope(nodeid)

    return ServersTogether(config, log)


def unchanged_by_the_tests(graph):
    """Yield ``graph``, then check no test changed it: nothing removed, nothing added
    but W3C vocabulary (pySHACL adds ``owl:Class rdfs:subClassOf rdfs:Class`` and the
    like to a shapes graph it is given, the same triples every time)."""
    parsed = set(graph)
    yield graph
    added = set(graph) - parsed
    assert parsed <= set(graph) and all(str(s).startswith("http://www.w3.org/")
                                        for s, _, _ in added), "a test changed a shared graph"


@pytest.fixture(scope="session")
def shapes_graph():
    """shapes/ parsed once per session, an rdflib graph no test may change (a test
    that needs other shapes adds them to a copy)."""
    from kg.validate import load_shapes
    yield from unchanged_by_the_tests(load_shapes())


@pytest.fixture(scope="session")
def ontology_graph():
    """The ontology parsed once per session (shared like ``shapes_graph``)."""
    from kg.validate import load_ontology
    yield from unchanged_by_the_tests(load_ontology())
