"""A real server on loopback: uvicorn in a thread, on a free port, over a real store.

Writable tests each get a fresh store: one server whose app is swapped per test
(``AppSwitch``) gives that without starting a server per test."""
from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from kg.store import open_store
from kg.web.app import Settings, create_app
from kg.web.sparql import Limits

WRITE_TOKEN = "test-write-token"


class LiveServer:
    def __init__(self, app):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        deadline = time.time() + 10
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(5)


@pytest.fixture(scope="session")
def live(built_store):
    store = built_store[0]
    settings = Settings(Limits(timeout=10, max_rows=1000, max_bytes=64 * 1024))
    with LiveServer(create_app(store, settings)) as server:
        yield server


class AppSwitch:
    """An ASGI app that passes each request to the app a test installed."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


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
