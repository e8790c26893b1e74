"""Where a change comes from: the client address of a request, or the command or job name.

Set once at the edge (middleware, management command) so that action functions need not pass it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from itaku.core.client import client_address

_source: ContextVar[str] = ContextVar("audit_source", default="unknown")


def current_source() -> str:
    return _source.get()


@contextmanager
def source(value: str) -> Iterator[None]:
    token = _source.set(value)
    try:
        yield
    finally:
        _source.reset(token)


class AuditSourceMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with source(f"web:{client_address(request)}"):
            response: HttpResponse = self.get_response(request)
        return response
