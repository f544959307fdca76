"""The compiled engine (shapes as SPARQL, run in the store) against the reference
(pySHACL per document): the same findings, in the same order, on the samples, on
generated documents and layout variants, on graphs broken so that every constraint
of shapes/ fires, and on the SPARQL servers."""
from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.sparql import processor

from kg import iris
from kg.pipeline import build
from kg.store import open_store
from kg.validate import (
    document_graphs,
    validate_documents,
    validate_store,
)
from kg.validation.compile import compile_shapes, subclasses
from kg.validation.engine import query_for, restricted, view_of
from kg.validation.pyshacl_engine import _parsed
from tests.support.corpus import generate
from tests.support.samples import DATA, sample

BP = iris.BP
A, B = "000_ebdfb260618a708a", "000_broken"  # the same document twice: broken two ways


def by_graph(reports):
    return {r.graph: [f.__dict__ for f in r.findings] for r in reports}


def assert_same(store, rules, workers=2, fast=None):
    """Both engines on every document of ``store`` with ``rules`` (the parsed shapes
    and ontology): identical findings (``fast``: the compiled engine's, where already
    computed)."""
    shapes, ontology = rules
    fast = fast if fast is not None else by_graph(
        validate_store(store, engine="sparql", shapes=shapes, ontology=ontology))
    reference = by_graph(validate_store(store, engine="pyshacl", workers=workers,
                                        shapes=shapes, ontology=ontology))
    assert list(fast) == list(reference)
    for graph in reference:
        assert fast[graph] == reference[graph], graph
    return fast


@pytest.fixture(scope="module")
def rules(shapes_graph, ontology_graph):
    """The shapes and the ontology, parsed once for every test here."""
    return shapes_graph, ontology_graph


@pytest.fixture(scope="module")
def samples_compiled(embedded_built_store, rules):
    """The compiled engine's findings on the samples (compared with pySHACL's and with
    each server's)."""
    shapes, ontology = rules
    return by_graph(validate_store(embedded_built_store[0], engine="sparql", shapes=shapes,
                                   ontology=ontology))


@pytest.mark.slow
def test_engines_agree_on_the_samples(built_store, rules, samples_compiled):
    found = assert_same(built_store[0], rules, fast=samples_compiled)
    assert len(found) == len(list(DATA.glob("*.txt"))) and sum(map(len, found.values())) > 0


@pytest.mark.slow
def test_engines_agree_on_generated_documents_and_layout_variants(tmp_path, rules):
    """Two generated documents (tests/support/corpus.py) and data/000 with other labels
    and amounts in 元 (the variants tests/extract/test_variants.py reads)."""
    paths = generate(2, tmp_path / "in", seed=11)
    text = sample("000").read_text(encoding="utf-8")
    variant = (text.replace("\t项目编码\n", "\t项目代码\n").replace("\t预算数\n", "\t预算金额\n")
               .replace("\t指标值\n", "\t目标值\n").replace("\t单位：万元\n", "\t单位：元\n", 1)
               .replace("\t24.31\n\t其中：财政    资金\n\t24.31\n",
                        "\t243100\n\t其中：财政    资金\n\t243100\n", 1))
    (tmp_path / "in" / "000_variant.txt").write_text(variant, encoding="utf-8")
    store = open_store(tmp_path / "st")
    build([*paths, tmp_path / "in" / "000_variant.txt"], store)
    assert len(assert_same(store, rules)) == 3


# --- broken graphs: every constraint made to fire -------------------------------

BAD = {  # a value of the wrong kind for each datatype
    str(rdflib.RDF.langString): '"untagged"',
    str(rdflib.XSD.string): '"tagged"@en',
    str(rdflib.XSD.integer): '"1.5"^^<http://www.w3.org/2001/XMLSchema#integer>',
    str(rdflib.XSD.decimal): '"abc"^^<http://www.w3.org/2001/XMLSchema#decimal>',
    str(rdflib.XSD.boolean): '"yes"',  # rdflib reads an ill-typed boolean as false
}


def focus_of(store, rules, shape, graph, offset=0):
    """One node the shape targets in ``graph``'s view (its own or a shared node)."""
    shapes, ontology = rules
    cls = shapes.value(shape, rdflib.SH.targetClass)
    if cls is None:
        return None
    classes = " ".join(f"<{c}>" for c in subclasses(ontology, cls))
    rows = list(store.query(f"SELECT ?x WHERE "
                            f"{{ VALUES ?c {{ {classes} }} {{ GRAPH <{graph}> {{ ?x a ?c }} }} "
                            f"UNION {{ GRAPH <{iris.shared_graph()}> {{ ?x a ?c }} }} }} "
                            f"ORDER BY ?x LIMIT 1 OFFSET {offset}"))
    return rows[0]["x"].value if rows else None


def break_property(shapes, ps, focus: dict, a: str, b: str) -> list[str]:
    """Updates making each constraint of property shape ``ps`` fail: values removed in
    graph A (and the shared graph), wrong values added in graph B; a value above its
    bound on another node of A (pySHACL cannot compare an ill-typed one)."""
    sh = rdflib.SH
    path = shapes.value(ps, sh.path)
    if not isinstance(path, rdflib.URIRef):
        return []
    f, p, out = f"<{focus[b]}>", f"<{path}>", []
    add = lambda value: out.append(f"INSERT DATA {{ GRAPH <{b}> {{ {f} {p} {value} }} }}")  # noqa: E731
    # values compared by sh:lessThanOrEquals stay numbers: pySHACL compares IRIs as
    # strings and fails on an ill-typed number, where SPARQL reports them
    compared = path in set(shapes.objects(None, sh.lessThanOrEquals)) or \
        shapes.value(ps, sh.lessThanOrEquals) is not None
    for param, arg in shapes.predicate_objects(ps):
        if param == sh.minCount:
            for g in (a, iris.shared_graph()):
                out.append(f"DELETE WHERE {{ GRAPH <{g}> {{ <{focus[a]}> {p} ?o }} }}")
        elif param == sh.maxCount:
            for i in range(int(arg) + 1):
                add(100 + i if compared else f"<urn:kg-test:extra-{i}>")
        elif param == sh.datatype:
            add('"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>' if compared else BAD[str(arg)])
        elif param == sh["class"]:
            add("<urn:kg-test:untyped>")
        elif param == sh["in"]:
            add('"not-listed"')
        elif param == sh.pattern:
            add('"no match"')
        elif param == sh.minInclusive:
            add(rdflib.Literal(int(arg) - 1).n3())
        elif param == sh.maxInclusive:
            add(rdflib.Literal(int(arg) + 1).n3())
        elif param == sh.lessThanOrEquals:
            out.append(f"INSERT DATA {{ GRAPH <{a}> {{ <{focus['other']}> {p} 100000 }} }}")
    return out


def rule_breakers(a: str) -> list[str]:
    """Updates that make each SHACL-SPARQL rule and sh:or / sh:xone of shapes/ fire in
    graph A (document data/000: project 1, budget 24.31 = fiscal 24.31, line 47)."""
    doc, p1 = iris.document(A), iris.project(A, 1)
    figures = {"total": 100, "basic": 60, "project": 30, "personnel": 10, "public_operating": 10}
    stated = " ".join(
        f"<{doc}> bp:statesFigure <{doc}/figure/t-{c}> . <{doc}/figure/t-{c}> a bp:StatedFigure ; "
        f'bp:section "expenditure" ; bp:figureConcept "{c}" ; bp:amount <{doc}/figure/t-{c}/a> . '
        f"<{doc}/figure/t-{c}/a> bp:amountWanYuan {v}.0 ." for c, v in figures.items())
    g = f"GRAPH <{a}>"
    return [f"PREFIX bp: <{BP}> INSERT DATA {{ {g} {{ {stated} }} }}",
            f"PREFIX bp: <{BP}> DELETE {{ {g} {{ ?a bp:amountWanYuan ?v }} }} INSERT {{ {g} {{ "
            f"?a bp:amountWanYuan 14.31 }} }} WHERE {{ {g} {{ <{p1}> bp:fiscalFunds ?a . ?a "
            f"bp:amountWanYuan ?v }} }}",
            # the plan's month-12 figure below month 11's and off the budget
            f"PREFIX bp: <{BP}> DELETE {{ {g} {{ ?a bp:amountWanYuan ?v }} }} INSERT {{ {g} {{ "
            f"?a bp:amountWanYuan 0.5 }} }} WHERE {{ {g} {{ ?p bp:hasMilestone ?m . ?m bp:month 12 "
            f"; bp:cumulativeAmount ?a . ?a bp:amountWanYuan ?v }} }}",
            f"PREFIX bp: <{BP}> INSERT {{ {g} {{ ?m bp:cumulativePercent 50.0 }} }} WHERE "
            f"{{ {g} {{ <{p1}> bp:hasMilestone ?m . ?m bp:month 12 }} }}",
            f"PREFIX bp: <{BP}> PREFIX bpc: <{iris.BPC}> DELETE {{ {g} {{ ?i bp:level1 ?l }} }} "
            f"WHERE {{ {g} {{ ?i bp:level1 ?l FILTER(?l = bpc:level1-satisfaction) }} }}",
            f"PREFIX bp: <{BP}> PREFIX bpc: <{iris.BPC}> DELETE {{ {g} {{ ?i bp:level2 ?l }} }} "
            f"INSERT "
            f"{{ {g} {{ ?i bp:level2 bpc:level2-economic_benefit }} }} WHERE {{ {g} {{ <{p1}> "
            f"bp:hasIndicator ?i . ?i bp:level1 bpc:level1-output ; bp:level2 ?l }} }}",
            f"PREFIX bp: <{BP}> INSERT {{ {g} {{ ?c bp:citesPolicy <urn:kg-test:policy> }} }} "
            f"WHERE {{ {g} {{ ?c bp:citesDirective ?d }} }}",
            ]


def extra_nodes(doc_id: str) -> str:
    """A stated figure, a unit-table row and unplaced text (data/000 has none; the
    row's class is a subclass of the shape's target), added to a graph to be broken."""
    doc, g = iris.document(doc_id), iris.graph(doc_id)
    span = f"<{iris.base()}source/{doc_id}/L10-10>"
    return (f"PREFIX bp: <{BP}> PREFIX prov: <{iris.NS['prov']}> INSERT DATA {{ GRAPH <{g}> {{ "
            f"<{doc}> bp:statesFigure <{doc}/figure/t-0> . <{doc}/figure/t-0> a bp:StatedFigure ; "
            f'bp:section "expenditure" ; bp:figureConcept "other" ; bp:amount '
            f'<{doc}/project/1/budget> ; '
            f"prov:wasDerivedFrom {span} . <{doc}/row/t-0> a bp:OrganisationEntry ; "
            f'bp:rowRole "data" ; prov:wasDerivedFrom {span} . <{doc}/unplaced/t-0> a '
            f'bp:UnplacedText ; bp:text "无法归类" ; prov:wasDerivedFrom {span} }} }}')


@pytest.fixture(scope="module")
def broken_store(tmp_path_factory, rules):
    """data/000 loaded twice (graphs A and B) and broken by SPARQL updates."""
    folder = tmp_path_factory.mktemp("broken")
    (folder / "in").mkdir()
    (folder / "in" / f"{B}.txt").write_bytes(sample("000").read_bytes())
    store = open_store(folder / "st")
    build([sample("000"), folder / "in" / f"{B}.txt"], store)
    a, b = iris.graph(A), iris.graph(B)
    shapes = rules[0]
    for u in [extra_nodes(A), extra_nodes(B), *rule_breakers(a)]:
        store.update(u)
    updates = []
    for shape in sorted(s for s in shapes.subjects(rdflib.RDF.type, rdflib.SH.NodeShape)
                        if isinstance(s, rdflib.URIRef)):
        focus = {b: focus_of(store, rules, shape, b), a: focus_of(store, rules, shape, a),
                 "other": focus_of(store, rules, shape, a, offset=1)}
        for ps in shapes.objects(shape, rdflib.SH.property):
            if focus[b]:
                updates += break_property(shapes, ps, focus, a, b)
    for u in updates:
        store.update(u)
    return store


@pytest.mark.slow
def test_every_constraint_fires_on_broken_graphs(broken_store, rules):
    found = assert_same(broken_store, rules)
    fired = {(f["shape"], f["constraint"], f["path"]) for fs in found.values() for f in fs}
    shapes, ontology = rules
    checks, fallbacks = compile_shapes(shapes, ontology, view_of(broken_store, ontology))
    assert fallbacks == []
    missing = {(c.shape, c.component, c.path) for c in checks} - fired
    assert missing == set()
    assert {"Violation", "Warning", "Info"} <= {f["severity"] for fs in found.values() for f in fs}


@pytest.mark.slow
def test_shapes_not_compiled_fall_back_to_pyshacl(built_store, rules):
    """A constraint the compiler does not translate (sh:languageIn) is validated by
    pySHACL and named in the report; the compiled shapes still run in the store."""
    shapes, ontology = rules
    extra = rdflib.Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix bp: <{BP}> .
        <urn:kg-test:GoalInEnglish> a sh:NodeShape ; sh:targetClass bp:Goal ;
            sh:property [ sh:path bp:text ; sh:languageIn ( "en" ) ] .""", format="turtle")
    store = built_store[0]
    graph = iris.graph("004_7f173a8bea485c98")
    run = validate_documents(store, [graph], shapes=shapes + extra, ontology=ontology)
    (report,) = run.reports
    assert [f.shape for f in run.fallbacks] == ["urn:kg-test:GoalInEnglish"]
    english = [f for f in report.findings if f.shape == "urn:kg-test:GoalInEnglish"]
    goals = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE "
                             f"{{ GRAPH <{graph}> {{ ?g a <{BP}Goal> }} }}"))
    assert len(english) == int(goals[0]["n"].value) > 0  # every goal is printed in Chinese
    assert any(f.shape.endswith("BasicAddsUp") for f in report.findings)  # data/004 line 96


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_compiled_engine_on_servers(kind, built_stores, rules, samples_compiled):
    """In a SPARQL server the compiled engine finds what it finds in the embedded store
    (and so what pySHACL finds: test_engines_agree_on_the_samples)."""
    store = built_stores(kind)[0]
    remote = by_graph(validate_store(store, document_graphs(store), shapes=rules[0],
                                     ontology=rules[1]))
    assert remote == samples_compiled
    assert len(remote) == len(list(DATA.glob("*.txt")))  # one report per document


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_some_documents_on_servers(kind, built_stores, rules, samples_compiled):
    """Some documents validated on a server, their graphs named as each query's
    dataset (FROM NAMED), give the findings the whole store gives for them."""
    store = built_stores(kind)[0]
    some = sorted(samples_compiled)[1:3]
    remote = by_graph(validate_store(store, some, shapes=rules[0], ontology=rules[1]))
    assert list(remote) == some
    assert remote == {g: samples_compiled[g] for g in some}
    assert any(remote.values())


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_the_question_before_a_minimum_count_of_shared_nodes_on_servers(
        kind, built_stores, rules):
    """Before a budget unit's label is required, a server is asked, as the embedded
    store is (tests/test_validate_scale.py), whether any unit lacks one in its graph
    and in the shared graph (`Check.precheck`): on the samples,
    where every unit is labelled in the shared graph, none; a unit typed in one
    document and labelled only in another is found (its ``GRAPH ?g`` inside the
    ``FILTER NOT EXISTS`` is the graph that types it)."""
    store = built_stores(kind)[0]
    shapes, ontology = rules
    checks, _ = compile_shapes(shapes, ontology, view_of(store, ontology))
    (check,) = [c for c in checks if c.shape.endswith("#BudgetUnit") and c.precheck
                and c.path == str(rdflib.RDFS.label)]
    graphs = document_graphs(store)
    assert not list(store.query(restricted(check.precheck, graphs, True)))
    unit = "urn:kg-test:unit-labelled-elsewhere"
    added = (f"GRAPH <{graphs[0]}> {{ <{unit}> a <{BP}BudgetUnit> }} "
             f'GRAPH <{graphs[1]}> {{ <{unit}> <{rdflib.RDFS.label}> "单位"@zh }}')
    store.update(f"INSERT DATA {{ {added} }}")
    try:
        found = [r["this"].value for r in store.query(restricted(check.precheck, graphs, True))]
        assert found == [unit]
    finally:
        store.update(f"DELETE DATA {{ {added} }}")


def _found_in_a_copy(store, graphs, screened, rewritten: str) -> int:
    """A copy of the first graph with each object ``?o`` replaced by ``rewritten`` (a
    SPARQL expression): each graph screen of ``screened`` ((screen, its checks)) must
    find the copy wherever one of its checks fires on it.  How many fired there."""
    copy = "urn:kg-test:rewritten"
    store.update(f"INSERT {{ GRAPH <{copy}> {{ ?s ?p ?u }} }} WHERE {{ GRAPH <{graphs[0]}> "
                 f"{{ ?s ?p ?o }} BIND({rewritten} AS ?u) }}")
    try:
        fired = 0
        for screen, behind in screened:
            fires = {r["g"].value for c in behind
                     for r in store.query(query_for(c, graphs + [copy], True))}
            found = {r["g"].value
                     for r in store.query(restricted(screen, graphs + [copy], True))}
            assert fires & {copy} <= found, (behind[0].shape, behind[0].path, found)
            fired += copy in fires
        return fired
    finally:
        store.update(f"DROP SILENT GRAPH <{copy}>")


@pytest.mark.parametrize("kind", ["embedded", "oxigraph", "virtuoso"])
def test_the_graph_screens_of_datatypes_find_where_their_checks_fire_on_every_store(
        kind, built_stores, rules):
    """A graph screen testing values' datatypes (by ``datatype()`` alone, with the
    lexical form where XSD has one) finds, on every store, the sample graphs where its
    checks fire and no other: a store whose ``datatype()`` answered otherwise would
    let every graph through, and screen nothing.  On the servers, a copy of a sample
    whose numbers became text: the screens find it wherever their checks fire."""
    store = built_stores(kind)[0]
    checks, _ = compile_shapes(rules[0], rules[1], view_of(store, rules[1]))
    graphs = document_graphs(store)
    by_screen: dict[str, list] = {}
    for c in checks:
        if c.graph_screen and "datatype(" in c.graph_screen:
            by_screen.setdefault(c.graph_screen, []).append(c)
    assert len(by_screen) >= 10  # shapes/: xsd:integer, decimal, boolean and tagged text paths
    for screen, behind in by_screen.items():
        fires = {r["g"].value for c in behind for r in store.query(query_for(c, graphs, True))}
        found = {r["g"].value for r in store.query(restricted(screen, graphs, True))}
        assert found & set(graphs) == fires & set(graphs), (behind[0].path, found)
    if kind == "embedded":  # read-only here; the broken graphs test it (test_validate_scale)
        return
    # a copy of a sample whose numbers became plain strings
    fired = _found_in_a_copy(store, graphs, by_screen.items(), "IF(isNumeric(?o), STR(?o), ?o)")
    assert fired >= 5  # line numbers, amounts, months, percentages, years


@pytest.mark.parametrize("kind", ["embedded", "oxigraph", "virtuoso"])
def test_the_screens_of_tagged_text_pass_the_samples_on_every_store(kind, built_stores, rules):
    """A screen for ``sh:datatype rdf:langString`` finds no graph of the samples,
    whose texts are all tagged @zh, on every store, and finds a copy of one whose
    texts lost their tags on the servers: on Virtuoso, whose ``datatype()``
    of a tagged literal is none, it found every graph (and so screened nothing)."""
    store = built_stores(kind)[0]
    checks, _ = compile_shapes(rules[0], rules[1], view_of(store, rules[1]))
    graphs = document_graphs(store)
    tagged = {str(rules[0].value(ps, rdflib.SH.path))
              for ps in rules[0].subjects(rdflib.SH.datatype, rdflib.RDF.langString)}
    screened = [c for c in checks if c.component == "DatatypeConstraintComponent"
                and c.path in tagged and c.graph_screen]
    assert {c.path for c in screened} == tagged and tagged
    for check in screened:
        assert not list(store.query(query_for(check, graphs, True))), check.shape
        found = {r["g"].value for r in store.query(restricted(check.graph_screen, graphs, True))}
        assert not found & set(graphs), (check.path, found)
    if kind == "embedded":  # read-only here; the broken graphs test it (test_validate_scale)
        return
    # a copy of a sample whose texts lost their tags
    fired = _found_in_a_copy(store, graphs, [(c.graph_screen, [c]) for c in screened],
                             "IF(isLiteral(?o) && lang(?o) != '', STR(?o), ?o)")
    assert fired >= 3  # the checks whose values are in the document's own graph


@pytest.mark.slow
def test_values_of_a_node_no_shape_targets_are_not_findings(tmp_path, rules):
    """An untyped node carrying, for every path of shapes/, values that would break
    the constraints if it were targeted (too many, of the wrong kind, above their
    bound): the screens read a path's values whatever node holds them, the checks
    they pass the node to must still ask whether a shape targets it.  pySHACL, and
    so the compiled engine, report nothing about it."""
    store = open_store(tmp_path / "st")
    build([sample("000")], store)
    shapes, g, node = rules[0], iris.graph("000_ebdfb260618a708a"), "<urn:kg-test:untargeted>"
    subjects_of = set(shapes.objects(None, rdflib.SH.targetSubjectsOf))
    values = ['"abc"^^<http://www.w3.org/2001/XMLSchema#decimal>', "<urn:kg-test:untyped>", "100"]
    triples = []
    for ps in shapes.subjects(rdflib.SH.path, None):
        path = shapes.value(ps, rdflib.SH.path)
        if isinstance(path, rdflib.URIRef) and path not in subjects_of:
            triples += [f"{node} <{path}> {v} ." for v in values]
            bound = shapes.value(ps, rdflib.SH.lessThanOrEquals)
            triples += [f"{node} <{bound}> 1 ."] if bound else []
    store.update(f"INSERT DATA {{ GRAPH <{g}> {{ {' '.join(triples)} }} }}")
    found = assert_same(store, rules)
    assert found[g] and not [f for f in found[g] if f["focus"] == node[1:-1]]


def test_pyshacl_parses_each_sparql_query_once(tmp_path, rules, monkeypatch):
    """pySHACL runs a SPARQL constraint once per focus node, the same text each time:
    the reference engine parses each text once (parsing was most of its time), and
    still reports what the constraint finds."""
    (path,) = generate(1, tmp_path / "in", seed=3)
    store = open_store(tmp_path / "st")
    build([path], store)
    parsed: list[str] = []
    parse = processor.parseQuery
    monkeypatch.setattr(processor, "parseQuery", lambda text: parsed.append(text) or parse(text))
    _parsed.cache_clear()  # texts parsed by earlier tests of this process: parsed again here
    shapes, ontology = rules
    (report,) = validate_store(store, engine="pyshacl", shapes=shapes, ontology=ontology)
    projects = list(store.query(f"SELECT ?p WHERE {{ GRAPH ?g {{ ?p a <{BP}Project> }} }}"))
    assert len(projects) > 1  # the project shapes' SPARQL constraints asked more than once
    assert 0 < len(parsed) == len(set(parsed)) <= len(set(shapes.objects(None, rdflib.SH.select)))
    assert report.findings == validate_store(store, shapes=shapes, ontology=ontology)[0].findings
