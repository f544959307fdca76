"""Library verbs: read → extract for one file or a batch.  The CLI wraps these; a
batch never stops because one file is bad: the failure is returned, named.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import time
from datetime import datetime, timezone

from pyoxigraph import Literal, NamedNode, Quad

from . import iris
from .errors import KgError, ReadError
from .extract.disclosure import extract
from .map.document import MAPPER_VERSION, doc_id, map_disclosure
from .map.terms import BP, PROV, A, plain
from .ontology import ontology_quads
from .read.layout import parse_layout
from .read.text import read_source
from .records import Disclosure
from .store import EmbeddedStore

SUFFIXES = (".txt",)


@dataclass
class Failure:
    """A file that could not be read at all, with the reason."""
    error: ReadError

    @property
    def file(self) -> str:
        return self.error.file


@contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while a document is read.

    The reader allocates one small object per line and cell and makes no reference
    cycles, so reference counting frees everything; but each full collection walks
    every live object, which made a 26 MB document read at half the speed of a small
    one (benchmarks/extract.py).  Paused, the cost is linear in the size."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def extract_file(path: str | Path) -> Disclosure:
    """Read one disclosure; raises ReadError if nothing can be read."""
    with _no_cyclic_gc():
        source = read_source(path)
        layout = parse_layout(source.text, source.file)
        return extract(source, layout)


def expand(paths: list[str | Path]) -> list[Path]:
    """Files named, and the ``*.txt`` files inside folders named, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file()))
        else:
            out.append(p)
    return out


def extract_files(paths: list[str | Path]) -> list[Disclosure | Failure]:
    """Read a batch; each file gives its Disclosure or a Failure, in order."""
    results: list[Disclosure | Failure] = []
    for path in expand(paths):
        try:
            results.append(extract_file(path))
        except ReadError as e:
            results.append(Failure(e))
        except Exception as e:  # a reader bug must not cost the rest of the batch
            results.append(Failure(ReadError(str(path), f"reader failed: "
                                             f"{type(e).__name__}: {e}")))
    return results


@dataclass
class Loaded:
    """What happened to one file in a build."""
    file: str
    status: str  # loaded | unchanged | failed
    graph: str | None = None
    triples: int = 0
    warnings: int = 0
    error: str | None = None


@dataclass
class BuildReport:
    documents: list[Loaded]
    seconds: float

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.documents)

    @property
    def triples(self) -> int:
        return sum(d.triples for d in self.documents)

    def to_json(self) -> dict:
        return {"loaded": self.count("loaded"), "unchanged": self.count("unchanged"),
                "failed": self.count("failed"), "triples": self.triples,
                "seconds": round(self.seconds, 3),
                "documents": [d.__dict__ for d in self.documents]}


def _catalog_entry(graph: str, d: Disclosure, catalog: str, base: str) -> list[Quad]:
    """Import metadata, kept out of the document's graph so that graph stays a pure
    function of the document (byte-identical on rebuild)."""
    g, c = NamedNode(graph), NamedNode(catalog)
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    facts = [
        (A, BP.DocumentGraph),
        (BP.documentGraphOf, NamedNode(iris.document(doc_id(d), base))),
        (PROV.wasDerivedFrom, NamedNode(iris.source(doc_id(d), base))),
        (BP.fileName, plain(Path(d.file).name)),
        (BP.contentHash, plain(d.sha256)),
        (BP.mapperVersion, plain(MAPPER_VERSION)),
        (PROV.generatedAtTime, Literal(now, datatype=NamedNode(
            "http://www.w3.org/2001/XMLSchema#dateTime"))),
    ]
    return [Quad(g, p, o, c) for p, o in facts]


def load_ontology(store: EmbeddedStore) -> None:
    store.replace_graph(iris.ONTOLOGY, ontology_quads(), iris.catalog_graph(), [])


def build(paths: list[str | Path], store: EmbeddedStore, base: str | None = None,
          force: bool = False) -> BuildReport:
    """Read, map and load documents, one named graph each.  A document whose
    content hash and mapper version are unchanged is skipped (``force`` reloads);
    one that fails is reported and the rest still load."""
    started = time.perf_counter()
    base = iris.base(base)
    catalog = iris.catalog_graph(base)
    load_ontology(store)
    done: list[Loaded] = []
    for path in expand(paths):
        try:
            with _no_cyclic_gc():
                d = extract_file(path)
                graph, quads = map_disclosure(d, base)
            same = (store.catalog_value(catalog, graph, BP.contentHash.value) == d.sha256 and
                    store.catalog_value(catalog, graph, BP.mapperVersion.value) == MAPPER_VERSION)
            if same and not force:
                done.append(Loaded(str(path), "unchanged", graph))
                continue
            store.replace_graph(graph, quads, catalog, _catalog_entry(graph, d, catalog, base))
            done.append(Loaded(str(path), "loaded", graph, len(set(quads)), len(d.warnings)))
        except ReadError as e:
            done.append(Loaded(str(path), "failed", error=str(e)))
        except (KgError, OSError, ValueError, SyntaxError) as e:
            done.append(Loaded(str(path), "failed", error=f"{path}: {type(e).__name__}: {e}"))
    store.flush()
    return BuildReport(done, time.perf_counter() - started)
