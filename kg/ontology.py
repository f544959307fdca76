"""Where the vocabulary lives on disk: the OWL ontology, SKOS schemes and SHACL
shapes, read from the project's ``ontology/`` and ``shapes/`` folders."""
from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from . import iris

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILES = [ROOT / "ontology" / "bp.ttl", ROOT / "ontology" / "concepts.ttl"]
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"


def ontology_quads() -> list[Quad]:
    """The ontology and concept schemes, as quads of the ontology's own graph."""
    g = NamedNode(iris.ONTOLOGY)
    out = []
    for f in ONTOLOGY_FILES:
        with open(f, "rb") as fh:
            out.extend(Quad(t.subject, t.predicate, t.object, g)
                       for t in parse(fh, format=RdfFormat.TURTLE))
    return out
