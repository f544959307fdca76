"""Named query parameters on a store built with `kg build --base`: a goal as printed
is bound to the text resource minted under the store's own base, so `kg query` and
the server's /queries/ find it without the setting."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.store import open_store
from kg.web.app import Settings, create_app
from kg.web.sparql import Limits
from tests.support.samples import DATA, sample, sample_lines

BASE = "http://example.org/budget/"
KG = [str(Path(sys.executable).with_name("kg"))]  # the installed CLI


def kg(*args: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "KG_BASE"}
    return subprocess.run(KG + list(args), capture_output=True, text=True, env=environ,
                          timeout=300)


@pytest.fixture(scope="module")
def based_store(tmp_path_factory) -> Path:
    """data/ built with `kg build --base BASE`: the store's folder."""
    folder = tmp_path_factory.mktemp("based-data") / "store"
    r = kg("build", str(DATA), "--store", str(folder), "--base", BASE, "-q")
    assert r.returncode == 0, r.stderr
    return folder


def goal_places() -> dict[str, tuple[int, str]]:
    """data/000 line 28 and data/001 line 127 print one goal (目标13 / 目标10, the one
    ending 行政审批取消下放率): {sample: (line number, line)}."""
    places = {p: next((i + 1, line) for i, line in enumerate(sample_lines(p))
                      if line.startswith("目标") and "行政审批取消下放率" in line)
              for p in ("000", "001")}
    assert [n for n, _ in places.values()] == [28, 127]
    return places


def check_rows(got: list[dict[str, str]], places: dict[str, tuple[int, str]]) -> None:
    assert [(r["document"], r["line"]) for r in got] == \
        [(f"{BASE}doc/{sample(p).stem}", str(n)) for p, (n, _) in places.items()]
    assert all(r["printed"] == line.split("：", 1)[1] for r, (_, line) in
               zip(got, places.values(), strict=True))
    assert len({r["text"] for r in got}) == 1 and got[0]["text"].startswith(BASE + "text/")


def test_kg_query_finds_a_goal_as_printed_in_a_store_built_with_base(based_store):
    places = goal_places()
    goal = places["000"][1].split("：", 1)[1]
    r = kg("query", "goal-places", "--param", f"text={goal}", "--format", "csv",
           "--store", str(based_store))
    assert r.returncode == 0, r.stderr
    check_rows(list(csv.DictReader(io.StringIO(r.stdout))), places)


def test_the_server_finds_a_goal_as_printed_in_a_store_built_with_base(based_store):
    places = goal_places()
    goal = places["000"][1].split("：", 1)[1]
    client = TestClient(create_app(open_store(based_store, read_only=True),
                                   Settings(Limits())))
    r = client.get("/queries/goal-places", params={"text": goal, "format": "csv"})
    assert r.status_code == 200, r.text
    check_rows(list(csv.DictReader(io.StringIO(r.text))), places)
