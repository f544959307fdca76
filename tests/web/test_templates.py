"""The pages come from Jinja2 templates: a value from the request or the data is
escaped, and a deployer's folder (setting ``templates``) replaces a packaged one."""
from __future__ import annotations

from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode

from kg import iris
from kg.store import open_store
from kg.web.app import Settings, create_app
from kg.web.sparql import Limits

SCRIPT = "<script>alert(1)</script>"


def _client(store=None) -> TestClient:
    return TestClient(create_app(store or open_store(None), Settings(Limits())))


def test_a_searched_value_with_a_script_is_escaped():
    r = _client().get("/search", params={"q": SCRIPT}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text and SCRIPT not in r.text


def test_a_label_with_a_script_is_escaped_in_search_results():
    store = open_store(None)
    project = NamedNode(iris.base() + "doc/x/project/1")
    graph = NamedNode(iris.base() + "graph/x")
    label = Literal("项目 " + SCRIPT)
    store.update(f"INSERT DATA {{ GRAPH {graph} {{ {project} a <{iris.BP}Project> ; "
                 f"<{iris.NS['rdfs']}label> {label} }} }}")
    r = _client(store).get("/search", params={"q": "项目"})
    assert 'href="/doc/x/project/1"' in r.text
    assert "项目 &lt;script&gt;" in r.text and SCRIPT not in r.text


def test_a_deployers_template_replaces_the_packaged_one(tmp_path, monkeypatch):
    (tmp_path / "search.html").write_text(
        '<p id="mine">{{ hits | length }} hits for the deployer</p>', encoding="utf-8")
    monkeypatch.setenv("KG_TEMPLATES", str(tmp_path))
    r = _client().get("/search", params={"q": SCRIPT})
    assert '<p id="mine">0 hits for the deployer</p>' in r.text
    assert "&lt;script&gt;" in r.text  # the packaged layout still escapes the title
    monkeypatch.delenv("KG_TEMPLATES")
    assert 'id="mine"' not in _client().get("/search", params={"q": "x"}).text
