"""The compiled engine on many documents: some of a store's documents validated in
chunks of graphs give the findings of one pass over the whole store (and pySHACL's);
every graph screen finds each document graph where its checks fire; the checks of
some documents read those documents' graphs, not the whole store."""
from __future__ import annotations

import dataclasses

import pytest
import rdflib
from rdflib.namespace import RDFS, SH

from kg.iris import BP
from kg.pipeline import build
from kg.store import open_store
from kg.validate import document_graphs, load_ontology, load_shapes, validate_documents
from kg.validation import engine
from kg.validation.compile import compile_shapes
from kg.validation.engine import query_for, restricted, validate_graphs, view_of
from tests.support.corpus import generate
from tests.support.screens import JOINED, focus_pairs
from tests.test_validate_engines import broken_store, rules  # noqa: F401  (fixtures used here)


def as_dicts(found: dict) -> dict:
    return {g: [f.__dict__ for f in fs] for g, fs in found.items()}


def queries_sent(store, monkeypatch) -> list[str]:
    """The text of every query ``store`` is asked from now on, in order (the real
    store answers them)."""
    sent: list[str] = []
    query = store.query

    def recorded(text, *args, **kwargs):
        sent.append(text)
        return query(text, *args, **kwargs)
    monkeypatch.setattr(store, "query", recorded)
    return sent


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale")
    paths = generate(4, folder / "in", seed=5)
    store = open_store(folder / "st")
    build(paths, store)
    return store


@pytest.mark.slow
def test_some_documents_in_chunks_give_the_findings_of_the_whole_store(generated_store):
    store, shapes, ontology = generated_store, load_shapes(), load_ontology()
    graphs = document_graphs(store)
    assert len(graphs) == 4
    whole, _ = validate_graphs(store, graphs, shapes, ontology)
    some = graphs[1:]
    chunked, _ = validate_graphs(store, some, shapes, ontology, chunk=1)
    assert list(chunked) == some
    assert as_dicts(chunked) == {g: as_dicts(whole)[g] for g in some}
    assert sum(map(len, whole.values())) > 0  # findings to compare, not empty lists
    reference = validate_documents(store, some, engine="pyshacl", shapes=shapes,
                                   ontology=ontology).reports
    assert as_dicts(chunked) == {r.graph: [f.__dict__ for f in r.findings] for r in reference}


@pytest.mark.slow
def test_every_graph_screen_finds_the_graphs_where_its_checks_fire(broken_store):  # noqa: F811
    """On graphs broken so that every constraint fires, a check's own query on every
    focus node finds rows only in graphs its graph screen found."""
    store, ontology = broken_store, load_ontology()
    checks, _ = compile_shapes(load_shapes(), ontology, view_of(store, ontology))
    graphs = document_graphs(store)
    screened = [c for c in checks if c.graph_screen is not None]
    assert {c.component for c in screened} >= {"MinCountConstraintComponent",
                                                "MaxCountConstraintComponent",
                                                "DatatypeConstraintComponent",
                                                "InConstraintComponent"}
    fired = 0
    for check in screened:
        found = {r["g"].value for r in store.query(restricted(check.graph_screen, graphs))}
        hits = {r["g"].value for r in store.query(query_for(check, graphs))}
        assert hits <= found, (check.shape, check.component, check.path)
        fired += bool(hits)
    assert fired == len(screened)  # each screened check fires on the broken graphs


def test_the_minimum_count_of_some_documents_reads_their_graphs_alone(generated_store):
    """sh:minCount's MINUS is evaluated on its own: restricted to the graphs validated,
    it does not read every document graph of the store for each of them."""
    store, ontology = generated_store, load_ontology()
    checks, _ = compile_shapes(load_shapes(), ontology, view_of(store, ontology))
    one = document_graphs(store)[0]
    own = [c for c in checks if c.component == "MinCountConstraintComponent"
           and "MINUS" in c.query and "GRAPH <" not in c.query.split("MINUS", 1)[1]]
    assert own
    for check in own:
        assert f"<{one}>" in query_for(check, [one]).split("MINUS", 1)[1], check.path


@pytest.mark.slow
def test_a_graph_screen_finding_more_graphs_than_a_chunk_runs_once_on_the_whole_store(
        broken_store, rules, monkeypatch):  # noqa: F811
    """Where a graph screen of a whole-store run finds more graphs than a chunk holds,
    its checks run once on the whole store: the same findings, and no query sent twice
    (the broken store's two graphs share findings: screens find both)."""
    store, (shapes, ontology) = broken_store, rules
    graphs = document_graphs(store)
    whole, _ = validate_graphs(store, graphs, shapes, ontology)
    monkeypatch.setattr(engine, "GRAPH_CHUNK", 1)  # every screen finding both graphs
    sent = queries_sent(store, monkeypatch)
    again, _ = validate_graphs(store, graphs, shapes, ontology)
    assert as_dicts(again) == as_dicts(whole) and sum(map(len, whole.values())) > 0
    repeated = {t for t in sent if sent.count(t) > 1}
    assert not repeated, sorted(repeated)[0][:300]


def test_each_min_count_has_a_graph_screen_of_its_own_path(broken_store, rules):  # noqa: F811
    """A shape's `sh:minCount 1` paths are screened one query each: the
    distinct-count sets of all of a source span's paths at once held 1.5 GB at
    10,000 documents (docs/validation.md).  Each screen names one path of the shape."""
    shapes, ontology = rules
    checks, _ = compile_shapes(shapes, ontology, view_of(broken_store, ontology))
    spans = [c for c in checks if c.shape.endswith("SourceSpan")
             and c.component.endswith("MinCountConstraintComponent")]
    paths = {c.path for c in spans}
    assert len(paths) >= 4  # oa:hasSource, oa:hasSelector, bp:firstLine, bp:lastLine
    screens = {c.path: c.graph_screen for c in spans}
    assert None not in screens.values()
    for path, screen in screens.items():
        assert [p for p in paths if f"<{p}>" in screen] == [path], screen


def test_shapes_requiring_one_path_share_its_graph_screen(broken_store, rules):  # noqa: F811
    """Every shape with a `sh:minCount 1` on the same path is screened by one scan of
    it: six classes require prov:wasDerivedFrom, and six queries each scanned the
    store's largest predicate.  The shared screen names every target class."""
    shapes, ontology = rules
    checks, _ = compile_shapes(shapes, ontology, view_of(broken_store, ontology))
    derived = [c for c in checks if c.component.endswith("MinCountConstraintComponent")
               and c.path == "http://www.w3.org/ns/prov#wasDerivedFrom"]
    assert len({c.shape for c in derived}) >= 2
    assert len({c.graph_screen for c in derived}) == 1
    screen = derived[0].graph_screen
    for c in derived:
        for cls in shapes.objects(rdflib.URIRef(c.shape), SH.targetClass):
            assert f"<{cls}>" in screen, (c.shape, cls)
    by_path = {}
    for c in checks:
        if c.component.endswith("MinCountConstraintComponent") and c.graph_screen:
            by_path.setdefault(c.graph_screen, set()).add(c.path)
    assert all(len(paths) == 1 for paths in by_path.values()), by_path


def test_the_screens_of_some_documents_read_their_graphs_alone(generated_store):
    """What pyoxigraph evaluates on its own (each side of a UNION, the right side of a
    MINUS) names the graphs validated: without them the `sh:or` screen of one
    document read every document's indicators (53 s of 115 at 10,000 documents)."""
    store, ontology = generated_store, load_ontology()
    checks, _ = compile_shapes(load_shapes(), ontology, view_of(store, ontology))
    one = document_graphs(store)[0]
    screens = {c.screen for c in checks if c.screen}
    minus = [s for s in screens if "MINUS" in s]
    hashed = {c.screen for c in checks if c.screen_in_chunks}
    assert minus and hashed
    for screen in minus:
        assert f"<{one}>" in restricted(screen, [one]).split("MINUS", 1)[1], screen
    for screen in hashed:  # every sub-SELECT of the document graphs names them
        assert restricted(screen, [one]).count(f"<{one}>") == screen.count("GRAPH ?g {"), \
            screen


def test_a_few_documents_are_the_dataset_of_every_query(generated_store, monkeypatch):
    """A run on a few documents names their graphs (with the shared graph and the
    ontology) as the dataset of every query ranging over graphs, so that no part of
    it reads the rest of the store; the queries of a whole-store run on every graph
    name none (those behind a graph screen run on the few graphs it found)."""
    store, shapes, ontology = generated_store, load_shapes(), load_ontology()
    graphs = document_graphs(store)
    sent = queries_sent(store, monkeypatch)
    validate_graphs(store, graphs[:1], shapes, ontology)
    ranging = [q for q in sent if "GRAPH ?g" in q and "VALUES (?g ?this)" not in q]
    assert len(ranging) > 50
    assert all(f"FROM NAMED <{graphs[0]}>" in q and f"<{graphs[1]}>" not in q
               for q in ranging)
    sent.clear()
    validate_graphs(store, graphs, shapes, ontology)
    whole = [q for q in sent if "GRAPH ?g" in q and "VALUES ?g" not in q
             and "VALUES (?g ?this)" not in q]
    assert whole and not any("FROM NAMED" in q for q in whole)


def test_a_shape_with_a_sparql_target_screens_its_min_count_with_its_prefixes(
        broken_store, rules):  # noqa: F811
    """A `sh:minCount 1` of a shape whose target is SPARQL written with prefixes has a
    graph screen of its own that the store can parse (its target needs them), and it
    finds every graph where the constraint fires."""
    shapes, ontology = rules
    extra = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix bps: <https://w3id.org/bpkg/shapes#> .
        <urn:kg-test:Spans> a sh:NodeShape ;
            sh:target [ a sh:SPARQLTarget ; sh:prefixes bps: ;
                        sh:select "SELECT $this WHERE { $this a bp:SourceSpan }" ] ;
            sh:property [ sh:path <https://w3id.org/bpkg/ontology#firstLine> ;
                          sh:minCount 1 ] .""", format="turtle")
    checks, fallbacks = compile_shapes(shapes + extra, ontology, view_of(broken_store, ontology))
    assert fallbacks == []
    (check,) = [c for c in checks if c.shape == "urn:kg-test:Spans"]
    assert check.graph_screen and "PREFIX bp:" in check.graph_screen
    graphs = document_graphs(broken_store)
    found = {r["g"].value for r in broken_store.query(restricted(check.graph_screen, graphs, True))}
    hits = {r["g"].value for r in broken_store.query(query_for(check, graphs, True))}
    assert hits and hits <= found  # the broken graphs have a span without its first line


def test_screens_of_plain_patterns_find_what_the_tables_find(broken_store, rules):  # noqa: F811
    """Where a store's sub-SELECTs are not tables (Virtuoso,
    ``Capabilities.sub_select_tables``), the screens joined by hash are the plain
    patterns they stand for, run in one pass: on the broken graphs, where they fire,
    both forms find the same nodes, over the whole store and on one graph."""
    store, (shapes, ontology) = broken_store, rules
    view = view_of(store, ontology)
    tables, _ = compile_shapes(shapes, ontology, view)
    plain, _ = compile_shapes(shapes, ontology, dataclasses.replace(view, tables=False))
    assert [(c.shape, c.component, c.path) for c in tables] == \
        [(c.shape, c.component, c.path) for c in plain]
    pairs = [(t, p) for t, p in zip(tables, plain, strict=True) if t.screen_in_chunks]
    assert {t.component for t, _ in pairs} == JOINED
    assert not any(p.screen_in_chunks for _, p in pairs)
    graphs = document_graphs(store)
    found = 0
    for t, p in pairs:
        assert "SELECT ?g" not in (p.screen or "")  # no sub-SELECT left
        for some, every in ((graphs, True), (graphs[:1], False)):
            mine, plainly = (focus_pairs(store.query(restricted(c.screen or "", some, every)),
                                         some) for c in (t, p))
            assert mine == plainly, (t.shape, t.component, t.path)
            found += len(mine) if every else 0
    assert found  # they fire on the broken graphs


def test_screens_joined_by_hash_find_the_same_one_graph_at_a_time(broken_store, rules,  # noqa: F811
                                                                   monkeypatch):
    """A screen joined by hash (the source spans' line order, the level-2 rule's
    `sh:or`, the classes of values) runs on a chunk of graphs at a time, also over the
    whole store: one graph per chunk gives the findings of one chunk for all, and they
    fire there."""
    store, (shapes, ontology) = broken_store, rules
    checks, _ = compile_shapes(shapes, ontology, view_of(store, ontology))
    chunked = {c.component for c in checks if c.screen_in_chunks}
    assert chunked == JOINED
    graphs = document_graphs(store)
    assert len(graphs) == 2
    for check in (c for c in checks if c.screen_in_chunks):  # finds what the check does
        fires = focus_pairs(store.query(query_for(check, graphs, True)))
        found = focus_pairs(store.query(restricted(check.screen or "", graphs)))
        assert fires <= found, check.shape
    together, _ = validate_graphs(store, graphs, shapes, ontology)
    monkeypatch.setattr(engine, "SCREEN_CHUNK", 1)
    apart, _ = validate_graphs(store, graphs, shapes, ontology)
    assert as_dicts(apart) == as_dicts(together)
    fired = {f.constraint for fs in apart.values() for f in fs}
    assert chunked <= fired


def test_min_counts_of_shared_nodes_ask_first_whether_a_node_lacks_its_value(
        broken_store, rules):  # noqa: F811
    """A `sh:minCount 1` on a predicate the shared graph also holds has no graph screen
    (a node's value may be in the shared graph); it is asked first whether any node of
    its classes, in any graph, lacks a value there and in the shared graph.  On the
    broken graphs, where values of shared nodes were removed, each such check fires,
    and that question finds a node."""
    store, (shapes, ontology) = broken_store, rules
    checks, _ = compile_shapes(shapes, ontology, view_of(store, ontology))
    asked = [c for c in checks if c.precheck]
    # shapes/structure.ttl; units and their labels are in the shared graph
    assert ("BudgetUnit", "label") in {(c.shape.rsplit("#", 1)[1], c.path.rsplit("#", 1)[1])
                                       for c in asked}
    assert {c.component for c in asked} == {"MinCountConstraintComponent"}
    assert not any(c.graph_screen for c in asked)
    graphs = document_graphs(store)
    for check in asked:
        fires = focus_pairs(store.query(query_for(check, graphs, True)), graphs)
        assert fires, (check.shape, check.path)
        for _, node in fires:  # the question finds each node the check fires on
            one = check.precheck.replace("WHERE {", f"WHERE {{ VALUES ?this {{ <{node}> }}", 1)
            assert list(store.query(one)), (check.shape, check.path, node)


def test_a_min_count_of_shared_nodes_runs_only_where_a_node_lacks_its_value(
        generated_store, monkeypatch):
    """Where every budget unit has its label (in the shared graph) the check's own
    query, a DISTINCT over every document reaching a unit, is not sent.  A unit typed
    in a document graph without a label is found, as pySHACL finds it."""
    store, shapes, ontology = generated_store, load_shapes(), load_ontology()
    graphs = document_graphs(store)
    checks, _ = compile_shapes(shapes, ontology, view_of(store, ontology))
    (check,) = [c for c in checks if c.shape.endswith("#BudgetUnit") and c.precheck
                and c.path.endswith("#label")]
    sent = queries_sent(store, monkeypatch)
    before, _ = validate_graphs(store, graphs, shapes, ontology)
    assert check.precheck in sent and query_for(check, graphs, True) not in sent
    # typed in one document; labelled in another, which that document's view lacks
    unit, g, other = "urn:kg-test:unit-without-a-label", graphs[0], graphs[1]
    added = (f"GRAPH <{g}> {{ <{unit}> a <{BP}BudgetUnit> }} "
             f"GRAPH <{other}> {{ <{unit}> <{RDFS.label}> \"单位\"@zh }}")
    store.update(f"INSERT DATA {{ {added} }}")
    try:
        reference = validate_documents(store, [g], engine="pyshacl", shapes=shapes,
                                       ontology=ontology).reports
        for some in (graphs, [g]):  # the whole store, and one document as the dataset
            after, _ = validate_graphs(store, some, shapes, ontology)
            new = [f for f in after[g] if f.__dict__ not in [e.__dict__ for e in before[g]]]
            assert {f.focus for f in new} == {unit}  # also its printed name is missing
            assert (check.shape, check.component, check.path) in {
                (f.shape, f.constraint, f.path) for f in new}
            assert as_dicts(after)[g] == [f.__dict__ for f in reference[0].findings]
    finally:
        store.update(f"DELETE DATA {{ {added} }}")
