"""The ontology: consistent under a reasoner (HermiT via owlready2, needs Java), every
term the mapper writes and the shapes use is declared, a misspelt term raises, and the
SKOS schemes carry every concept and variant the normalisers know."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode
from rdflib.namespace import OWL, RDF, SKOS

from kg import iris
from kg.domain import indicators
from kg.map import terms
from kg.map.citations import registry_quads
from kg.map.document import map_disclosure
from kg.ontology import ONTOLOGY_FILES, ROOT

BP = rdflib.Namespace(iris.BP)
BPC = rdflib.Namespace(iris.BPC)


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in ONTOLOGY_FILES:
        g.parse(f, format="turtle")
    return g


def declared(g: rdflib.Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept, SKOS.ConceptScheme)
    return {str(s) for k in kinds for s in g.subjects(RDF.type, k)}


def test_a_misspelt_term_raises():
    with pytest.raises(AttributeError, match="bp:buget is not a term"):
        terms.BP.buget  # noqa: B018 (the look-up is the test)
    with pytest.raises(KeyError, match="bpc:level1-outputs is not a term"):
        terms.BPC["level1-outputs"]  # noqa: B018
    with pytest.raises(AttributeError):
        terms.RDFS.lable  # noqa: B018
    assert terms.BP.budget.value == iris.BP + "budget"


def test_the_namespaces_hold_the_declared_terms(onto):
    for ns in (terms.BP, terms.BPC):
        assert {ns.iri + t for t in ns} == {t for t in declared(onto)
                                            if t.startswith(ns.iri) and t != ns.iri}
    # the standard terms listed beside the ontology exist in their vocabularies
    standard = {"rdf": rdflib.RDF, "rdfs": rdflib.RDFS, "xsd": rdflib.XSD,
                "dcterms": rdflib.DCTERMS, "void": rdflib.VOID}
    for prefix, names in terms.STANDARD_TERMS.items():
        for name in names:
            assert getattr(standard[prefix], name)  # a closed rdflib namespace: raises if not


def test_every_term_the_mapper_writes_is_declared(onto, disclosures):
    """Classes, properties and concepts of the mapped samples, whatever built them."""
    vocab = (iris.BP, iris.BPC)
    used = set()
    mapped = [map_disclosure(d, "http://example.org/kg/")[1] for d in disclosures.values()]
    for quads in [*mapped, registry_quads("http://example.org/kg/")]:
        used |= {q.predicate.value for q in quads if q.predicate.value.startswith(vocab)}
        used |= {q.object.value for q in quads
                 if isinstance(q.object, NamedNode) and q.object.value.startswith(vocab)}
    missing = sorted(t for t in used if t not in declared(onto))
    assert used and not missing, f"written by kg/ but not declared in ontology/: {missing}"


def test_every_term_in_shapes_and_queries_is_declared(onto):
    text = "".join(p.read_text(encoding="utf-8") for d in ("shapes", "queries")
                   for p in (ROOT / d).iterdir())
    bp = set(re.findall(r"\bbp:([A-Za-z]\w*)", text))
    bpc = set(re.findall(r"\bbpc:([\w-]+)", text))
    missing = sorted({"bp:" + t for t in bp if iris.BP + t not in declared(onto)} |
                     {"bpc:" + t for t in bpc if iris.BPC + t not in declared(onto)})
    assert not missing


def test_concepts_the_mapper_mints_exist(onto):
    from kg.domain.funding import LEVELS
    from kg.domain.targets import KINDS
    wanted = ({"level1-" + k for k in indicators.LEVEL1}
              | {"level2-" + k for k in indicators.LEVEL2}
              | set(iris.BASIS_CONCEPTS.values()) | {"target-" + k for k in KINDS}
              | {"funding-" + k for k in LEVELS})
    assert not sorted(c for c in wanted if iris.BPC + c not in declared(onto))


def test_skos_scheme_carries_labels_variants_and_hierarchy(onto):
    for key, label in indicators.LEVEL2.items():
        c = BPC["level2-" + key]
        assert (c, SKOS.prefLabel, rdflib.Literal(label, lang="zh")) in onto
        assert (c, SKOS.broader, BPC["level1-" + indicators.PARENT[key]]) in onto
    for variant, key in indicators.LEVEL2_VARIANTS.items():
        assert (BPC["level2-" + key], SKOS.altLabel, rdflib.Literal(variant, lang="zh")) in onto


def test_labels_in_chinese_and_english(onto):
    for s in declared(onto):
        if s.startswith(iris.BP):
            langs = {o.language for o in onto.objects(rdflib.URIRef(s), rdflib.RDFS.label)}
            assert {"zh", "en"} <= langs, s


def test_ontology_has_a_stable_iri_and_version(onto):
    o = rdflib.URIRef(iris.ONTOLOGY)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionIRI) is not None


@pytest.mark.skipif(shutil.which("java") is None,
                    reason="HermiT needs Java; `make setup` installs it (default-jre-headless)")
def test_consistent_under_hermit(tmp_path, onto):
    owlready2 = pytest.importorskip("owlready2")
    path = Path(tmp_path) / "bp.nt"
    onto.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    o = world.get_ontology(path.as_uri()).load()
    with o:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert not list(world.inconsistent_classes())


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_the_reasoner_does_catch_an_inconsistency(tmp_path, onto):
    """Guard for the test above: a contradiction added to the ontology is reported."""
    owlready2 = pytest.importorskip("owlready2")
    g = rdflib.Graph() + onto
    x = rdflib.URIRef("http://example.org/x")
    g.add((BP.Project, OWL.disjointWith, BP.Indicator))
    g.add((x, RDF.type, BP.Project))
    g.add((x, RDF.type, BP.Indicator))
    g.add((x, RDF.type, OWL.NamedIndividual))
    path = Path(tmp_path) / "bad.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    o = world.get_ontology(path.as_uri()).load()
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        with o:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
