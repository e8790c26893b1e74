"""What a login needs beyond its password: second-factor enrolment codes and API tokens.

Both hold only a SHA-256 of a random secret: whoever reads the database (a backup, the
contractor's database administrator) cannot use them. The secret is shown once, when issued.
"""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def secret_hash(secret: str) -> str:
    """SHA-256 of a high-entropy secret. No salt or slow hash is needed: the secret is random
    (at least 80 bits), not chosen by a person, so it cannot be guessed from a list."""
    return hashlib.sha256(secret.encode()).hexdigest()


class EnrolmentCodeQuerySet(models.QuerySet["EnrolmentCode"]):
    def usable(self, at: datetime) -> "EnrolmentCodeQuerySet":
        return self.filter(used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=at)


class EnrolmentCode(models.Model):
    """A one-time code that lets a login register its authenticator app.

    The administrator issues it and hands it over on paper; the person enters it together
    with their own (changed) password. Whoever only knows the password cannot enrol.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="enrolment_codes",
    )
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    issued_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = EnrolmentCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.issued_at:%Y-%m-%d %H:%M}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def valid(self, at: datetime) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=at)


class ApiToken(models.Model):
    """A token for a script or a log shipper acting as a login, with an end and a scope."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    prefix = models.CharField(_("first characters"), max_length=8)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"


def new_secret(nbytes: int = 20) -> str:
    """A random secret, URL-safe: 160 bits unless asked for more (a device's token has 256)."""
    return secrets.token_urlsafe(nbytes)
