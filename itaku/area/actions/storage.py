"""3-9, 3-10: storage and patrols. Each action saves and logs in one transaction."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.area.events import AreaEvent
from itaku.area.models import (
    Area,
    Patrol,
    StorageCheck,
    StoragePlace,
)
from itaku.audit.log import record
from itaku.people.models import Person


@transaction.atomic
def register_storage_place(
    *,
    area: Area,
    name: str,
    kind: str,
    contents: str,
    key_holder: Person,
    ic_cards: int,
    by: Person,
) -> StoragePlace:
    place = StoragePlace(
        area=area, name=name, kind=kind, contents=contents, key_holder=key_holder, ic_cards=ic_cards
    )
    place.full_clean()
    place.save()
    record(
        AreaEvent.STORAGE_PLACE_REGISTERED,
        actor=by,
        target=place,
        changes={
            "area": area.pk,
            "name": name,
            "kind": kind,
            "contents": contents,
            "key_holder": key_holder.pk,
            "ic_cards": ic_cards,
        },
    )
    return place


@dataclass(frozen=True)
class PlaceCount:
    place: StoragePlace
    cards_present: int
    locked: bool
    note: str = ""


@transaction.atomic
def record_storage_check(counts: list[PlaceCount], *, on: date, by: Person) -> list[StorageCheck]:
    """3-10: the day's check, one line per place; a place is checked once a day."""
    if on > timezone.localdate():
        raise ValidationError({"checked_on": _("The day is in the future.")})
    if not counts:
        raise ValidationError(_("There is no storage place to check."))
    done = set(
        StorageCheck.objects.filter(
            checked_on=on, place__in=[count.place for count in counts]
        ).values_list("place__name", flat=True)
    )
    if done:
        raise ValidationError(
            _("Already checked on this day: %(places)s") % {"places": ", ".join(sorted(done))}
        )
    now = timezone.now()
    checks = []
    for count in counts:
        check = StorageCheck.objects.create(
            place=count.place,
            checked_on=on,
            cards_expected=count.place.ic_cards,
            cards_present=count.cards_present,
            locked=count.locked,
            note=count.note,
            checked_by=by,
            checked_at=now,
        )
        record(
            AreaEvent.STORAGE_CHECKED,
            actor=by,
            target=check,
            changes={
                "place": count.place.pk,
                "checked_on": on.isoformat(),
                "cards_expected": count.place.ic_cards,
                "cards_present": count.cards_present,
                "locked": count.locked,
                "note": count.note,
            },
        )
        checks.append(check)
    return checks


@transaction.atomic
def record_patrol(*, area: Area, findings: str, by: Person) -> Patrol:
    """3-9: a clean-desk patrol, with what was found left unattended."""
    patrol = Patrol.objects.create(
        area=area, patrolled_at=timezone.now(), patrolled_by=by, findings=findings.strip()
    )
    record(
        AreaEvent.PATROL_RECORDED,
        actor=by,
        target=patrol,
        changes={"area": area.pk, "findings": patrol.findings},
    )
    return patrol
