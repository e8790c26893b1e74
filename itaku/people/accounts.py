"""Audited changes to a login's credentials: passwords, second-factor enrolment, API tokens.

The secrets themselves (passwords, enrolment codes, token keys) never reach the audit trail;
the events say who did what to which login, and when a code or token ends.

Second-factor enrolment needs a one-time code the administrator issues and hands over on paper,
entered together with the person's own password. The administrator who chose a login's current
password may not issue its code: whoever knows both could enrol a device and act as that login.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaku.audit.log import record
from itaku.people.account_models import ApiToken, EnrolmentCode, new_secret, secret_hash
from itaku.people.events import AccountEvent
from itaku.people.models import Person, User

# Letters and digits that cannot be misread on paper (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# 24 characters of 31: 118 bits, enough for a plain SHA-256 to store it (ASVS 5.0 V6.5.2 asks
# for 112 bits before a fast hash may be used).
CODE_LENGTH = 24


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _format_code(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _person_of(user: User) -> Person | None:
    return Person.objects.filter(user=user).first()


def _validate(password: str, user: User, *, field: str) -> None:
    """The password policy (settings.AUTH_PASSWORD_VALIDATORS), its refusal on `field`."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from error


@transaction.atomic
def change_password(user: User, *, current: str, new: str) -> User:
    """The owner changes their own password; this also ends a forced change."""
    if not user.check_password(current):
        raise ValidationError({"old_password": _("The current password is wrong.")})
    _validate(new, user, field="new_password1")
    user.set_password(new)
    forced = user.must_change_password
    user.must_change_password = False
    user.password_set_by = None
    user.save(update_fields=["password", "must_change_password", "password_set_by"])
    person = _person_of(user)
    record(
        AccountEvent.PASSWORD_CHANGED,
        actor=person,
        target=person or user,
        changes={"username": user.get_username(), "was_required": forced},
    )
    return user


@transaction.atomic
def set_password(person: Person, *, password: str, by: Person) -> User:
    """An administrator sets a password (a forgotten one); its owner must change it next."""
    user = person.user
    if user is None:
        raise ValidationError(_("This person has no login."))
    _validate(password, user, field="password")
    user.set_password(password)
    user.must_change_password = True
    user.password_set_by = by
    user.save(update_fields=["password", "must_change_password", "password_set_by"])
    record(
        AccountEvent.PASSWORD_SET,
        actor=by,
        target=person,
        changes={"username": user.get_username(), "must_change_password": True},
    )
    return user


@transaction.atomic
def issue_enrolment_code(person: Person, *, by: Person | None, replace_device: bool = False) -> str:
    """A one-time code to register an authenticator app; returned once, only its hash kept.

    Earlier unused codes are withdrawn. When the login already has an authenticator, a code is
    issued only to replace it (a lost device), and the old device stops working at once.
    """
    if person.user_id is None:
        raise ValidationError(_("This person has no login."))
    user = User.objects.select_for_update().get(pk=person.user_id)
    # `by` is None only on the server's command line (the first administrator's own code).
    if by is not None and user.password_set_by_id == by.pk:
        raise ValidationError(
            _(
                "You chose this login's current password, so you may not also issue its "
                "enrolment code. Issue it after the person has changed their password, or ask "
                "another administrator (3-1)."
            )
        )
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    if devices.exists() and not replace_device:
        raise ValidationError(
            _("This login already has an authenticator. Tick the replacement to issue a code.")
        )
    now = timezone.now()
    if replace_device:
        removed = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
        record(
            AccountEvent.SECOND_FACTOR_RESET,
            actor=by,
            target=person,
            changes={"username": user.get_username(), "devices_removed": removed},
        )
    EnrolmentCode.objects.filter(user=user).usable(now).update(withdrawn_at=now)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    code = EnrolmentCode.objects.create(
        user=user,
        code_hash=secret_hash(raw),
        issued_by=by,
        issued_at=now,
        expires_at=now + timedelta(hours=settings.ITAKU_ENROLMENT_CODE_HOURS),
    )
    record(
        AccountEvent.ENROLMENT_CODE_ISSUED,
        actor=by,
        target=person,
        changes={"username": user.get_username(), "expires_at": code.expires_at.isoformat()},
    )
    return _format_code(raw)


def find_enrolment_code(user: User, text: str) -> EnrolmentCode | None:
    """The login's usable code matching what was typed, if any."""
    return (
        EnrolmentCode.objects.filter(user=user, code_hash=secret_hash(normalise_code(text)))
        .usable(timezone.now())
        .first()
    )


@transaction.atomic
def enrol_second_factor(user: User, *, code: EnrolmentCode, device: TOTPDevice) -> TOTPDevice:
    """Confirm the authenticator after its first correct code; the enrolment code is spent."""
    now = timezone.now()
    # A conditional UPDATE: two tabs entering the same code enrol one device.
    spent = EnrolmentCode.objects.filter(pk=code.pk, user=user).usable(now).update(used_at=now)
    if not spent or device.user_id != user.pk:
        raise ValidationError(
            _("The enrolment code is wrong, used or expired. Ask the administrator for a new one.")
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    person = _person_of(user)
    record(
        AccountEvent.SECOND_FACTOR_ENROLLED,
        actor=person,
        target=person or user,
        changes={"username": user.get_username(), "code_issued_by": code.issued_by_id},
    )
    return device


@transaction.atomic
def issue_api_token(
    user: User, *, days: int, scope: ApiToken.Scope, by: Person | None
) -> tuple[ApiToken, str]:
    """A token for a script acting as `user`; the key is returned once, only its hash kept."""
    if not 1 <= days <= settings.ITAKU_API_TOKEN_MAX_DAYS:
        raise ValidationError(
            _("A token lasts from 1 to %(days)s days.")
            % {"days": settings.ITAKU_API_TOKEN_MAX_DAYS}
        )
    key = new_secret()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=secret_hash(key),
        prefix=key[:8],
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    person = _person_of(user)
    record(
        AccountEvent.API_TOKEN_ISSUED,
        actor=by,
        target=person or user,
        changes={
            "username": user.get_username(),
            "token": token.prefix,
            "scope": scope.value,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, key


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by: Person | None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            AccountEvent.API_TOKEN_REVOKED,
            actor=by,
            target=_person_of(token.user) or token.user,
            changes={"username": token.user.get_username(), "token": token.prefix},
        )
    return token


@transaction.atomic
def record_second_factor(user: User, *, passed: bool) -> None:
    """ASVS 5.0 V16.3.1: the second step of a login, passed or not, is in the audit trail."""
    person = _person_of(user)
    record(
        AccountEvent.SECOND_FACTOR_PASSED if passed else AccountEvent.SECOND_FACTOR_FAILED,
        actor=person if passed else None,
        target=None if passed else (person or user),
        changes={"username": user.get_username(), "factor": "totp"},
    )
