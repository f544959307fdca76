"""HTTP errors as named constructors, rendered by one handler (app.py) as JSON,
plain text or HTML with the right status."""
from __future__ import annotations


class HTTPProblem(Exception):
    def __init__(self, status: int, title: str, detail: str):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail

    def to_json(self) -> dict:
        return {"status": self.status, "error": self.title, "message": self.detail}


def bad_request(detail: str) -> HTTPProblem:
    return HTTPProblem(400, "bad request", detail)


def the_server_is_read_only() -> HTTPProblem:
    return HTTPProblem(403, "read only", "this endpoint is read-only: SPARQL Update and the "
                       "Graph Store Protocol are refused (start it with a write token to allow them)")


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
