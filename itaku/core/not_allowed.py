"""A page instead of an empty answer when an address that takes only a form's sending is opened.

Django's `require_POST` answers a GET with 405 and no body, which a browser shows as its own
error screen in no language of ours: a bookmark, a reloaded address bar or a link copied from a
form's action lands there. The API's 405s carry their JSON body and pass untouched.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or not isinstance(response, HttpResponse)
            or response.content
        ):
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
