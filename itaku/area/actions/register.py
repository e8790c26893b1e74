"""3-2: the area register. Each action saves and logs in one transaction."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.area.actions.common import _iso
from itaku.area.events import AreaEvent
from itaku.area.models import (
    Area,
)
from itaku.audit.log import record
from itaku.people.models import Person


@transaction.atomic
def register_area(
    *,
    name: str,
    place: str,
    boundary: str,
    signage_checked_on: date | None,
    closing_time: time,
    by: Person,
) -> Area:
    area = Area(
        name=name,
        place=place,
        boundary=boundary,
        signage_checked_on=signage_checked_on,
        closing_time=closing_time,
    )
    area.full_clean()
    area.save()
    record(
        AreaEvent.AREA_REGISTERED,
        actor=by,
        target=area,
        changes={
            "name": name,
            "place": place,
            "boundary": boundary,
            "signage_checked_on": _iso(signage_checked_on),
            "closing_time": closing_time.isoformat(),
        },
    )
    return area


AREA_FIELDS = ("name", "place", "boundary", "signage_checked_on", "closing_time")


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date | time) else value


@transaction.atomic
def change_area(area: Area, *, by: Person, **values: object) -> Area:
    """3-2: the register's entry changes (moved boundary, new closing time); the old values
    stay in the audit trail."""
    locked = Area.objects.select_for_update().get(pk=area.pk)
    changes = {}
    for field in AREA_FIELDS:
        old, new = getattr(locked, field), values[field]
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
            setattr(locked, field, new)
    if not changes:
        return locked
    locked.full_clean()
    locked.save(update_fields=list(changes))
    record(AreaEvent.AREA_CHANGED, actor=by, target=locked, changes=changes)
    return locked


@transaction.atomic
def record_signage_check(area: Area, *, on: date, by: Person) -> Area:
    """3-2: someone looked and the signs marking the area are in place."""
    if on > timezone.localdate():
        raise ValidationError({"signage_checked_on": _("The day is in the future.")})
    old = area.signage_checked_on
    area.signage_checked_on = on
    area.save(update_fields=["signage_checked_on"])
    record(
        AreaEvent.SIGNAGE_CHECKED,
        actor=by,
        target=area,
        changes={"signage_checked_on": [_iso(old), on.isoformat()]},
    )
    return area
