"""Where the vocabulary lives on disk: the OWL ontology, SKOS schemes and SHACL
shapes, read from the project's ``ontology/`` and ``shapes/`` folders."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from . import iris

ROOT = Path(__file__).resolve().parent.parent
#: where an installed package keeps its copy of the folders (see setup.py)
PACKAGED = "_files"


def project_dir(name: str) -> Path:
    """One of the project's folders of files (ontology, shapes, queries, registry):
    the copy installed with the package (``pip install .``, a wheel), or the
    checkout's own folder when running from a checkout (editable install, tests)."""
    packaged = Path(str(resources.files(__package__).joinpath(PACKAGED, name)))
    return packaged if packaged.is_dir() else ROOT / name


ONTOLOGY_FILES = [project_dir("ontology") / "bp.ttl", project_dir("ontology") / "concepts.ttl"]
SHAPES_DIR = project_dir("shapes")
QUERIES_DIR = project_dir("queries")
REGISTRY_DIR = project_dir("registry")


def ontology_quads() -> list[Quad]:
    """The ontology and concept schemes, as quads of the ontology's own graph."""
    g = NamedNode(iris.ONTOLOGY)
    out: list[Quad] = []
    for f in ONTOLOGY_FILES:
        with open(f, "rb") as fh:
            out.extend(Quad(t.subject, t.predicate, t.object, g)
                       for t in parse(fh, format=RdfFormat.TURTLE))
    return out


#: The types that declare a term of the vocabulary (a class, a property, a concept).
DECLARING_TYPES = frozenset(iris.NS[ns] + name for ns, name in (
    ("owl", "Class"), ("owl", "ObjectProperty"), ("owl", "DatatypeProperty"),
    ("owl", "AnnotationProperty"), ("skos", "Concept"), ("skos", "ConceptScheme")))


@lru_cache(maxsize=1)
def declared_terms() -> frozenset[str]:
    """The IRI of every class, property, concept and scheme the ontology declares."""
    rdf_type = iris.NS["rdf"] + "type"
    return frozenset(q.subject.value for q in ontology_quads()
                     if isinstance(q.subject, NamedNode) and q.predicate.value == rdf_type
                     and isinstance(q.object, NamedNode) and q.object.value in DECLARING_TYPES)
