"""An HTTP server on loopback that answers every request as a test says: a server a
query must never reach, or a SPARQL server we do not run, which may send anything."""
from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote_plus

#: (status, content type, body) for a request, given its path and body decoded
Answer = Callable[[str], tuple[int, str, bytes]]


class LoopbackEndpoint:
    """``with LoopbackEndpoint(answer) as e``: serving at ``e.url`` (``/sparql``);
    ``e.hits`` lists the paths asked."""

    def __init__(self, answer: Answer):
        hits: list[str] = []
        self.hits = hits

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                hits.append(self.path)
                length = int(self.headers.get("content-length") or 0)
                asked = unquote_plus(self.path + " " + self.rfile.read(length).decode())
                status, kind, body = answer(asked)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sparql"

    def __enter__(self) -> LoopbackEndpoint:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
