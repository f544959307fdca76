"""The Graph Store Protocol's edges on a live writable server with a fresh store per
test: the token, atomic replacement, size and type limits, 404, HEAD, Location,
content negotiation, and the graphs kg build owns."""
from __future__ import annotations

import threading

import httpx
import pytest
import rdflib
from pyoxigraph import NamedNode, Quad
from rdflib.compare import isomorphic

from kg import iris
from kg.store import open_store
from kg.web.app import Settings, create_app
from kg.web.sparql import Limits
from tests.support.live import WRITE_TOKEN

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}"}
TTL = {"Content-Type": "text/turtle", **AUTH}
G = "http://example.org/g/1"
ONE = b'<http://example.org/a> <http://example.org/p> "one" .'
TWO = b'<http://example.org/b> <http://example.org/p> "two" .'


def service(server) -> str:
    return server.url + "/rdf-graphs/service"


def get(server, graph: str = G, **headers) -> httpx.Response:
    return httpx.get(service(server), params={"graph": graph}, headers=headers)


def ask(server, query: str) -> bool:
    r = httpx.get(server.url + "/sparql", params={"query": query},
                  headers={"Accept": "application/sparql-results+json"})
    return r.json()["boolean"]


def test_writes_need_the_token(writable):
    server, _ = writable
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": WRITE_TOKEN}):
        r = httpx.put(service(server), params={"graph": G}, content=ONE,
                      headers={"Content-Type": "text/turtle", **headers})
        assert r.status_code == 403 and "Authorization: Bearer" in r.json()["message"]
        r = httpx.post(server.url + "/sparql", content=b"CLEAR ALL",
                       headers={"Content-Type": "application/sparql-update", **headers})
        assert r.status_code == 403
    assert get(server).status_code == 404  # nothing was written
    assert httpx.put(service(server), params={"graph": G}, content=ONE,
                     headers=TTL).status_code == 201


def test_put_creates_then_replaces_and_reads_are_public(writable):
    server, _ = writable
    assert httpx.put(service(server), params={"graph": G}, content=ONE,
                     headers=TTL).status_code == 201
    assert httpx.put(service(server), params={"graph": G}, content=TWO,
                     headers=TTL).status_code == 204
    r = get(server, Accept="application/n-triples")
    assert (r.status_code == 200
            and r.headers["content-type"] == "application/n-triples; charset=utf-8")
    assert '"two"' in r.text and '"one"' not in r.text


def test_a_bad_body_leaves_the_old_graph_intact(writable):
    server, _ = writable
    httpx.put(service(server), params={"graph": G}, content=ONE + b"\n" + TWO, headers=TTL)
    before = get(server).text
    bad = TWO + b"\n<http://example.org/c> <http://example.org/p> ."  # a triple without object
    r = httpx.put(service(server), params={"graph": G}, content=bad, headers=TTL)
    assert r.status_code == 400 and "not valid Turtle" in r.json()["message"]
    multipart = (b"--b\r\nContent-Type: text/turtle\r\n\r\n" + ONE + b"\r\n"
                 b"--b\r\nContent-Type: text/turtle\r\n\r\n<oops\r\n--b--\r\n")
    r = httpx.post(service(server), params={"graph": G}, content=multipart,
                   headers={"Content-Type": "multipart/form-data; boundary=b", **AUTH})
    assert r.status_code == 400
    assert get(server).text == before


def test_readers_never_see_half_a_replaced_graph(writable):
    """A reader counting the graph while it is replaced again and again sees either
    the whole old version or the whole new one."""
    server, _ = writable
    n = 500
    versions = [b"\n".join(b'<http://example.org/s%d> <http://example.org/p> "v%d" .' % (i, v)
                           for i in range(n)) for v in (1, 2)]
    httpx.put(service(server), params={"graph": G}, content=versions[0], headers=TTL)
    seen, done = set(), threading.Event()
    query = ("SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?o) AS ?d) (MIN(STR(?o)) AS ?v) "
             f"WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")

    def read():
        with httpx.Client() as client:
            while not done.is_set():
                r = client.get(server.url + "/sparql", params={"query": query},
                               headers={"Accept": "text/csv"})
                seen.add(r.text.splitlines()[1])

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for k in range(40):
            r = httpx.put(service(server), params={"graph": G}, content=versions[(k + 1) % 2],
                          headers=TTL)
            assert r.status_code == 204
            if k >= 6 and len(seen) >= 2:
                break
    finally:
        done.set()
        reader.join(10)
    assert seen == {f"{n},1,v1", f"{n},1,v2"}  # both versions seen, never a mix or a gap


def test_limits_413_415(writable):
    server, _ = writable
    big = b"#" + b"x" * (64 * 1024)
    r = httpx.put(service(server), params={"graph": G}, content=big, headers=TTL)
    assert r.status_code == 413
    for ctype in ("text/csv", "application/trig", "", "text/turtle; charset=iso-8859-1"):
        r = httpx.put(service(server), params={"graph": G}, content=ONE,
                      headers={"Content-Type": ctype, **AUTH} if ctype else AUTH)
        assert r.status_code == 415 and r.json()["message"], ctype
    assert get(server).status_code == 404


def test_404_head_and_delete(writable):
    server, _ = writable
    assert get(server).status_code == 404
    assert httpx.head(service(server), params={"graph": G}).status_code == 404
    assert httpx.delete(service(server), params={"graph": G}, headers=AUTH).status_code == 404
    httpx.put(service(server), params={"graph": G}, content=ONE, headers=TTL)
    full = get(server, Accept="text/turtle")
    head = httpx.head(service(server), params={"graph": G}, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "text/turtle; charset=utf-8"
    assert head.headers["content-length"] == str(len(full.content))
    assert httpx.delete(service(server), params={"graph": G}, headers=AUTH).status_code == 204
    assert get(server).status_code == 404


def test_post_to_the_service_creates_a_graph_named_by_its_location(writable):
    server, _ = writable
    r = httpx.post(service(server), content=ONE, headers=TTL)
    assert r.status_code == 201
    location = r.headers["location"]
    assert location.startswith(server.url + "/rdf-graphs/") and location != service(server)
    direct = httpx.get(location, headers={"Accept": "text/turtle"})
    assert direct.status_code == 200 and '"one"' in direct.text
    assert ask(server, f'ASK {{ GRAPH <{location}> {{ ?s ?p "one" }} }}')
    assert httpx.post(location, content=TWO, headers=TTL).status_code == 204  # merge
    assert '"one"' in get(server, location).text and '"two"' in get(server, location).text


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")  # rdflib's JSON-LD parser
def test_every_rdf_format_in_and_out(writable):
    server, _ = writable
    jsonld = b'{"@id": "http://example.org/a", "http://example.org/p": "one"}'
    rdfxml = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
              b'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
              b'<ex:p>one</ex:p></rdf:Description></rdf:RDF>')
    want = rdflib.Graph().parse(data=ONE, format="nt")
    for ctype, body in [("application/ld+json", jsonld), ("application/rdf+xml", rdfxml),
                        ("application/n-triples", ONE), ("text/turtle", ONE)]:
        r = httpx.put(service(server), params={"graph": G}, content=body,
                      headers={"Content-Type": ctype, **AUTH})
        assert r.status_code in (201, 204), (ctype, r.text)
        for accept, fmt in [("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
                            ("application/n-triples", "nt"), ("text/turtle", "turtle")]:
            r = get(server, Accept=accept)
            assert r.headers["content-type"].startswith(accept)
            assert isomorphic(rdflib.Graph().parse(data=r.content, format=fmt), want)
    assert get(server, Accept="text/csv").status_code == 406


def test_json_ld_named_graphs_and_remote_contexts_are_refused(writable):
    server, _ = writable
    for body in (b'{"@id": "http://example.org/g", "@graph": [{"@id": "http://example.org/a", '
                 b'"http://example.org/p": "one"}]}',
                 b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/a"}'):
        r = httpx.put(service(server), params={"graph": G}, content=body,
                      headers={"Content-Type": "application/ld+json", **AUTH})
        assert r.status_code == 400, r.text


def test_the_default_graph(writable):
    server, _ = writable
    r = httpx.put(service(server), params={"default": ""}, content=ONE, headers=TTL)
    assert r.status_code == 204  # the default graph always exists
    assert '"one"' in httpx.get(service(server) + "?default").text
    assert ask(server, 'ASK { ?s ?p "one" }')  # queries see it in the union
    assert httpx.delete(service(server) + "?default", headers=AUTH).status_code == 204
    assert httpx.get(service(server) + "?default").status_code == 200


@pytest.mark.parametrize("query, status", [
    ("?graph=http://x/a&default", 400), ("?graph=http://x/a&graph=http://x/b", 400),
    ("?graph=not%20an%20iri", 400), ("", 400)])
def test_graph_naming_errors(writable, query, status):
    server, _ = writable
    assert httpx.get(service(server) + query).status_code == status
    assert httpx.put(service(server) + query, content=ONE, headers=TTL).status_code == status


def test_graphs_kg_build_owns_are_refused(writable):
    server, store = writable
    base = iris.base()
    catalog = iris.catalog_graph()
    marker = Quad(NamedNode(iris.graph("000_x")), NamedNode(iris.BP + "contentHash"),
                  NamedNode("http://example.org/hash"), NamedNode(catalog))
    store.store.add(marker)
    for graph in (catalog, iris.graph("000_x"), base + "validation/000_x", iris.ONTOLOGY):
        for method in ("PUT", "POST", "DELETE"):
            r = httpx.request(method, service(server), params={"graph": graph}, content=ONE,
                              headers=TTL)
            assert r.status_code == 403 and "kg build" in r.json()["message"], (graph, method)
    assert list(store.store.quads_for_pattern(None, None, None, NamedNode(catalog))) == [marker]
    assert get(server, catalog).status_code == 200  # reading is fine


def test_a_read_only_store_refuses_writes_even_with_the_token(switch_server, tmp_path):
    del open_store(tmp_path / "s").store  # create it, then close it
    switch_server.switch.app = create_app(open_store(tmp_path / "s", read_only=True),
                                          Settings(Limits(), write_token=WRITE_TOKEN))
    r = httpx.put(service(switch_server), params={"graph": G}, content=ONE, headers=TTL)
    assert r.status_code == 403 and "single worker" in r.json()["message"]


def test_kg_serve_writable_needs_one_worker(monkeypatch, tmp_path, capsys):
    from kg import cli
    monkeypatch.setenv("KG_WRITE_TOKEN", WRITE_TOKEN)
    assert cli.main(["serve", "--store", str(tmp_path), "--workers", "2"]) == 2
    assert "--workers 1" in capsys.readouterr().err


def test_kg_serve_with_a_token_opens_the_store_for_writing(tmp_path):
    """The real command: without a token it opens the store read-only, with one it
    accepts writes."""
    from tests.servers import kg_serve
    del open_store(tmp_path / "s").store
    with kg_serve(str(tmp_path / "s"), WRITE_TOKEN) as (base, proc):
        url = base + "/rdf-graphs/service"
        assert httpx.put(url, params={"graph": G}, content=ONE, headers=TTL).status_code == 201
        assert '"one"' in httpx.get(url, params={"graph": G}).text
    assert b"writable with the write token" in proc.stderr.read()


def test_multipart_parts_typed_by_header_or_file_name():
    from kg.web.errors import HTTPProblem
    from kg.web.graphstore import parse_payload
    body = (b'--b\r\nContent-Disposition: form-data; name="a"; filename="a.ttl"\r\n\r\n' + ONE
            + b"\r\n"
            b'--b\r\nContent-Type: application/n-triples\r\n\r\n' + TWO + b"\r\n--b--\r\n")
    triples = parse_payload("multipart/form-data; boundary=b", body, None)
    assert sorted(t.object.value for t in triples) == ["one", "two"]
    with pytest.raises(HTTPProblem) as e:
        parse_payload("multipart/form-data; boundary=b", body.replace(b"a.ttl", b"a.trig"), None)
    assert e.value.status == 415 and "a.trig" in e.value.detail
