"""Shared fixtures: the four sample documents in data/, read once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def sample(prefix: str) -> Path:
    """The sample document whose name starts with ``prefix`` (000, 001, 002, 004)."""
    (path,) = DATA.glob(prefix + "_*.txt")
    return path


def sample_lines(prefix: str) -> list[str]:
    return sample(prefix).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="session")
def disclosures():
    """The samples extracted once: {'000': Disclosure, ...}."""
    from kg.pipeline import extract_file
    return {p: extract_file(sample(p)) for p in ("000", "001", "002", "004")}


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    """data/ built into a real on-disk store once per session: (store, folder, report)."""
    from kg.pipeline import build
    from kg.store import open_store
    folder = tmp_path_factory.mktemp("store")
    store = open_store(folder)
    report = build([DATA], store)
    return store, folder, report


@pytest.fixture(scope="session")
def sample_validation(built_store):
    """The four sample graphs validated once: {'000': GraphReport, ...}."""
    from kg.validate import validate_store
    store, _, _ = built_store
    return {r.graph.rsplit("/", 1)[1][:3]: r for r in validate_store(store)}
