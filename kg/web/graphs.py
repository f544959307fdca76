"""Named graphs as linked data: ``/graph/<doc>`` (what was read from one document),
``/validation/<doc>`` (its SHACL report, once loaded), ``/catalog`` (import
metadata), ``/shared/nodes`` and ``/registry/issuers``.  Their RDF is the graph's
content (the Graph Store Protocol at /rdf-graphs/ serves the same for writing
clients); their HTML page says what the graph is and lists its subjects."""
from __future__ import annotations

import html
from urllib.parse import quote

from pyoxigraph import NamedNode, Triple

from ..store import Store
from . import errors
from .linked import IN_DATASET, render_rdf
from .media import PAGE_OFFERS, negotiate, split_suffix
from .parts import label, local_href, relative
from .templates import page

#: local paths of named graphs: prefixes (one graph per document) and single graphs
PREFIXES = ("/graph/", "/validation/")
SINGLE = ("/catalog", "/shared/nodes", "/registry/issuers")
KIND = {"/graph/": "文件图 document graph: everything read from one document",
        "/validation/": "校验报告 validation report of one document (SHACL)",
        "/catalog": "导入目录 import catalog: one entry per document graph",
        "/shared/nodes": "共享节点 shared nodes: what every document says alike about a directive, unit, policy…",
        "/registry/issuers": "发文机关登记 issuer registry: agencies and their code prefixes"}
MAX_SUBJECTS = 300


def is_graph_path(path: str) -> bool:
    path = split_suffix(path)[0]
    return path in SINGLE or any(path.startswith(p) and len(path) > len(p) for p in PREFIXES)


def graph_view(store: Store, path: str, accept: str | None, base: str,
               fmt: str | None = None) -> tuple[str, bytes]:
    """(media type, body) of the named graph at a local path."""
    path, fixed = split_suffix(path)
    iri = base + path.lstrip("/")
    if not store.has_graph(iri):
        raise errors.not_found(f"there is no named graph <{iri}>")
    media = fixed or negotiate(accept, PAGE_OFFERS, fmt)
    triples = store.graph_triples(iri)
    if media != "text/html":
        return media, render_rdf(triples + [Triple(NamedNode(iri), IN_DATASET, NamedNode(base + "dataset"))], media)
    return media, _html(store, iri, path, triples, base).encode()


def _html(store: Store, iri: str, path: str, triples: list[Triple], base: str) -> str:
    kind = next((v for k, v in KIND.items() if path == k or (k.endswith("/") and path.startswith(k))), "")
    subjects = sorted({t.subject for t in triples if isinstance(t.subject, NamedNode)}, key=str)
    rows = "".join(f'<tr><td><a href="{html.escape(local_href(s.value, base))}">{html.escape(label(store, s))}</a>'
                   f"</td><td><code>{html.escape(relative(s.value, base))}"
                   "</code></td></tr>" for s in subjects[:MAX_SUBJECTS])
    if len(subjects) > MAX_SUBJECTS:
        ask = quote(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        rows += (f"<tr><td colspan=2>… {len(subjects) - MAX_SUBJECTS} more: "
                 f'<a href="/query?query={ask}">query them all</a></td></tr>')
    formats = " ".join(f'<a href="{html.escape(path)}{s}">{s[1:]}</a>' for s in (".ttl", ".jsonld", ".nt", ".rdf"))
    about = ""
    if path.startswith(PREFIXES):
        doc = path.split("/", 2)[2]
        about = (f' · 文件 document: <a href="/doc/{html.escape(doc)}">{html.escape(doc)}</a>'
                 f' · <a href="/graph/{html.escape(doc)}">graph</a> · <a href="/validation/{html.escape(doc)}">validation</a>')
    return page(f"命名图 named graph: {path.lstrip('/')}",
                f"<p><code>{html.escape(iri)}</code> · {formats}{about} · "
                f'<a href="/dataset">数据集 dataset</a></p><p>{html.escape(kind)}</p>'
                f"<p>{len(triples)} 三元组 triples, {len(subjects)} 主体 subjects</p>"
                f"<h2>主体 subjects</h2><table>{rows}</table>", path)
