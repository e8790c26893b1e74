"""3-3, 3-4, 3-7, 3-11, 5-9: the door. Each action saves and logs in one transaction."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itaku.area.actions.common import _lock
from itaku.area.admission import EntryAnswers, assess_entry, stored
from itaku.area.events import AreaEvent
from itaku.area.models import (
    CURRENT_MONITOR,
    Area,
    CardReader,
    MonitorHandover,
    Passage,
)
from itaku.audit.log import record
from itaku.people.admission import Refusal
from itaku.people.models import Person
from itaku.people.roles import Role


@dataclass(frozen=True)
class EntryResult:
    passage: Passage

    @property
    def admitted(self) -> bool:
        return self.passage.outcome == Passage.Outcome.ADMITTED


def _inside(person: Person, area: Area) -> Passage | None:
    return Passage.objects.inside(area).filter(person=person).first()


@transaction.atomic
def record_entry(
    person: Person,
    area: Area,
    answers: EntryAnswers,
    *,
    by: Person | None,
    reader: CardReader | None = None,
) -> EntryResult:
    """Admit `person` or record the refused attempt, with the reasons, at server time."""
    _lock(person)
    now = timezone.now()
    if _inside(person, area) is not None:
        raise ValidationError(
            {"person": _("%(name)s is already recorded inside.") % {"name": person.name}}
        )
    found = assess_entry(person, area, answers, now)
    permission = found.permission
    passage = Passage.objects.create(
        area=area,
        person=person,
        badge_presented=person.badge_number or "",
        direction=Passage.Direction.ENTRY,
        outcome=Passage.Outcome.ADMITTED if found.admitted else Passage.Outcome.REFUSED,
        refusals=stored(found.refusals),
        occurred_at=now,
        recorded_at=now,
        recorded_by=by,
        reader=reader,
        badge_worn=answers.badge_worn,
        only_valuables=answers.only_valuables,
        prohibited_device=answers.prohibited_device,
        carry_in=answers.carry_in,
        visitor_permission=permission,
        monitor=permission.monitor if permission else None,
    )
    record(
        AreaEvent.ENTRY_ADMITTED if found.admitted else AreaEvent.ENTRY_REFUSED,
        actor=by,
        target=passage,
        changes={
            "area": area.pk,
            "person": person.pk,
            "reader": reader.name if reader else None,
            "badge_worn": answers.badge_worn,
            "only_valuables": answers.only_valuables,
            "prohibited_device": answers.prohibited_device,
            "carry_in": answers.carry_in.pk if answers.carry_in else None,
            "visitor_permission": permission.pk if permission else None,
            "refusals": [refusal.clause_id for refusal in found.refusals],
        },
    )
    return EntryResult(passage)


@transaction.atomic
def record_unknown_badge(area: Area, badge: str, *, reader: CardReader) -> Passage:
    """A card reader read a badge no one holds: a refused attempt is itself a record (3-3)."""
    now = timezone.now()
    passage = Passage.objects.create(
        area=area,
        badge_presented=badge,
        direction=Passage.Direction.ENTRY,
        outcome=Passage.Outcome.REFUSED,
        refusals=stored([Refusal("3-3", gettext_lazy("No one holds this badge number."))]),
        occurred_at=now,
        recorded_at=now,
        reader=reader,
    )
    record(
        AreaEvent.ENTRY_REFUSED,
        actor=None,
        target=passage,
        changes={"area": area.pk, "badge": badge, "reader": reader.name},
    )
    return passage


@transaction.atomic
def record_exit(
    person: Person,
    area: Area,
    *,
    by: Person | None,
    reader: CardReader | None = None,
    occurred_at: datetime | None = None,
    note: str = "",
) -> Passage:
    """Record that `person` left. A missed exit is recorded later with its real time and a note."""
    _lock(person)
    now = timezone.now()
    entry = _inside(person, area)
    if entry is None:
        raise ValidationError(
            {"person": _("%(name)s is not recorded inside.") % {"name": person.name}}
        )
    _require_no_visitor_left_alone(person, area)
    when = occurred_at or now
    if when > now or when < entry.occurred_at:
        raise ValidationError({"occurred_at": _("The exit must be between the entry and now.")})
    if occurred_at is not None and not note.strip():
        raise ValidationError({"note": _("Say why the exit is recorded afterwards.")})
    passage = Passage.objects.create(
        area=area,
        person=person,
        badge_presented=person.badge_number or "",
        direction=Passage.Direction.EXIT,
        outcome=Passage.Outcome.ADMITTED,
        occurred_at=when,
        recorded_at=now,
        recorded_by=by,
        reader=reader,
        visitor_permission=entry.visitor_permission,
        monitor_id=_current_monitor_id(entry),
        note=note,
    )
    record(
        AreaEvent.EXIT_RECORDED,
        actor=by,
        target=passage,
        changes={
            "area": area.pk,
            "person": person.pk,
            "occurred_at": when.isoformat(),
            "reader": reader.name if reader else None,
            "note": note,
        },
    )
    return passage


def _current_monitor_id(entry: Passage) -> int | None:
    found: int | None = (
        Passage.objects.with_current_monitor()
        .filter(pk=entry.pk)
        .values_list(CURRENT_MONITOR, flat=True)
        .first()
    )
    return found


def _require_no_visitor_left_alone(person: Person, area: Area) -> None:
    """3-4: the monitor stays while their visitor is inside, unless the visit is handed over."""
    watched = (
        Passage.objects.inside(area)
        .monitored_by(person)
        .exclude(person=person)
        .select_related("person")
    )
    names = ", ".join(entry.person.name for entry in watched if entry.person is not None)
    if names:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s monitors %(visitors)s, who is still inside: hand the visit over "
                    "to another contractor lead inside, or record the visitor's exit first "
                    "(3-4)."
                )
                % {"name": person.name, "visitors": names}
            }
        )


@transaction.atomic
def hand_over_visitor(entry: Passage, *, to: Person, by: Person) -> MonitorHandover:
    """3-4: another contractor lead inside takes over watching the visitor, so the monitor may
    leave; the visitor is watched throughout."""
    visitor = entry.person
    if visitor is None or entry.visitor_permission_id is None:
        raise ValidationError(_("Only a visitor's entry is handed over."))
    _lock(visitor)
    now = timezone.now()
    if not Passage.objects.inside(entry.area).filter(pk=entry.pk).exists():
        raise ValidationError(
            _("%(name)s is not recorded inside any more.") % {"name": visitor.name}
        )
    current = _current_monitor_id(entry)
    if current is None:
        raise ValidationError(_("Only a visitor's entry is handed over."))
    if to.pk in (current, visitor.pk):
        raise ValidationError({"to": _("Choose another contractor lead to take over.")})
    if Role.CONTRACTOR_LEAD not in to.roles_on(timezone.localdate(now)):
        raise ValidationError({"to": _("The new monitor must be a contractor lead (3-4).")})
    if _inside(to, entry.area) is None:
        raise ValidationError(
            {"to": _("%(name)s is not in the area to watch the visitor (3-4).") % {"name": to.name}}
        )
    handover = MonitorHandover.objects.create(
        entry=entry, from_monitor_id=current, to_monitor=to, handed_at=now, recorded_by=by
    )
    record(
        AreaEvent.VISITOR_HANDED_OVER,
        actor=by,
        target=handover,
        changes={
            "entry": entry.pk,
            "visitor": visitor.pk,
            "from_monitor": current,
            "to_monitor": to.pk,
        },
    )
    return handover


@transaction.atomic
def correct_passage(
    passage: Passage,
    *,
    cancel: bool,
    occurred_at: datetime | None,
    reason: str,
    by: Person,
) -> Passage:
    """3-3: a wrong passage is never edited; a new record points to it and says what was meant."""
    now = timezone.now()
    old = Passage.objects.select_for_update().get(pk=passage.pk)
    if old.outcome != Passage.Outcome.ADMITTED or old.cancelled:
        raise ValidationError(_("Only a recorded entry or exit can be corrected."))
    if old.corrections.exists():
        raise ValidationError(_("This record was already corrected; correct the correction."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record is wrong.")})
    if not cancel and occurred_at is None:
        raise ValidationError({"occurred_at": _("Give the right time, or cancel the record.")})
    if occurred_at is not None and occurred_at > now:
        raise ValidationError({"occurred_at": _("The time is in the future.")})
    correction = Passage.objects.create(
        area=old.area,
        person=old.person,
        badge_presented=old.badge_presented,
        direction=old.direction,
        outcome=Passage.Outcome.ADMITTED,
        occurred_at=old.occurred_at if cancel or occurred_at is None else occurred_at,
        recorded_at=now,
        recorded_by=by,
        badge_worn=old.badge_worn,
        only_valuables=old.only_valuables,
        prohibited_device=old.prohibited_device,
        carry_in=old.carry_in,
        visitor_permission=old.visitor_permission,
        monitor=old.monitor,
        corrects=old,
        cancelled=cancel,
        note=reason,
    )
    record(
        AreaEvent.PASSAGE_CORRECTED,
        actor=by,
        target=correction,
        changes={
            "corrects": old.pk,
            "cancelled": cancel,
            "occurred_at": [old.occurred_at.isoformat(), correction.occurred_at.isoformat()],
            "reason": reason,
        },
    )
    return correction
