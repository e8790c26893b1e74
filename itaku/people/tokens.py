"""API tokens for scripts: `Authorization: Token <key>`, stored hashed, with an end and a scope.

Replaces `rest_framework.authtoken`, whose keys were kept in plain text and never expired.
A read-only token may only read (GET, HEAD, OPTIONS), whatever the login's roles allow.

Machines that are no person (card readers, log shippers) send `Authorization: Device <token>`
instead: `DeviceTokenAuthentication`, one subclass for each kind of machine.
"""

from datetime import timedelta
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from itaku.people.account_models import ApiToken, secret_hash

KEYWORD = b"token"
DEVICE_KEYWORD = b"device"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the header as: Authorization: Token <key>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed(_("The token is not valid.")) from error
        now = timezone.now()
        token = (
            ApiToken.objects.valid(now)
            .select_related("user")
            .filter(key_hash=secret_hash(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("The token is not valid, has expired or was revoked."))
        # Recorded at most once a minute: a busy script should not write a row per request.
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(_("Token <key>, from `itaku api-token USER`.")),
        }


class Device:
    """Stands in for request.user: a registered machine is authenticated but is no person."""

    is_authenticated = True
    is_active = True

    def __init__(self, device: Model) -> None:
        self.device = device


class DeviceTokenAuthentication(BaseAuthentication):
    """A machine's own token, of which only the hash is kept; `devices` says which machines
    of a kind may present one (not revoked)."""

    def devices(self) -> QuerySet[Any]:
        raise NotImplementedError

    def authenticate(self, request: Request) -> tuple[Device, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != DEVICE_KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Give the device token after 'Device'."))
        token = parts[1].decode("latin-1")
        found = self.devices().filter(token_hash=secret_hash(token)).first()
        if found is None:
            raise AuthenticationFailed(_("Unknown or revoked device token."))
        return Device(found), found
