"""3-11, 3-12: devices. Each action saves and logs in one transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.area.actions.common import _require_requestable
from itaku.area.events import AreaEvent
from itaku.area.models import (
    CarryInRequest,
    DeviceCategory,
)
from itaku.audit.log import record
from itaku.people.decisions import decide
from itaku.people.models import Person


@transaction.atomic
def request_carry_in(
    *,
    person: Person,
    category: DeviceCategory,
    device: str,
    reason: str,
    starts_on: date,
    ends_on: date,
    storage_place: str,
    by: Person,
) -> CarryInRequest:
    """3-12: the written request, made beforehand, in one's own name."""
    _require_requestable(person, by, timezone.localdate(), "3-12")
    if ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("The period has already ended.")})
    carry_in = CarryInRequest(
        person=person,
        category=category,
        device=device,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        storage_place=storage_place,
        requested_by=by,
        requested_at=timezone.now(),
    )
    carry_in.full_clean()
    carry_in.save()
    record(
        AreaEvent.CARRY_IN_REQUESTED,
        actor=by,
        target=carry_in,
        changes={
            "person": person.pk,
            "category": category.number,
            "device": device,
            "reason": reason,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "storage_place": storage_place,
        },
    )
    return carry_in


@transaction.atomic
def decide_carry_in(
    carry_in: CarryInRequest, *, approve: bool, conditions: str, note: str, by: Person
) -> CarryInRequest:
    """3-12 with 3-1: an approval states its conditions; two deciders produce one decision."""
    if approve and carry_in.ends_on < timezone.localdate():
        raise ValidationError(_("The period has already ended; it cannot be approved."))
    if approve and not conditions.strip():
        raise ValidationError({"conditions": _("State the conditions of the approval.")})
    conditions = conditions if approve else ""
    state = CarryInRequest.State.APPROVED if approve else CarryInRequest.State.REJECTED
    return decide(
        carry_in,
        state,
        by=by,
        note=note,
        changes={"conditions": conditions},
        conditions=conditions,
    )
