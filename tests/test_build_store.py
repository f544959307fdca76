"""The store's write path: a batch committed to the journal is finished on the next
opening, one not committed is dropped; a document's own graph is replaced whole and
its quads in other graphs are merged; the shared graph loses what nothing refers to."""
from __future__ import annotations

import gc

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from kg.store import open_store
from kg.store.embedded import JOURNAL, StoreError

EX = "http://example.org/"
CAT = EX + "catalog"
SHARED = EX + "shared"
TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DOCGRAPH = NamedNode("https://w3id.org/bpkg/ontology#DocumentGraph")


def n(x: str) -> NamedNode:
    return NamedNode(EX + x)


def doc(name: str, value: str, cites: str = "d1") -> tuple[str, bytes, list[Quad]]:
    """A document: its graph, a quad in the shared graph, and its catalog entry."""
    g = n("graph/" + name)
    quads = [Quad(n(name), n("value"), Literal(value), g),
             Quad(n(name), n("cites"), n(cites), g),
             Quad(n(cites), n("label"), Literal("directive " + cites), NamedNode(SHARED))]
    return g.value, serialize(quads, format=RdfFormat.N_QUADS), [
        Quad(g, TYPE, DOCGRAPH, NamedNode(CAT)), Quad(g, n("hash"), Literal(value), NamedNode(CAT))]


def values(store, name: str) -> list[str]:
    return [q.object.value for q in store.store.quads_for_pattern(n(name), n("value"), None, None)]


def test_own_graph_replaced_whole_other_graphs_merged(tmp_path):
    s = open_store(tmp_path / "s")
    s.replace_graphs([doc("a", "1", "d1"), doc("b", "1", "d2")], CAT)
    s.replace_graphs([doc("a", "2", "d3")], CAT)
    assert values(s, "a") == ["2"] and values(s, "b") == ["1"]
    labels = {q.subject.value for q in s.quads(SHARED)}
    assert labels == {EX + "d1", EX + "d2", EX + "d3"}  # merged, never replaced
    assert s.catalog_value(CAT, EX + "graph/a", EX + "hash") == "2"
    assert not list((tmp_path / "s" / JOURNAL).iterdir())  # the journal is gone
    # d1 is cited by no document any more: pruning the shared graph removes it
    assert s.prune_shared(SHARED, (CAT,)) == 1
    assert {q.subject.value for q in s.quads(SHARED)} == {EX + "d2", EX + "d3"}
    s.remove_graphs([EX + "graph/b"], CAT)
    assert s.stored_documents(CAT) == [EX + "graph/a"]
    assert s.prune_shared(SHARED, (CAT,)) == 1
    assert s.prune_shared(SHARED, (CAT,)) == 0


def test_shared_descriptions_reachable_from_a_cited_one_are_kept(tmp_path):
    s = open_store(tmp_path / "s")
    s.replace_graphs([doc("a", "1", "d1")], CAT)
    sh = NamedNode(SHARED)
    s.store.extend([Quad(n("d1"), n("issuer"), n("agency"), sh),
                    Quad(n("agency"), n("label"), Literal("agency"), sh),
                    Quad(n("orphan"), n("issuer"), n("agency2"), sh),
                    Quad(n("agency2"), n("label"), Literal("agency 2"), sh)])
    assert s.prune_shared(SHARED, (CAT,)) == 2
    assert {q.subject.value for q in s.quads(SHARED)} == {EX + "d1", EX + "agency"}


def test_a_committed_journal_is_finished_on_opening(tmp_path, monkeypatch):
    folder = tmp_path / "s"
    s = open_store(folder)
    s.replace_graphs([doc("a", "1"), doc("b", "1")], CAT)
    # a build killed right after committing its batch: the journal is written, the
    # store not yet touched

    class Killed(BaseException):
        pass

    def killed(*_):
        raise Killed

    monkeypatch.setattr(type(s), "_apply", killed)
    try:
        s.replace_graphs([doc("a", "2"), doc("b", "2")], CAT)
        raise AssertionError("not killed")
    except Killed:
        pass
    monkeypatch.undo()
    assert (folder / JOURNAL / "batch.nq").exists()
    assert values(s, "a") == ["1"]
    del s
    gc.collect()  # the store's lock goes with the object
    with pytest.raises(StoreError, match="half-written"):
        open_store(folder, read_only=True)
    s = open_store(folder)
    assert s.recovered == 1
    assert values(s, "a") == ["2"] and values(s, "b") == ["2"]
    assert s.catalog_value(CAT, EX + "graph/b", EX + "hash") == "2"
    assert not (folder / JOURNAL / "batch.nq").exists()
    del s
    gc.collect()  # the store's lock goes with the object
    assert (open_store(folder, read_only=True).stored_documents(CAT)
            == [EX + "graph/a", EX + "graph/b"])


def test_an_uncommitted_journal_is_dropped(tmp_path):
    folder = tmp_path / "s"
    s = open_store(folder)
    s.replace_graphs([doc("a", "1")], CAT)
    del s
    gc.collect()  # the store's lock goes with the object
    (folder / JOURNAL / "batch.nq.tmp").write_bytes(b"# kg-batch {\"graphs\": [")  # cut off
    s = open_store(folder)
    assert s.recovered == 0 and values(s, "a") == ["1"]
    assert not (folder / JOURNAL / "batch.nq.tmp").exists()


def test_a_committed_journal_missing_bytes_is_refused(tmp_path, monkeypatch):
    """A committed journal whose quads are not all there (its trailer counts them) is
    never applied half: the writer refuses to open the store and says what to do."""
    folder = tmp_path / "s"
    s = open_store(folder)
    s.replace_graphs([doc("a", "1")], CAT)

    class Killed(BaseException):
        pass

    def killed(*_):
        raise Killed

    monkeypatch.setattr(type(s), "_apply", killed)
    with pytest.raises(Killed):
        s.replace_graphs([doc("a", "2"), doc("b", "2")], CAT)
    monkeypatch.undo()
    del s
    gc.collect()
    journal = folder / JOURNAL / "batch.nq"
    data = journal.read_bytes()
    journal.write_bytes(data[:10] + data[40:])  # 30 bytes of quads lost
    with pytest.raises(StoreError, match="damaged journal"):
        open_store(folder)


def test_a_rebuild_prunes_what_a_changed_document_no_longer_cites(tmp_path):
    """A first build of new documents leaves nothing to prune; when 002 is edited so
    that it no longer cites 保财社〔2025〕87号 (only 002 cites it: lines 577-916), the
    rebuild replaces its graph and removes the directive's shared description."""
    import re

    from kg import iris
    from kg.pipeline import build
    from tests.support.samples import DATA
    folder = tmp_path / "in"
    folder.mkdir()
    for f in DATA.glob("*.txt"):
        (folder / f.name).write_bytes(f.read_bytes())
    s = open_store(tmp_path / "st")
    first = build([folder], s, workers=1)
    assert first.count("loaded") == 4 and first.shared_pruned == 0
    ask = (f'ASK {{ GRAPH <{iris.shared_graph()}> {{ '
           '?d <http://data.europa.eu/eli/ontology#id_local> "保财社〔2025〕87号"@zh } }')
    assert bool(s.query(ask))
    (doc002,) = folder.glob("002_*.txt")
    text = doc002.read_text(encoding="utf-8")
    edited = re.sub(r"(2025\s*[】〕\])]\s*)87(\s*号)", r"\g<1>887\g<2>", text)
    assert edited != text
    doc002.write_text(edited, encoding="utf-8")
    again = build([folder], s, workers=1)
    assert again.count("loaded") == 1 and again.count("unchanged") == 3
    assert again.shared_pruned > 0
    assert not bool(s.query(ask))


def test_a_batch_written_in_the_background_while_the_next_is_streamed(tmp_path):
    """A build commits a batch (the journal renamed) and goes on streaming the next
    one into batch.nq.tmp while the first is written in a thread."""
    folder = tmp_path / "s"
    s = open_store(folder)
    first = s.open_batch(CAT)
    for name in "ab":
        first.add(*doc(name, "1"))
    written = first.commit_in_background()
    second = s.open_batch(CAT)  # streamed while the first is written
    second.add(*doc("c", "1"))
    assert (folder / JOURNAL / "batch.nq.tmp").exists()
    written.wait()
    assert not (folder / JOURNAL / "batch.nq").exists()
    second.commit()
    assert [values(s, x) for x in "abc"] == [["1"], ["1"], ["1"]]
    assert s.stored_documents(CAT) == [EX + "graph/" + x for x in "abc"]


def test_a_batch_whose_writing_failed_is_finished_before_the_next(tmp_path, monkeypatch):
    """Writing a committed batch fails (a full disk, say): waiting for it raises,
    naming the journal it keeps, and the next batch's commit finishes it first, so
    there is never more than one committed journal and nothing is lost."""
    folder = tmp_path / "s"
    s = open_store(folder)
    first = s.open_batch(CAT)
    first.add(*doc("a", "1"))

    def full_disk(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(s), "_apply", full_disk)
    written = first.commit_in_background()
    with pytest.raises(StoreError, match="kept in .*batch.nq"):
        written.wait()
    monkeypatch.undo()
    assert (folder / JOURNAL / "batch.nq").exists() and values(s, "a") == []
    second = s.open_batch(CAT)
    second.add(*doc("b", "1"))
    second.commit()
    assert values(s, "a") == ["1"] and values(s, "b") == ["1"]
    assert not list((folder / JOURNAL).iterdir())
