"""3-3: entry after hours. Each action saves and logs in one transaction."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.area.actions.common import _require_requestable
from itaku.area.events import AreaEvent
from itaku.area.models import (
    AfterHoursPermission,
    Area,
)
from itaku.audit.log import record
from itaku.people.decisions import decide
from itaku.people.models import Person


@transaction.atomic
def request_after_hours(
    *,
    person: Person,
    area: Area,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    by: Person,
) -> AfterHoursPermission:
    """3-3: ask the manager beforehand to enter after closing time or on a closed day."""
    now = timezone.now()
    _require_requestable(person, by, timezone.localdate(now), "3-3")
    errors: dict[str, str] = {}
    if ends_at <= now:
        errors["ends_at"] = _("The window has already ended.")
    if not reason.strip():
        errors["reason"] = _("Say why the area is needed after hours.")
    if errors:
        raise ValidationError(errors)
    permission = AfterHoursPermission(
        person=person,
        area=area,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        requested_by=by,
        requested_at=now,
    )
    permission.full_clean()
    permission.save()
    record(
        AreaEvent.AFTER_HOURS_REQUESTED,
        actor=by,
        target=permission,
        changes={
            "person": person.pk,
            "area": area.pk,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "reason": permission.reason,
        },
    )
    return permission


@transaction.atomic
def decide_after_hours(
    permission: AfterHoursPermission, *, approve: bool, note: str, by: Person
) -> AfterHoursPermission:
    """3-3 with 3-1: the manager, or the deputy while the manager is absent, decides once;
    neither the person nor the requester decides it."""
    if approve and permission.ends_at <= timezone.now():
        raise ValidationError(_("The window has already ended; it cannot be approved."))
    state = AfterHoursPermission.State.APPROVED if approve else AfterHoursPermission.State.REJECTED
    return decide(permission, state, by=by, note=note)
