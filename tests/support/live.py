"""A real server on loopback for the web tests: uvicorn in a thread, on a free port,
over a real store; and the HTML page a browser would get from it.

Writable tests each get a fresh store: one server whose app is swapped per test
(``AppSwitch``) gives that without starting a server per test."""
from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn

WRITE_TOKEN = "test-write-token"
HTML = {"Accept": "text/html"}


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
        deadline = time.time() + 30  # the query workers open the store first
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(5)


class AppSwitch:
    """An ASGI app that passes each request to the app a test installed."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)


def get(live, path: str, **params) -> str:
    """The HTML page at ``path`` (query ``params``) from a live server; it must be a 200."""
    r = httpx.get(live.url + path, params=params, headers=HTML)
    assert r.status_code == 200, r.text[:300]
    return r.text
