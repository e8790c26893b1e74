"""Lock-out after failed logins, per user and address, and a wider limit per user.

django-axes locks a user name at one client address after ITAKU_LOGIN_FAILURE_LIMIT failures
(ITAKU_LOGIN_COOLOFF_MINUTES). Someone guessing from many addresses is stopped by a second,
higher limit on the user name across all addresses (ITAKU_LOGIN_USER_FAILURE_LIMIT in the same
cool-off). That limit would let a stranger keep the manager out, so a browser in which the
person logged in successfully before carries a signed "known device" cookie and is exempt from
it (still subject to the per-address lock-out). See docs/security.md.
"""

from collections.abc import Callable
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from itaku.audit.log import record
from itaku.people.events import AccountEvent
from itaku.people.models import Person

COOKIE = "itaku_known_device"
SALT = "itaku.people.lockout.known-device"
DEVICE_DAYS = 180


def _known_device(request: HttpRequest | None, username: str) -> bool:
    if request is None:
        return False
    value = request.COOKIES.get(COOKIE, "")
    try:
        known: list[str] = signing.loads(value, salt=SALT, max_age=DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return False
    return username in known


def failures_across_addresses(username: str) -> int:
    """Failed logins for this user name within the cool-off, from every address."""
    total = AccessAttempt.objects.filter(username=username).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


class UserWideLimitBackend:
    """Placed after axes' backend: refuses a user name guessed at from many addresses, except
    in a browser where that person logged in before. Authenticates no one itself."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, **kwargs: Any
    ) -> None:
        if not username:
            return None
        if failures_across_addresses(username) < settings.ITAKU_LOGIN_USER_FAILURE_LIMIT:
            return None
        if _known_device(request, username):
            return None
        raise PermissionDenied  # Django then fails the login, and axes counts it

    # No get_user(): a session is never tied to this backend (Django's test client and
    # login() pick the first backend that has one).


@receiver(user_logged_in)
def _remember_device(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None:
        request._itaku_known_device = user.get_username()  # type: ignore[attr-defined]
    # ASVS 5.0 V16.3.1: every password login, successful or not, is in the audit trail.
    with transaction.atomic():
        person = Person.objects.filter(user=user).first()
        # The actor is the person; no object, so "what happened to this record" stays about
        # records, and a person's own logins are found by the acting person.
        record(
            AccountEvent.LOGIN_SUCCEEDED,
            actor=person,
            changes={"username": user.get_username(), "factor": "password"},
        )


@receiver(user_login_failed)
def _record_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]  # never the password
    locked = bool(getattr(request, "axes_locked_out", False))
    with transaction.atomic():
        person = Person.objects.filter(user__username=username).first()
        record(
            AccountEvent.LOGIN_FAILED,
            actor=None,
            target=person,
            changes={"username": username, "locked_out": locked},
        )


class KnownDeviceMiddleware:
    """Sets the known-device cookie on the response to a successful login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        username = getattr(request, "_itaku_known_device", None)
        if username:
            try:
                known = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT)
            except signing.BadSignature:
                known = []
            known = [name for name in known if name != username][-4:] + [username]
            response.set_cookie(
                COOKIE,
                signing.dumps(known, salt=SALT),
                max_age=DEVICE_DAYS * 86400,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
