"""The only place IRIs are minted.

Every IRI is a pure function of what was read, so rebuilding from the same inputs
gives the same IRIs, and the same directive cited in two documents is one IRI.  The
base is a setting (``KG_BASE``) so a portal can publish under its own domain; the
ontology and concept namespaces are fixed, they name the vocabulary, not the data.
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from . import config

BP = "https://w3id.org/bpkg/ontology#"
BPC = "https://w3id.org/bpkg/concept/"
ONTOLOGY = "https://w3id.org/bpkg/ontology"
CATALOG_GRAPH = "catalog"  # relative to the base: where import metadata lives

NS = {
    "bp": BP, "bpc": BPC,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "schema": "https://schema.org/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
}

# Chinese category keys of the normalisers → concept local names.
BASIS_CONCEPTS = {"计划标准": "basis-plan", "行业标准": "basis-industry",
                  "历史标准": "basis-history", "其他标准": "basis-other",
                  "政策文件": "basis-policy"}


def base(b: str | None = None) -> str:
    b = b or str(config.get("base"))
    return b if b.endswith(("/", "#")) else b + "/"


def _seg(text: str) -> str:
    """A path segment that keeps ASCII readable and percent-encodes the rest."""
    return quote(text, safe="-_.~")


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def document(doc_id: str, b: str | None = None) -> str:
    """A disclosure, named by its source file's stem (stable across re-imports).

    >>> document("000_ebdfb260618a708a", "http://x/")
    'http://x/doc/000_ebdfb260618a708a'
    """
    return f"{base(b)}doc/{_seg(doc_id)}"


def graph(doc_id: str, b: str | None = None) -> str:
    """The named graph holding everything read from one document."""
    return f"{base(b)}graph/{_seg(doc_id)}"


def catalog_graph(b: str | None = None) -> str:
    return base(b) + CATALOG_GRAPH


def source(doc_id: str, b: str | None = None) -> str:
    """The source text itself (what line spans point into)."""
    return f"{base(b)}source/{_seg(doc_id)}"


def span(doc_id: str, first: int, last: int, b: str | None = None) -> str:
    return f"{base(b)}source/{_seg(doc_id)}/L{first}-{last}"


def project(doc_id: str, index: int, b: str | None = None) -> str:
    return f"{base(b)}doc/{_seg(doc_id)}/project/{index}"


def part(parent: str, kind: str, *keys: object) -> str:
    """A resource inside another: ``…/project/3/indicator/2``."""
    return parent + "/" + "/".join([kind, *(_seg(str(k)) for k in keys)])


def unit(region: str | None, code: str | None, name: str, b: str | None = None) -> str:
    """A budget unit by region + code + name: 303001 names two different units in
    the samples, so the code alone cannot be the key.

    >>> unit("130605", "303001", "保定白沟新城改革发展科技局", "http://x/")
    'http://x/unit/130605/303001/4c46ef4271'
    """
    return f"{base(b)}unit/{region or 'unknown'}/{_seg(code or 'nocode')}/{_short_hash(name)}"


def government(region: str, b: str | None = None) -> str:
    return f"{base(b)}region/{_seg(region)}"


def directive(issuer_code: str, year: int, serial: int, b: str | None = None) -> str:
    """A directive by issuer code, year and serial: every spelling of 保财社【2025】87号
    is one IRI."""
    return f"{base(b)}directive/{_seg(issuer_code)}-{year}-{serial}"


def registry_graph(b: str | None = None) -> str:
    """The named graph of the issuer registry (agencies and their code prefixes);
    not under graph/, which holds one graph per document."""
    return f"{base(b)}registry/issuers"


def shared_graph(b: str | None = None) -> str:
    """The named graph of what every document says alike about a shared node (a
    directive's code, year and serial; a unit's name and code; a policy's, series' or
    fund type's key): each such triple is stored once, not once per citing document,
    so queries over the union of graphs see it once.  Not under graph/."""
    return f"{base(b)}shared/nodes"


def agency(prefix: str, b: str | None = None) -> str:
    """An issuing agency, by its registry code prefix (保财 → 保定市财政局).

    >>> agency("保财", "http://x/")
    'http://x/agency/%E4%BF%9D%E8%B4%A2'
    """
    return f"{base(b)}agency/{_seg(prefix)}"


def policy(title_key: str, b: str | None = None) -> str:
    """A policy known by its title (normalised by ``domain.names.title_key``): one
    IRI however the title was printed, with or without a document number."""
    return f"{base(b)}policy/{_short_hash(title_key)}"


def series(unit_iri: str, project_key: str, b: str | None = None) -> str:
    """One unit's project across years and documents: unit + normalised name."""
    return f"{base(b)}series/{_short_hash(unit_iri + '|' + project_key)}"


def fund_type(project_key: str, b: str | None = None) -> str:
    """What the money is for, across units (办公经费, 劳务派遣经费…)."""
    return f"{base(b)}fund/{_short_hash(project_key)}"


def shared_text(text_key: str, b: str | None = None) -> str:
    """A goal text, so the same goal printed in two documents is one resource."""
    return f"{base(b)}text/{_short_hash(text_key)}"
