"""Response headers every page carries.

Pages and downloads name people and show personal data, so no browser or proxy may keep a copy
once the user has gone: every response the application itself renders is marked `no-store`,
with Django's `never_cache` semantics. Static files are served before this middleware (or by
the web server) and stay cacheable.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
