"""The web tests' servers (tests/support/live.py): one over the built samples, and one
whose app each writable test swaps for its own over a fresh store."""
from __future__ import annotations

import pytest

from kg.store import open_store
from kg.web.app import Settings, create_app
from kg.web.sparql import Limits
from tests.support.live import WRITE_TOKEN, AppSwitch, LiveServer


@pytest.fixture(scope="session")
def live(built_store):
    store = built_store[0]
    settings = Settings(Limits(timeout=10, max_rows=1000, max_bytes=64 * 1024))
    with LiveServer(create_app(store, settings)) as server:
        yield server


@pytest.fixture(scope="session")
def switch_server():
    switch = AppSwitch(create_app(open_store(None), Settings(Limits())))
    with LiveServer(switch) as server:
        server.switch = switch
        yield server


@pytest.fixture
def writable(switch_server, tmp_path):
    """(server, store): a writable server (token WRITE_TOKEN) over a fresh on-disk store."""
    store = open_store(tmp_path / "store")
    settings = Settings(Limits(timeout=10, max_bytes=64 * 1024), write_token=WRITE_TOKEN)
    switch_server.switch.app = create_app(store, settings)
    yield switch_server, store
