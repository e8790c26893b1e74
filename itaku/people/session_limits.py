"""An absolute end to every login session, however active (ASVS 5.0 V7.3.2).

The idle timeout (itaku/core/sessions.py, 4-5) ends a session nobody uses; a session in
constant use would otherwise last for ever. After ITAKU_SESSION_MAX_HOURS from the login,
the next request logs out and lands on the login page.
"""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

LOGGED_IN_AT = "itaku_logged_in_at"


@receiver(user_logged_in)
def _note_login_time(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LOGGED_IN_AT] = int(time.time())


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(LOGGED_IN_AT)
            limit = settings.ITAKU_SESSION_MAX_HOURS * 3600
            if not isinstance(started, int) or time.time() - started > limit:
                logout(request)
                target = resolve_url(settings.LOGIN_URL)
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{target}?{query}")
        return self.get_response(request)
