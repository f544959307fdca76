"""The HTML of /ontology and /dataset: one section per class, property and concept
scheme with an anchor (``/ontology#Project``), labels and definitions in both
languages, links between terms; the dataset page shows its figures, distributions
and partitions.  Built from the same triples their RDF serves."""
from __future__ import annotations

import functools
from collections import defaultdict

from pyoxigraph import Literal, NamedNode

from .. import iris
from . import errors
from .dataset import dataset_triples
from .linked import ontology_triples, render_rdf
from .media import PAGE_OFFERS, SUFFIXES, negotiate, split_suffix
from .parts import Link, curie, local_href, relative
from .templates import page, render

RDF, RDFS, OWL, SKOS = iris.NS["rdf"], iris.NS["rdfs"], iris.NS["owl"], iris.NS["skos"]
DCT, DCAT, VOID = iris.NS["dcterms"], iris.NS["dcat"], iris.NS["void"]


def _index(triples) -> dict[str, dict[str, list]]:
    out: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        if isinstance(t.subject, NamedNode):
            out[t.subject.value][t.predicate.value].append(t.object)
    return out


def _text(values, lang: str) -> str:
    return next((v.value for v in values if isinstance(v, Literal) and v.language == lang), "")


def _ref(term, base: str, names: dict[str, str]) -> Link | str:
    """A term as a link to where this server shows it, named by its English label."""
    if not isinstance(term, NamedNode):
        return term.value
    return Link(term.value, names.get(term.value) or curie(term.value), terms=True)


def _both(about: dict, *props: str) -> tuple[str, str]:
    """(Chinese, English) of the first of ``props`` that has them."""
    values = [v for p in props for v in about.get(p, [])]
    return _text(values, "zh"), _text(values, "en")


def _term(iri: str, about: dict, base: str, names: dict, items: list | None = None) -> dict:
    """What a term's section shows (template ``ontology.html``)."""
    facts = [(name, [_ref(v, base, names) for v in about[prop]]) for prop, name in FACTS
             if about.get(prop)]
    return {"anchor": iri[len(iris.BP):] if iri.startswith(iris.BP) else iri.rsplit("/", 1)[-1],
            "label": _both(about, RDFS + "label", SKOS + "prefLabel"), "curie": curie(iri),
            "comment": _both(about, RDFS + "comment", SKOS + "definition"), "facts": facts,
            "items": items}


FACTS = ((RDFS + "subClassOf", "上位类 subclass of"),
         (RDFS + "subPropertyOf", "上位属性 subproperty of"),
         (RDFS + "domain", "定义域 domain"), (RDFS + "range", "值域 range"),
         (OWL + "equivalentClass", "等价 equivalent"),
         (OWL + "equivalentProperty", "等价 equivalent"),
         (SKOS + "inScheme", "概念体系 scheme"), (SKOS + "broader", "上位 broader"))


def ontology_html(triples, base: str) -> str:
    idx = _index(triples)
    types = {s: {o.value for o in p.get(RDF + "type", [])} for s, p in idx.items()}
    names = {s: _both(p, RDFS + "label", SKOS + "prefLabel")[1] or curie(s) for s, p in idx.items()}

    def own(kind: str) -> list[str]:
        return sorted(s for s, t in types.items() if kind in t and s.startswith(iris.BP))
    classes, props = own(OWL + "Class"), own(OWL + "ObjectProperty") + own(OWL + "DatatypeProperty")
    by_domain = defaultdict(list)
    for p in props:
        for d in idx[p].get(RDFS + "domain", []):
            by_domain[d.value].append(p)
    concepts = defaultdict(list)
    for s, t in types.items():
        if SKOS + "Concept" in t:
            for sc in idx[s].get(SKOS + "inScheme", []):
                concepts[sc.value].append(s)
    onto = idx.get(iris.ONTOLOGY, {})
    return page("本体 ontology", render(
        "ontology.html", base, iri=iris.ONTOLOGY,
        version=_text(onto.get(OWL + "versionInfo", []), ""),
        description=_both(onto, DCT + "description"),
        toc=[(c[len(iris.BP):], names[c]) for c in classes],
        classes=[_term(c, idx[c], base, names,
                       [_ref(NamedNode(p), base, names) for p in sorted(by_domain[c])])
                 for c in classes],
        properties=[_term(p, idx[p], base, names) for p in sorted(props)],
        schemes=[_term(sc, idx[sc], base, names,
                       [(_ref(NamedNode(c), base, names),
                         _text(idx[c].get(SKOS + "prefLabel", []), "zh"))
                        for c in sorted(concepts[sc])])
                 for sc in sorted(s for s, t in types.items() if SKOS + "ConceptScheme" in t)]),
        "/ontology")


def _first(about: dict, prop: str) -> str:
    values = about.get(prop)
    return values[0].value if values else ""


def dataset_html(triples, base: str) -> str:
    idx = _index(triples)
    ds = idx.get(base + "dataset", {})

    def partitions(key: str, what: str, n: str) -> list:
        out = []
        for p in sorted(ds.get(VOID + key, []), key=str):
            about = idx[p.value]
            term = _ref(about[VOID + what][0], base, {}) if about.get(VOID + what) else ""
            out.append((term, _first(about, VOID + n)))
        return out
    figures = [(name, _first(ds, VOID + p)) for p, name in (
        ("triples", "三元组 triples"), ("distinctSubjects", "主体 subjects"),
        ("classes", "类 classes"), ("properties", "属性 properties"))]
    figures.append(("更新 modified", _first(ds, DCT + "modified")))
    return page("数据集 dataset", render(
        "dataset.html", base, description=_both(ds, DCT + "description"), figures=figures,
        keywords=[k.value for k in ds.get(DCAT + "keyword", [])],
        distributions=[(_first(idx[d.value], DCT + "title"),
                        _first(idx[d.value], DCAT + "accessURL"))
                       for d in ds.get(DCAT + "distribution", [])],
        graphs=[(local_href(g.value, base), relative(g.value, base),
                 _first(idx[g.value], VOID + "triples"))
                for g in sorted(ds.get(VOID + "subset", []), key=str)],
        classes=partitions("classPartition", "class", "entities"),
        properties=partitions("propertyPartition", "property", "triples")), "/dataset")


def _media(path: str, root: str, accept: str | None, fmt: str | None) -> str:
    """The representation asked for at ``root`` or ``root.ttl`` etc.; any other path
    under it is a 404."""
    bare, fixed = split_suffix(path)
    if bare != root:
        raise errors.not_found(f"no page at {path}; "
                               f"{root} has {', '.join(root + s for s in SUFFIXES)}")
    return fixed or negotiate(accept, PAGE_OFFERS, fmt)


def ontology_view(path: str, accept: str | None, base: str,
                  fmt: str | None = None) -> tuple[str, bytes]:
    media = _media(path, "/ontology", accept, fmt)
    return media, _ontology_body(media, base)


@functools.lru_cache(maxsize=16)
def _ontology_body(media: str, base: str) -> bytes:
    """The ontology in one format: it never changes while the server runs."""
    triples = ontology_triples()
    if media == "text/html":
        return ontology_html(triples, base).encode()
    return render_rdf(triples, media)


def dataset_view(store, path: str, accept: str | None, base: str, server: str,
                 fmt: str | None = None) -> tuple[str, bytes]:
    media = _media(path, "/dataset", accept, fmt)
    triples = dataset_triples(store, base, server)
    if media == "text/html":
        return media, dataset_html(triples, base).encode()
    return media, render_rdf(triples, media)
