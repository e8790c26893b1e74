"""3-8: items carried. Each action saves and logs in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.area.events import AreaEvent
from itaku.area.models import (
    Area,
    CarryRecord,
    is_staff,
)
from itaku.audit.log import record
from itaku.people.models import Person


@transaction.atomic
def record_carry(
    *,
    area: Area,
    direction: str,
    items: str,
    carried_by: Person,
    witness: Person,
    checked: str,
    by: Person,
) -> CarryRecord:
    now = timezone.now()
    if witness.pk == carried_by.pk:
        raise ValidationError({"witness": _("The witness must be someone other than the carrier.")})
    if not is_staff(witness, timezone.localdate(now)):
        raise ValidationError({"witness": _("The witness must be staff (3-8).")})
    carry = CarryRecord(
        area=area,
        direction=direction,
        items=items,
        carried_by=carried_by,
        witness=witness,
        checked=checked,
        occurred_at=now,
        recorded_by=by,
    )
    carry.full_clean()
    carry.save()
    record(
        AreaEvent.CARRY_RECORDED,
        actor=by,
        target=carry,
        changes={
            "area": area.pk,
            "direction": direction,
            "items": items,
            "carried_by": carried_by.pk,
            "witness": witness.pk,
            "checked": checked,
        },
    )
    return carry
