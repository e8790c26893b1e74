"""Sessions that end after a period without activity, whatever a screen refreshes by itself.

Every request a person makes moves the end of their session forward (SESSION_SAVE_EVERY_REQUEST),
so an idle session ends and the next page is the login screen, as 4-5 asks of terminals.
A screen that keeps itself current (who is inside the area) asks with the header
`X-Itaku-Passive: 1`; such a request is not activity and leaves the session's end where it was,
or a forgotten screen would stay logged in for ever.
"""

from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

PASSIVE_HEADER = "X-Itaku-Passive"


def is_passive(request: HttpRequest) -> bool:
    return request.headers.get(PASSIVE_HEADER) == "1"


class IdleSessionMiddleware(SessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if is_passive(request) and not request.session.modified:
            patch_vary_headers(response, ("Cookie",))
            return response
        result: HttpResponse = super().process_response(request, response)
        return result
