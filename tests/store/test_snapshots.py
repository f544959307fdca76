"""Report snapshots (kg/store/snapshots.py) on the real store built from data/: a
whole-graph report is answered from the answer kept for the store's version, with
the same rows as computed live; any write makes it stale; a reader opened before a
write never answers from a newer version; a real `kg serve` in writable mode serves
the new answer after an update and keeps it again."""
from __future__ import annotations

import csv
import gc
import io
import time
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest

from kg import iris
from kg.pipeline import build
from kg.queries import catalog
from kg.results import render, run
from kg.store import open_store
from kg.store.querytext import bind_values
from kg.store.snapshots import query_key
from tests.servers import kg_serve
from tests.support.samples import DATA

REPORTS = sorted(q.name for q in catalog().values() if q.snapshot)
LINEAGE = sorted((q.name, q.partition) for q in catalog().values() if q.partition)
D002 = iris.document("002_d83939c0e0da9114")
BP = iris.BP
# data/002: funds named 中央 from 2025 are projects 1 (6.16, line 41), 4 (0.56, line 308),
# 5 (10.40, line 397), 24 (1.89, line 2220) and 29 (59.30, line 2672)
CENTRAL_2025 = Decimal("6.16") + Decimal("0.56") + Decimal("10.40") + Decimal("1.89") + \
    Decimal("59.30")
# an update that removes project 29's budget (59.30, line 2672)
DROP_29 = (f"DELETE {{ GRAPH ?g {{ ?b <{BP}amountWanYuan> ?a }} }} WHERE {{ GRAPH ?g {{ "
           f"<{D002}/project/29> <{BP}budget> ?b . ?b <{BP}amountWanYuan> ?a }} }}")


def rows(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(render(result, "csv").decode())))


def live(store, name: str) -> list[dict]:
    """The report evaluated by the engine itself, never from a snapshot."""
    return rows(store.store.query(catalog()[name].text, use_default_graph_as_union=True))


def live_bound(store, name: str, params: dict) -> list[dict]:
    """A lineage query evaluated by the engine with its parameter bound."""
    q = catalog()[name]
    return rows(store.store.query(bind_values(q.text, q.bindings(params)),
                                  use_default_graph_as_union=True))


def central_2025(got: list[dict]) -> tuple[str, Decimal]:
    (r,) = [r for r in got if r["level"] == "central" and r["year"] == "2025"]
    return r["budgetsPrinted"], Decimal(r["budget"])


def snapshot_files(folder, version: str) -> set[str]:
    """The whole-graph reports' snapshots (not the lineage tables)."""
    return {p.name for p in (folder / "kg-snapshots").glob(f"{version}-*.tsv")
            if "-by-" not in p.name}


def lineage_files(folder, version: str) -> set[str]:
    return {p.name for p in (folder / "kg-snapshots").glob(f"{version}-*-by-*")}


@pytest.fixture()
def built(tmp_path):
    store = open_store(tmp_path / "st")
    report = build([DATA], store, workers=1)
    return store, tmp_path / "st", report


def test_a_build_keeps_every_report_and_serves_the_same_rows(built):
    store, folder, report = built
    assert REPORTS and sorted(n for n, _ in report.snapshots) == sorted(
        REPORTS + [n for n, _ in LINEAGE])
    assert "indicators" not in REPORTS  # a listing of every indicator stays live
    assert snapshot_files(folder, store.version) == {
        f"{store.version}-{query_key(catalog()[n].text)}.tsv" for n in REPORTS}
    for name in REPORTS:
        assert rows(run(store, name)) == live(store, name), name
    assert central_2025(rows(run(store, "funding-levels"))) == ("5", CENTRAL_2025)


def test_the_answer_comes_from_the_snapshot(built):
    store, folder, _ = built
    text = catalog()["funding-levels"].text
    path = folder / "kg-snapshots" / f"{store.version}-{query_key(text)}.tsv"
    path.write_text('?level\t?budget\n"kept"\t1\n', encoding="utf-8")
    assert [(r["level"], r["budget"])
            for r in rows(run(store, "funding-levels"))] == [("kept", "1")]
    # a query text with no snapshot is evaluated live
    assert rows(run(store, "indicators", {"document": D002}))


# data/001 line 127 prints 目标10：…下放率； and data/000 line 28 目标13：…下放率。 (one
# text); 保财社〔2025〕87号 is cited by data/002 (line 577: project 2026年省级就业补助资金)
GOAL_127 = ("目标10：进一步优化行政审批流程,加强审改工作制度化、规范化和标准化建设。"
            "绩效指标：行政审批取消下放率；")


def test_every_lineage_query_is_kept_for_every_value_and_answers_as_live(built):
    """Each lineage query's kept table answers every value its whole answer holds (every
    directive, goal text, issuer prefix of the samples), and a printed value and an
    absent one, with exactly the rows and order of the query evaluated with the value
    bound."""
    store, folder, _ = built
    assert [n for n, _ in LINEAGE] == ["directive-lineage", "goal-places", "issuer-portfolio"]
    assert lineage_files(folder, store.version) == {
        f"{store.version}-{query_key(catalog()[n].text)}-by-{by}{ext}"
        for n, by in LINEAGE for ext in (".tsv", ".idx")}
    absent = {"number": "保财社〔1999〕1号",
              "text": "目标1：一个样本里没有印过的目标文本，十个字以上",
              "issuer": "沪财"}
    for name, by in LINEAGE:
        values = {r[by] for r in live(store, name)}
        assert len(values) > 3, name
        # the index holds exactly those values (benchmarks/queries.py --sample draws from it)
        kept = store.snapshots.partition_keys(store.version, catalog()[name].text, by)
        assert len(kept) == len(values) and len(set(kept)) == len(kept), name
        if by == "number":
            assert "保财社〔2025〕87号" in values
        for value in sorted(values) + [absent[by]] + ([GOAL_127] if by == "text" else []):
            params = {by: value}
            got = rows(run(store, name, params))
            assert got == live_bound(store, name, params), (name, value)
            if value == absent[by]:
                assert got == []
    places = rows(run(store, "goal-places", {"text": GOAL_127}))
    assert sorted((r["document"].rsplit("/", 1)[1][:3], r["line"]) for r in places) == [
        ("000", "28"), ("001", "127")]


def test_a_lineage_answer_comes_from_its_kept_table(built):
    store, folder, _ = built
    text = catalog()["directive-lineage"].text
    path = folder / "kg-snapshots" / f"{store.version}-{query_key(text)}-by-number.tsv"
    kept = path.read_bytes()
    header, _, body = kept.partition(b"\n")
    # 资金 replaced by six bytes of ASCII (the index's offsets still hold): the
    # answer is read from the file
    path.write_bytes(header + b"\n" + body.replace("资金".encode(), b"KEPT:)"))
    before = live_bound(store, "directive-lineage", {"number": "保财社〔2025〕87号"})
    got = rows(run(store, "directive-lineage", {"number": "保财社〔2025〕87号"}))
    assert any("资金" in r["projectName"] for r in before)
    assert [r["projectName"] for r in got] == [
        r["projectName"].replace("资金", "KEPT:)") for r in before]


def test_an_unchanged_rebuild_keeps_the_snapshots(built):
    store, folder, _ = built
    version, files = store.version, snapshot_files(folder, store.version)
    again = build([DATA], store, workers=1)
    assert again.count("unchanged") == 4 and again.snapshots == []
    assert store.version == version and snapshot_files(folder, version) == files


def test_a_write_makes_the_snapshots_stale(built):
    store, folder, _ = built
    old = store.version
    store.update(DROP_29)
    assert store.version != old and not snapshot_files(folder, old)
    assert not lineage_files(folder, old)
    got = rows(run(store, "funding-levels"))  # live: no snapshot for this version yet
    assert central_2025(got) == ("4", CENTRAL_2025 - Decimal("59.30"))
    assert store.materialise(catalog()["funding-levels"].text)
    assert rows(run(store, "funding-levels")) == got == live(store, "funding-levels")


def test_a_reader_opened_before_a_write_answers_from_its_own_view(built):
    store, folder, _ = built
    store.flush()
    reader = open_store(folder, read_only=True)
    assert reader.version == store.version
    store.update(DROP_29)
    for q in catalog().values():
        if q.snapshot:
            store.materialise(q.text)
    assert central_2025(rows(run(store, "funding-levels")))[0] == "4"
    # the reader sees the store as it was when it opened it: the old answer, live
    assert central_2025(rows(run(reader, "funding-levels"))) == ("5", CENTRAL_2025)
    del reader
    gc.collect()


@pytest.mark.slow
def test_kg_serve_serves_the_new_answer_after_an_update_and_keeps_it(tmp_path):
    folder = tmp_path / "st"
    store = open_store(folder)
    build([DATA], store, workers=1)
    del store  # closed: kg serve opens it for writing
    gc.collect()
    with kg_serve(str(folder), token="s3cret") as (base, _proc):
        def report() -> list[dict]:
            with urllib.request.urlopen(base + "/queries/funding-levels?format=csv") as r:
                return list(csv.DictReader(io.StringIO(r.read().decode("utf-8"))))
        assert central_2025(report()) == ("5", CENTRAL_2025)
        req = urllib.request.Request(base + "/sparql", data=DROP_29.encode("utf-8"),
                                     headers={"Content-Type": "application/sparql-update",
                                              "Authorization": "Bearer s3cret"})
        with urllib.request.urlopen(req) as r:
            assert r.status == 204
        assert central_2025(report()) == ("4", CENTRAL_2025 - Decimal("59.30"))
        # the server computes the snapshots of the new version in the background
        version = (folder / "kg-snapshots" / "VERSION").read_text().strip()
        deadline = time.monotonic() + 60
        while len(snapshot_files(folder, version)) < len(REPORTS):
            assert time.monotonic() < deadline, "the snapshots were not made again"
            time.sleep(0.2)
        assert central_2025(report()) == ("4", CENTRAL_2025 - Decimal("59.30"))


@pytest.mark.slow
def test_kg_serve_answers_sparql_and_lineage_requests_from_what_is_kept(tmp_path):
    """A client sending a report's exact text to /sparql (as a BI tool would) and a
    lineage request to /queries/NAME both get the kept answer from a real server."""
    folder = tmp_path / "st"
    store = open_store(folder)
    build([DATA], store, workers=1)
    version = store.version
    text = catalog()["funding-levels"].text
    (folder / "kg-snapshots" / f"{version}-{query_key(text)}.tsv").write_text(
        '?level\t?budget\n"kept"\t1\n', encoding="utf-8")
    lineage = catalog()["directive-lineage"].text
    part = folder / "kg-snapshots" / f"{version}-{query_key(lineage)}-by-number.tsv"
    part.write_bytes(part.read_bytes().replace("资金".encode(), b"KEPT:)"))
    del store
    gc.collect()
    with kg_serve(str(folder)) as (base, _proc):
        req = urllib.request.Request(base + "/sparql", data=text.encode("utf-8"), headers={
            "Content-Type": "application/sparql-query", "Accept": "text/csv"})
        with urllib.request.urlopen(req) as r:
            got = list(csv.DictReader(io.StringIO(r.read().decode("utf-8"))))
        assert [(r["level"], r["budget"]) for r in got] == [("kept", "1")]
        number = urllib.parse.quote("保财社【2025】87号")
        with urllib.request.urlopen(f"{base}/queries/directive-lineage?number={number}"
                                    "&format=csv") as r:
            got = list(csv.DictReader(io.StringIO(r.read().decode("utf-8-sig"))))
        assert any("KEPT:)" in r["projectName"] for r in got)
        assert not any("资金" in r["projectName"] for r in got)


def test_writers_replacing_the_version_at_once_never_fail(tmp_path):
    """Two writers (a server's thread and `kg load`, say) replace the version token at
    the same moment while answers are kept: neither may delete the other's token file
    before its rename, a snapshot being written meanwhile is given up, not an error,
    and nothing of an older version is left behind."""
    import threading

    from kg.store.snapshots import Snapshots

    snapshots = Snapshots(tmp_path)
    failures: list[BaseException] = []

    def write_versions():
        try:
            for _ in range(300):
                snapshots.new_version()
        except BaseException as e:  # noqa: BLE001 - collected for the assertion
            failures.append(e)

    def write_snapshots():
        try:
            for i in range(300):
                snapshots.put(snapshots.version(), f"SELECT {i} {{}}", b"?x\n")
        except BaseException as e:  # noqa: BLE001
            failures.append(e)

    def write_partitions():
        try:
            for i in range(150):
                version = snapshots.version()
                results = snapshots.folder / f"{version}-{i}.results.tmp"
                try:
                    results.write_bytes(b"?x\n<urn:a>\n")
                except FileNotFoundError:  # the folder is made by the first version
                    continue
                snapshots.put_partitioned(version, f"SELECT {i} {{}}", "x", results)
        except BaseException as e:  # noqa: BLE001
            failures.append(e)

    threads = [threading.Thread(target=write_versions) for _ in range(3)]
    threads += [threading.Thread(target=write_snapshots), threading.Thread(target=write_partitions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    token = snapshots.new_version()
    assert [p.name for p in snapshots.folder.iterdir()] == ["VERSION"]
    assert snapshots.version() == token


def test_a_token_left_by_a_killed_writer_is_deleted_later(tmp_path):
    """Another writer's temporary version token is its own while it lives; one an
    hour old was left by a process that died, and the next new version deletes it.
    A snapshot's temporary file of an older version is deleted at once (its writer
    gives up: the answer is stale)."""
    import os

    from kg.store.snapshots import Snapshots

    snapshots = Snapshots(tmp_path)
    old_version = snapshots.new_version()
    dead = snapshots.folder / "VERSION.0123.tmp"
    alive = snapshots.folder / "VERSION.4567.tmp"
    stale_answer = snapshots.folder / f"{old_version}-abc.tsv.89ab.tmp"
    for f in (dead, alive, stale_answer):
        f.write_text("x")
    os.utime(dead, (time.time() - 7200, time.time() - 7200))
    snapshots.new_version()
    assert not dead.exists() and alive.exists() and not stale_answer.exists()


def test_a_store_never_written_has_a_version_from_its_first_opening(tmp_path):
    """Its answers carry validators (ETag) from the first one, not only once a
    report has been kept or a write made; a reader sees the same version."""
    store = open_store(tmp_path / "fresh")
    assert store.version
    version = store.version
    del store
    gc.collect()
    assert open_store(tmp_path / "fresh", read_only=True).version == version
