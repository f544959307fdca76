"""HTTP errors as named constructors, rendered by one handler (app.py) as JSON,
plain text or HTML with the right status."""
from __future__ import annotations


class HTTPProblem(Exception):
    def __init__(self, status: int, title: str, detail: str, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}

    def to_json(self) -> dict:
        return {"status": self.status, "error": self.title, "message": self.detail}


def bad_request(detail: str) -> HTTPProblem:
    return HTTPProblem(400, "bad request", detail)


def the_server_is_read_only() -> HTTPProblem:
    return HTTPProblem(403, "read only", "this endpoint is read-only: SPARQL Update and the "
                       "Graph Store Protocol are refused (start it with a write token to "
                       "allow them)")


def not_found(detail: str) -> HTTPProblem:
    return HTTPProblem(404, "not found", detail)


def not_acceptable(detail: str) -> HTTPProblem:
    return HTTPProblem(406, "not acceptable", detail)


def too_large(detail: str) -> HTTPProblem:
    return HTTPProblem(413, "request too large", detail)


def unsupported_media_type(detail: str) -> HTTPProblem:
    return HTTPProblem(415, "unsupported media type", detail)


def timed_out(seconds: float) -> HTTPProblem:
    return HTTPProblem(503, "query timeout", f"the query ran longer than {seconds:g} s "
                       "(setting query_timeout); nothing was returned")


def forbidden(detail: str) -> HTTPProblem:
    return HTTPProblem(403, "forbidden", detail)


def busy(retry_after: int) -> HTTPProblem:
    return HTTPProblem(503, "busy", "the endpoint is running as many long queries as it "
                       f"allows and its queue is full; try again in {retry_after} s "
                       "(settings query_workers, query_queue)", {"Retry-After": str(retry_after)})


def refused(e) -> HTTPProblem:
    """A query or update the gate refused (kg/query_gate.py)."""
    return HTTPProblem(e.status, "forbidden" if e.status == 403 else "bad request", str(e))


def headers_too_large(limit_kb: int) -> HTTPProblem:
    return HTTPProblem(431, "request header fields too large",
                       f"the request's headers are over {limit_kb} KB (setting max_header_kb)")


def internal() -> HTTPProblem:
    return HTTPProblem(500, "internal error", "the server failed to answer this request; "
                       "the error is logged on the server")
