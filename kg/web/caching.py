"""HTTP caching of what the server reads: every GET or HEAD answer depends only on
the store's version (a token replaced by every write, kg/store/snapshots.py), the
URL and the negotiated headers, so its ETag is a hash of those; a client that sends
it back (``If-None-Match``) or a date not older than the version's
(``If-Modified-Since``) gets a 304 before anything is computed.  A store without a
version (in memory, or a SPARQL server written by others) gets no validators."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from ..store import Store
from ..store.snapshots import FOLDER as SNAPSHOTS
from .parts import store_folder

CACHE_CONTROL = "public, no-cache"  # keep it, but ask each time: a 304 costs microseconds
_KEYED = (b"accept", b"accept-encoding", b"authorization")  # the answer may vary by these


def store_version(store: Store) -> tuple[str, datetime] | None:
    """(version token, when it was made) of a versioned store on disk, else None."""
    folder = store_folder(store)
    if not store.capabilities.versioned or not store.version or folder is None:
        return None
    try:
        made = (folder / SNAPSHOTS / "VERSION").stat().st_mtime
    except OSError:
        return None
    return store.version, datetime.fromtimestamp(int(made), UTC)


def etag(version: str, scope) -> str:
    """A weak validator: the version, path, query string and the headers that vary."""
    h = hashlib.sha1(version.encode())
    h.update(scope.get("raw_path") or scope["path"].encode())
    h.update(b"?" + scope.get("query_string", b""))
    for name, value in scope["headers"]:
        if name in _KEYED:
            h.update(name + b":" + value + b"\n")
    return f'W/"{h.hexdigest()[:20]}"'


def _not_modified(headers: dict[bytes, bytes], tag: str, made: datetime) -> bool:
    match = headers.get(b"if-none-match")
    if match is not None:
        sent = [t.strip() for t in match.decode("latin-1").split(",")]
        return "*" in sent or tag in sent or tag[2:] in sent
    since = headers.get(b"if-modified-since")
    if since is not None:
        try:
            return parsedate_to_datetime(since.decode("latin-1")) >= made
        except (TypeError, ValueError):
            return False
    return False


class Revalidation:
    """ASGI middleware: validators on every 200 to a GET or HEAD, and the 304."""

    def __init__(self, app, store: Store):
        self.app, self.store = app, store

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)  # no version read for a write
        known = store_version(self.store)
        if known is None:
            return await self.app(scope, receive, send)
        tag, made = etag(known[0], scope), known[1]
        validators = [(b"etag", tag.encode()),
                      (b"last-modified", format_datetime(made, usegmt=True).encode()),
                      (b"cache-control", CACHE_CONTROL.encode())]
        if _not_modified(dict(scope["headers"]), tag, made):
            await send({"type": "http.response.start", "status": 304,
                        "headers": validators + [(b"vary", b"Accept, Accept-Encoding")]})
            return await send({"type": "http.response.body", "body": b""})

        async def with_validators(message):
            if message["type"] == "http.response.start" and message["status"] == 200:
                kept = [(k, v) for k, v in message.get("headers", [])
                        if k.lower() not in (b"etag", b"last-modified", b"cache-control")]
                message = {**message, "headers": kept + validators}
            await send(message)

        await self.app(scope, receive, with_validators)
