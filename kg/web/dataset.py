"""The dataset description at /dataset: DCAT-AP (a catalog, the dataset, its
publisher, a distribution per dump and one for the SPARQL endpoint, the endpoint as
a data service) and VoID (figures, class and property partitions, vocabularies, one
subset per named graph).  Every figure is counted by the engine over the store; the
description is computed once per store version.  Secondary resources are hash IRIs
of the dataset document (``…/dataset#catalog``), so they dereference to it."""
from __future__ import annotations

import threading

from pyoxigraph import Literal, NamedNode, Triple

from .. import iris
from ..store import Store

DCAT, DCT, VOID = iris.NS["dcat"], iris.NS["dcterms"], iris.NS["void"]
FOAF, XSD, RDF = "http://xmlns.com/foaf/0.1/", iris.NS["xsd"], iris.NS["rdf"]
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
TITLE = {"zh": "预算绩效目标公开知识图谱", "en": "Budget performance disclosures knowledge graph"}
DESCRIPTION = {
    "zh": "从各级预算单位公开的项目支出绩效目标表读取的知识图谱：预算单位、项目、资金、"
          "绩效目标、指标及其依据的文件（文号），每个事实都可追溯到原文的行。",
    "en": "Knowledge graph read from the project performance-target tables that Chinese budget "
          "units publish: units, projects, funds, goals, indicators and the directives they "
          "cite, each fact traced to the lines of the source document."}
KEYWORDS = {"zh": ["预算绩效", "绩效目标", "绩效指标", "预算公开", "财政资金"],
            "en": ["budget performance", "performance targets", "performance indicators",
                   "budget disclosure", "public finance"]}
DUMPS = {"dump.nq": ("application/n-quads", "RDF_N_QUADS", "N-Quads, every named graph"),
         "dump.ttl": ("text/turtle", "RDF_TURTLE", "Turtle, the union of the graphs")}

FIGURES = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
  (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"""
CLASSES = """SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } }
GROUP BY ?c ORDER BY ?c"""
PROPERTIES = """SELECT ?p (COUNT(*) AS ?n) WHERE {
  SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }
GROUP BY ?p ORDER BY ?p"""
GRAPHS = """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"""
MODIFIED = f"SELECT (MAX(?t) AS ?modified) WHERE {{ ?g <{iris.NS['prov']}generatedAtTime> ?t }}"
YEARS = f"SELECT (MIN(?y) AS ?first) (MAX(?y) AS ?last) WHERE {{ ?d <{iris.BP}fiscalYear> ?y }}"
REGIONS = f"SELECT DISTINCT ?r WHERE {{ ?r a <{iris.BP}Government> }} ORDER BY ?r"

_cache: dict[tuple, list[Triple]] = {}
_lock = threading.Lock()


def _rows(store: Store, query: str) -> list[dict]:
    res = store.query(query)
    names = [v.value for v in res.variables]
    return [{n: s[n] for n in names} for s in res]


def _n(value) -> Literal:
    return Literal(str(int(value.value if hasattr(value, "value") else value)),
                   datatype=NamedNode(XSD + "integer"))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def dataset_triples(store: Store, base: str, server: str) -> list[Triple]:
    """The description; ``server`` is this server's URL (downloads, endpoint)."""
    key = (id(store), store.version if store.capabilities.versioned and store.version else None,
           base, server)
    with _lock:
        if key[1] is not None and key in _cache:
            return _cache[key]
    triples = [Triple(*t) for t in _describe(store, base, server)]
    with _lock:
        if key[1] is not None:
            _cache.clear()
            _cache[key] = triples
    return triples


def _describe(store: Store, base: str, server: str):
    N, L = NamedNode, Literal
    ds, doc = N(base + "dataset"), base + "dataset#"
    catalog, publisher = N(doc + "catalog"), N(doc + "publisher")
    service = N(doc + "sparql-service")
    a = N(RDF + "type")
    yield from _catalog(catalog, ds, publisher, service, server)
    yield from [(ds, a, N(DCAT + "Dataset")), (ds, a, N(VOID + "Dataset")),
                (ds, N(DCT + "publisher"), publisher), (ds, N(DCT + "license"), N(LICENSE)),
                (ds, N(DCT + "language"), N(EU + "language/ZHO")),
                (ds, N(DCAT + "theme"), N(EU + "data-theme/GOVE")),
                (ds, N(DCAT + "theme"), N(EU + "data-theme/ECON")),
                (ds, N(DCAT + "landingPage"), N(server + "/")),
                (ds, N(VOID + "sparqlEndpoint"), N(server + "/sparql")),
                (ds, N(VOID + "uriSpace"), L(base)),
                (ds, N(VOID + "vocabulary"), N(iris.BP)), (ds, N(VOID + "vocabulary"), N(iris.BPC))]
    for lang in ("zh", "en"):
        yield ds, N(DCT + "title"), L(TITLE[lang], language=lang)
        yield ds, N(DCT + "description"), L(DESCRIPTION[lang], language=lang)
        yield from ((ds, N(DCAT + "keyword"), L(k, language=lang)) for k in KEYWORDS[lang])
    yield from _when_and_where(store, ds, doc)
    yield from _distributions(ds, doc, service, server)
    yield from _void(store, ds, doc, base)


def _catalog(catalog, ds, publisher, service, server):
    N, L, a = NamedNode, Literal, NamedNode(RDF + "type")
    yield from [(catalog, a, N(DCAT + "Catalog")), (catalog, N(DCAT + "dataset"), ds),
                (catalog, N(DCAT + "service"), service), (catalog, N(DCT + "publisher"), publisher),
                (catalog, N(DCT + "license"), N(LICENSE)),
                (catalog, N(DCT + "language"), N(EU + "language/ZHO")),
                (catalog, N(FOAF + "homepage"), N(server + "/")),
                (publisher, a, N(FOAF + "Agent")),
                (N(LICENSE), a, N(DCT + "LicenseDocument")),
                (N(EU + "language/ZHO"), a, N(DCT + "LinguisticSystem"))]
    for lang in ("zh", "en"):
        title = TITLE[lang] + (" 目录" if lang == "zh" else " catalog")
        yield catalog, N(DCT + "title"), L(title, language=lang)
        yield catalog, N(DCT + "description"), L(DESCRIPTION[lang], language=lang)
    yield publisher, N(FOAF + "name"), L("预算绩效目标公开知识图谱项目", language="zh")
    yield publisher, N(FOAF + "name"), L("Budget performance knowledge graph project (kg)",
                                         language="en")


def _when_and_where(store: Store, ds, doc: str):
    N, L, a = NamedNode, Literal, NamedNode(RDF + "type")
    when = {**(_rows(store, MODIFIED) or [{}])[0], **(_rows(store, YEARS) or [{}])[0]}
    if when.get("modified") is not None:  # the last time a document was (re)loaded
        yield ds, N(DCT + "modified"), L(when["modified"].value, datatype=N(XSD + "dateTime"))
    if when.get("first") is not None:
        period = N(doc + "period")
        yield from [(ds, N(DCT + "temporal"), period), (period, a, N(DCT + "PeriodOfTime")),
                    (period, N(DCAT + "startDate"),
                     L(f"{int(when['first'].value)}-01-01", datatype=N(XSD + "date"))),
                    (period, N(DCAT + "endDate"),
                     L(f"{int(when['last'].value)}-12-31", datatype=N(XSD + "date")))]
    china = N(EU + "country/CHN")
    yield from [(ds, N(DCT + "spatial"), china), (china, a, N(DCT + "Location"))]
    for r in _rows(store, REGIONS):  # the governments whose units published
        yield from [(ds, N(DCT + "spatial"), r["r"]), (r["r"], a, N(DCT + "Location"))]


def _distributions(ds, doc: str, service, server: str):
    N, L, a = NamedNode, Literal, NamedNode(RDF + "type")
    for name, (media, filetype, title) in DUMPS.items():
        d, url = N(doc + name.replace(".", "-")), N(f"{server}/dumps/{name}")
        yield from [(ds, N(DCAT + "distribution"), d), (d, a, N(DCAT + "Distribution")),
                    (d, N(DCAT + "accessURL"), url), (d, N(DCAT + "downloadURL"), url),
                    (d, N(DCAT + "mediaType"), N(IANA + media)),
                    (N(IANA + media), a, N(DCT + "MediaType")),
                    (d, N(DCT + "format"), N(EU + "file-type/" + filetype)),
                    (d, N(DCT + "license"), N(LICENSE)),
                    (d, N(DCT + "title"), L(title, language="en")),
                    (ds, N(VOID + "dataDump"), url)]
    sparql = N(doc + "sparql")
    yield from [(ds, N(DCAT + "distribution"), sparql), (sparql, a, N(DCAT + "Distribution")),
                (sparql, N(DCAT + "accessURL"), N(server + "/sparql")),
                (sparql, N(DCAT + "accessService"), service),
                (sparql, N(DCT + "license"), N(LICENSE)),
                (sparql, N(DCT + "title"), L("SPARQL 1.1 endpoint", language="en")),
                (service, a, N(DCAT + "DataService")),
                (service, N(DCAT + "endpointURL"), N(server + "/sparql")),
                (service, N(DCAT + "endpointDescription"), N(server + "/sparql")),
                (service, N(DCAT + "servesDataset"), ds), (service, N(DCT + "license"), N(LICENSE)),
                (service, N(DCT + "conformsTo"), N("https://www.w3.org/TR/sparql11-protocol/")),
                (service, N(DCT + "title"), L("SPARQL 1.1 Protocol endpoint", language="en"))]


def _void(store: Store, ds, doc: str, base: str):
    N, a = NamedNode, NamedNode(RDF + "type")
    f = _rows(store, FIGURES)[0]
    yield from [(ds, N(VOID + "triples"), _n(f["triples"])),
                (ds, N(VOID + "distinctSubjects"), _n(f["subjects"])),
                (ds, N(VOID + "properties"), _n(f["properties"])),
                (ds, N(VOID + "distinctObjects"), _n(f["objects"]))]
    classes = _rows(store, CLASSES)
    yield ds, N(VOID + "classes"), _n(len(classes))
    vocabularies = set()
    for r in classes:
        part = N(doc + "class-" + _local(r["c"].value))
        vocabularies.add(_namespace(r["c"].value))
        yield from [(ds, N(VOID + "classPartition"), part), (part, N(VOID + "class"), r["c"]),
                    (part, N(VOID + "entities"), _n(r["n"]))]
    for r in _rows(store, PROPERTIES):
        part = N(doc + "property-" + _namespace_prefix(r["p"].value) + _local(r["p"].value))
        vocabularies.add(_namespace(r["p"].value))
        yield from [(ds, N(VOID + "propertyPartition"), part), (part, N(VOID + "property"), r["p"]),
                    (part, N(VOID + "triples"), _n(r["n"]))]
    yield from ((ds, N(VOID + "vocabulary"), N(v)) for v in sorted(vocabularies) if v)
    for r in _rows(store, GRAPHS):
        g = r["g"]
        yield from [(ds, N(VOID + "subset"), g), (g, a, N(VOID + "Dataset")),
                    (g, N(VOID + "triples"), _n(r["n"])),
                    (g, N(VOID + "inDataset"), ds)]
        if g.value.startswith(base + "graph/"):
            source = N(g.value.replace(base + "graph/", base + "doc/", 1))
            yield g, N(DCT + "source"), source
            yield ds, N(VOID + "exampleResource"), source


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1] if cut > 0 else ""


def _namespace_prefix(iri: str) -> str:
    ns = _namespace(iri)
    return next((p + "-" for p, v in iris.NS.items() if v == ns), "")
