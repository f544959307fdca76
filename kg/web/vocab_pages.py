"""The HTML of /ontology and /dataset: one section per class, property and concept
scheme with an anchor (``/ontology#Project``), labels and definitions in both
languages, links between terms; the dataset page shows its figures, distributions
and partitions.  Built from the same triples their RDF serves."""
from __future__ import annotations

import functools
import html
from collections import defaultdict

from pyoxigraph import Literal, NamedNode

from .. import iris
from . import errors
from .dataset import dataset_triples
from .linked import ontology_triples, render_rdf
from .media import PAGE_OFFERS, SUFFIXES, negotiate, split_suffix
from .parts import curie, local_href, relative
from .templates import page

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


def _ref(term, base: str, names: dict[str, str]) -> str:
    if not isinstance(term, NamedNode):
        return html.escape(term.value)
    shown = names.get(term.value) or curie(term.value)
    return f'<a href="{html.escape(local_href(term.value, base))}">{html.escape(shown)}</a>'


def _section(iri: str, about: dict, base: str, names: dict, extra: str = "") -> str:
    anchor = iri[len(iris.BP):] if iri.startswith(iris.BP) else iri.rsplit("/", 1)[-1]
    zh, en = _text(about.get(RDFS + "label", []) + about.get(SKOS + "prefLabel", []), "zh"), \
        _text(about.get(RDFS + "label", []) + about.get(SKOS + "prefLabel", []), "en")
    comment = "".join(f'<p lang="{lang}">{html.escape(_text(about.get(RDFS + "comment", []) + about.get(SKOS + "definition", []), lang))}</p>'
                      for lang in ("zh", "en") if _text(about.get(RDFS + "comment", []) + about.get(SKOS + "definition", []), lang))
    facts = []
    for prop, name in ((RDFS + "subClassOf", "上位类 subclass of"), (RDFS + "subPropertyOf", "上位属性 subproperty of"),
                       (RDFS + "domain", "定义域 domain"), (RDFS + "range", "值域 range"),
                       (OWL + "equivalentClass", "等价 equivalent"), (OWL + "equivalentProperty", "等价 equivalent"),
                       (SKOS + "inScheme", "概念体系 scheme"), (SKOS + "broader", "上位 broader")):
        if about.get(prop):
            facts.append(f"<tr><th>{name}</th><td>{', '.join(_ref(v, base, names) for v in about[prop])}</td></tr>")
    return (f'<section id="{html.escape(anchor)}"><h3>{html.escape(zh)} <span lang="en">{html.escape(en)}</span></h3>'
            f'<p><code>{html.escape(curie(iri))}</code> · <a href="#{html.escape(anchor)}">#</a></p>{comment}'
            f"{'<table>' + ''.join(facts) + '</table>' if facts else ''}{extra}</section>")


def ontology_html(triples, base: str) -> str:
    idx = _index(triples)
    types = {s: {o.value for o in p.get(RDF + "type", [])} for s, p in idx.items()}
    names = {s: _text(p.get(RDFS + "label", []) + p.get(SKOS + "prefLabel", []), "en") or curie(s)
             for s, p in idx.items()}
    own = lambda kind: sorted(s for s, t in types.items() if kind in t and s.startswith(iris.BP))
    classes, props = own(OWL + "Class"), own(OWL + "ObjectProperty") + own(OWL + "DatatypeProperty")
    by_domain = defaultdict(list)
    for p in props:
        for d in idx[p].get(RDFS + "domain", []):
            by_domain[d.value].append(p)
    onto = idx.get(iris.ONTOLOGY, {})
    head = "".join(f'<p lang="{lang}">{html.escape(_text(onto.get(DCT + "description", []), lang))}</p>'
                   for lang in ("zh", "en"))
    toc = ("<nav><h2>目录 contents</h2><p>" + " · ".join(
        f'<a href="#{html.escape(c[len(iris.BP):])}">{html.escape(names[c])}</a>' for c in classes) + "</p></nav>")
    class_sections = "".join(_section(c, idx[c], base, names, "".join(
        ["<p>属性 properties: " + ", ".join(_ref(NamedNode(p), base, names) for p in sorted(by_domain[c])) + "</p>"]
        if by_domain.get(c) else [])) for c in classes)
    prop_sections = "".join(_section(p, idx[p], base, names) for p in sorted(props))
    schemes = sorted(s for s, t in types.items() if SKOS + "ConceptScheme" in t)
    concepts = defaultdict(list)
    for s, t in types.items():
        if SKOS + "Concept" in t:
            for sc in idx[s].get(SKOS + "inScheme", []):
                concepts[sc.value].append(s)
    scheme_sections = "".join(_section(sc, idx[sc], base, names, "<ul>" + "".join(
        f"<li>{_ref(NamedNode(c), base, names)} {html.escape(_text(idx[c].get(SKOS + 'prefLabel', []), 'zh'))}</li>"
        for c in sorted(concepts[sc])) + "</ul>") for sc in schemes)
    version = _text(onto.get(OWL + "versionInfo", []), "") or ""
    return page("本体 ontology", f"<p><code>{iris.ONTOLOGY}</code> {html.escape(version)} · "
                f'<a href="/ontology.ttl">ttl</a> <a href="/ontology.rdf">rdf</a> <a href="/ontology.jsonld">jsonld</a></p>'
                f"{head}{toc}<h2>类 classes</h2>{class_sections}<h2>属性 properties</h2>{prop_sections}"
                f"<h2>概念体系 concept schemes</h2>{scheme_sections}", "/ontology")


def dataset_html(triples, base: str) -> str:
    idx = _index(triples)
    ds = idx.get(base + "dataset", {})
    first = lambda about, p: about.get(p, [None])[0]
    value = lambda t: "" if t is None else t.value
    desc = "".join(f'<p lang="{lang}">{html.escape(_text(ds.get(DCT + "description", []), lang))}</p>' for lang in ("zh", "en"))
    figures = "".join(f"<tr><th>{name}</th><td>{html.escape(value(first(ds, VOID + p)))}</td></tr>" for p, name in (
        ("triples", "三元组 triples"), ("distinctSubjects", "主体 subjects"), ("classes", "类 classes"),
        ("properties", "属性 properties")))
    figures += f"<tr><th>更新 modified</th><td>{html.escape(value(first(ds, DCT + 'modified')))}</td></tr>"
    keywords = ", ".join(html.escape(k.value) for k in ds.get(DCAT + "keyword", []))
    dists = "".join(f"<tr><td>{html.escape(value(first(idx[d.value], DCT + 'title')))}</td>"
                    f"<td><a href=\"{html.escape(value(first(idx[d.value], DCAT + 'accessURL')))}\">"
                    f"{html.escape(value(first(idx[d.value], DCAT + 'accessURL')))}</a></td></tr>"
                    for d in ds.get(DCAT + "distribution", []))
    graphs = "".join(f'<tr><td><a href="{html.escape(local_href(g.value, base))}">{html.escape(relative(g.value, base))}</a>'
                     f"</td><td>{html.escape(value(first(idx[g.value], VOID + 'triples')))}</td></tr>"
                     for g in sorted(ds.get(VOID + "subset", []), key=str))
    part = lambda key, what, n: "".join(
        f'<tr><td>{_ref(first(idx[p.value], VOID + what), base, {})}</td><td>{html.escape(value(first(idx[p.value], VOID + n)))}</td></tr>'
        for p in sorted(ds.get(VOID + key, []), key=str))
    return page("数据集 dataset", f"<p><code>{html.escape(base)}dataset</code> · <a href=\"/dataset.ttl\">ttl</a> "
                f'<a href="/dataset.rdf">rdf</a> <a href="/dataset.jsonld">jsonld</a></p>{desc}<p>关键词 keywords: {keywords}</p>'
                f'<section id="figures"><h2>数字 figures</h2><table>{figures}</table></section>'
                f'<section id="distributions"><h2>下载与查询 distributions</h2><table>{dists}</table></section>'
                f'<section id="graphs"><h2>命名图 named graphs</h2><table>{graphs}</table></section>'
                f'<section id="classes"><h2>类 classes</h2><table>{part("classPartition", "class", "entities")}</table></section>'
                f'<section id="properties"><h2>属性 properties</h2><table>{part("propertyPartition", "property", "triples")}</table></section>',
                "/dataset")


def _media(path: str, root: str, accept: str | None, fmt: str | None) -> str:
    """The representation asked for at ``root`` or ``root.ttl`` etc.; any other path
    under it is a 404."""
    bare, fixed = split_suffix(path)
    if bare != root:
        raise errors.not_found(f"no page at {path}; {root} has {', '.join(root + s for s in SUFFIXES)}")
    return fixed or negotiate(accept, PAGE_OFFERS, fmt)


def ontology_view(path: str, accept: str | None, base: str, fmt: str | None = None) -> tuple[str, bytes]:
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
