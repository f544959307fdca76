"""What every HTTP response and request passes through, below the routes: oversized
headers are refused (431) before anything reads them, and every answer carries a
Content-Security-Policy and ``X-Content-Type-Options: nosniff``.

The policy allows no script but the pages' own inline ones, named by their hashes
(computed from the rendered page, so a page that changes its script stays allowed);
a link or a script injected into a page through the data would not run.
"""
from __future__ import annotations

import base64
import hashlib
import re


def script_hashes(page: str) -> list[str]:
    """CSP source expressions for each inline ``<script>`` of a page we render.

    >>> script_hashes("<p>x</p><script>alert(1)</script>")
    ["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"]
    """
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
            for s in re.findall(r"<script>(.*?)</script>", page, re.S)]


def policy(scripts: list[str]) -> str:
    """The Content-Security-Policy: our own origin only, no plugins, no framing."""
    return ("default-src 'none'; " + f"script-src 'self' {' '.join(scripts)}".rstrip() + "; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def security_headers(scripts: list[str]) -> dict[str, str]:
    """The headers every answer carries; an unexpected error's answer is sent by
    Starlette outside every middleware, so its handler adds them itself."""
    return {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": policy(scripts)}


class Guard:
    """ASGI middleware: 431 for headers over ``max_header_bytes`` (``refuse(scope)``
    makes the response), security headers on every response."""

    def __init__(self, app, max_header_bytes: int, refuse, scripts: list[str] | None = None):
        self.app, self.max_header_bytes, self.refuse = app, max_header_bytes, refuse
        self.headers = [(k.lower().encode(), v.encode())
                        for k, v in security_headers(scripts or []).items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_guarded(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in self.headers if h[0] not in names]
            await send(message)

        size = sum(len(k) + len(v) + 4 for k, v in scope.get("headers", []))
        if size > self.max_header_bytes:
            return await self.refuse(scope)(scope, receive, send_guarded)
        return await self.app(scope, receive, send_guarded)
