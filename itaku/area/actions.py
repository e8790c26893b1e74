"""Audited changes to the controlled area's records. Each saves and logs in one transaction.

Views, the card-reader API, commands and the demo call these; nothing else writes area records.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itaku.area.admission import EntryAnswers, assess_entry, stored
from itaku.area.events import AreaEvent
from itaku.area.models import (
    CURRENT_MONITOR,
    AfterHoursPermission,
    Area,
    CardReader,
    CarryInRequest,
    CarryRecord,
    DeviceCategory,
    MonitorHandover,
    Passage,
    Patrol,
    StorageCheck,
    StoragePlace,
    VisitorPermission,
    VisitorRegistration,
    WorkDeclaration,
    is_staff,
    requestable_by,
)
from itaku.audit.log import record
from itaku.people.actions import register_person
from itaku.people.admission import Refusal
from itaku.people.decisions import decide
from itaku.people.models import Organization, Person
from itaku.people.roles import Role


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _lock(person: Person) -> None:
    """Serialise passages of one person, so a desk and a gate cannot both admit them."""
    Person.objects.select_for_update().filter(pk=person.pk).first()


# 3-2 ----------------------------------------------------------------------------------------


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


# 3-3, 3-4, 3-7, 3-11, 5-9: the door -----------------------------------------------------------


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


# 3-4, 3-5: visitors ---------------------------------------------------------------------------


def _org_key(name: str) -> str:
    """A name as compared: full-width and half-width alike, spaces and case ignored."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _visitor_organization(name: str) -> Organization:
    """3-4: a visitor's organisation is of the visitor kind, never the city or a contractor.

    A typed name that matches the city's or a contractor's organisation is refused: otherwise
    the visitor would be offered as the city's responsible person or on the roster (5-1).
    """
    key = _org_key(name)
    if not key:
        raise ValidationError({"organization": _("Give the visitor's organization.")})
    same = [org for org in Organization.objects.all() if _org_key(org.name) == key]
    staff_side = {Organization.Kind.CITY, Organization.Kind.CONTRACTOR}
    for org in same:
        if org.kind in staff_side:
            raise ValidationError(
                {
                    "organization": _(
                        "%(name)s is the city's or the contractor's organization; a visitor "
                        "is not staff and is registered under their own organization (3-4)."
                    )
                    % {"name": org.name}
                }
            )
    if same:
        return same[0]
    return Organization.objects.create(name=name.strip(), kind=Organization.Kind.VISITOR)


@transaction.atomic
def register_visitor(*, name: str, organization: str, badge_number: str, by: Person) -> Person:
    """A visitor is a person without a staff role; they need a record before a permission."""
    org = _visitor_organization(organization)
    visitor = register_person(
        name=name, name_kana="", organization=org, badge_number=badge_number or None, by=by
    )
    # 3-4, 3-12: the contractor lead may file requests for the visitors they registered.
    VisitorRegistration.objects.create(
        visitor=visitor, registered_by=by, registered_at=timezone.now()
    )
    return visitor


def _require_requestable(person: Person, by: Person, day: date, clause: str) -> None:
    """A request is filed in one's own name (see `requestable_by`)."""
    if not requestable_by(by, day).filter(pk=person.pk).exists():
        raise ValidationError(
            {
                "person": _(
                    "%(by)s may not file this request for %(name)s: a request is made in one's "
                    "own name, the contractor lead's also for their company's people and "
                    "visitors (%(clause)s)."
                )
                % {"by": by.name, "name": person.name, "clause": clause}
            }
        )


@transaction.atomic
def request_visitor_permission(
    *,
    person: Person,
    purpose: str,
    starts_at: datetime,
    ends_at: datetime,
    monitor: Person,
    works_in_area: bool,
    by: Person,
) -> VisitorPermission:
    now = timezone.now()
    _require_requestable(person, by, timezone.localdate(now), "3-4")
    errors: dict[str, str] = {}
    if is_staff(person, timezone.localdate(starts_at)):
        errors["person"] = _("%(name)s is staff and needs no visitor permission.") % {
            "name": person.name
        }
    if Role.CONTRACTOR_LEAD not in monitor.roles_on(timezone.localdate(starts_at)):
        errors["monitor"] = _("The monitor must be the contractor lead (3-4).")
    if ends_at <= now:
        errors["ends_at"] = _("The window has already ended.")
    if errors:
        raise ValidationError(errors)
    permission = VisitorPermission(
        person=person,
        purpose=purpose,
        starts_at=starts_at,
        ends_at=ends_at,
        monitor=monitor,
        works_in_area=works_in_area,
        requested_by=by,
        requested_at=now,
    )
    permission.full_clean()
    permission.save()
    record(
        AreaEvent.VISITOR_REQUESTED,
        actor=by,
        target=permission,
        changes={
            "person": person.pk,
            "purpose": purpose,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "monitor": monitor.pk,
            "works_in_area": works_in_area,
        },
    )
    return permission


@transaction.atomic
def decide_visitor_permission(
    permission: VisitorPermission, *, approve: bool, note: str, by: Person
) -> VisitorPermission:
    """3-4 with 3-1: the manager, or the deputy while the manager is absent, decides once."""
    if approve and permission.ends_at <= timezone.now():
        raise ValidationError(_("The window has already ended; it cannot be approved."))
    state = VisitorPermission.State.APPROVED if approve else VisitorPermission.State.REJECTED
    return decide(permission, state, by=by, note=note)


@transaction.atomic
def declare_work(permission: VisitorPermission, *, work: str, by: Person) -> WorkDeclaration:
    """3-5: the visitor's work is declared before entry."""
    if not permission.works_in_area:
        raise ValidationError(_("This visitor does not work in the area."))
    if permission.state == VisitorPermission.State.REJECTED:
        raise ValidationError(_("The visitor permission was rejected."))
    if WorkDeclaration.objects.filter(permission=permission).exists():
        raise ValidationError(_("The work is already declared."))
    if not work.strip():
        raise ValidationError({"work": _("Describe the work.")})
    declaration = WorkDeclaration.objects.create(
        permission=permission, work=work, declared_at=timezone.now(), declared_by=by
    )
    record(
        AreaEvent.WORK_DECLARED,
        actor=by,
        target=declaration,
        changes={"permission": permission.pk, "work": work},
    )
    return declaration


@transaction.atomic
def report_work(
    declaration: WorkDeclaration, *, content: str, result: str, by: Person
) -> WorkDeclaration:
    """3-5: after the work, its content and result are reported."""
    errors = {}
    if not content.strip():
        errors["report_content"] = _("Describe the work done.")
    if not result.strip():
        errors["report_result"] = _("Describe the result.")
    if errors:
        raise ValidationError(errors)
    updated = WorkDeclaration.objects.filter(pk=declaration.pk, reported_at__isnull=True).update(
        report_content=content, report_result=result, reported_at=timezone.now(), reported_by=by
    )
    if not updated:
        raise ValidationError(_("The work is already reported."))
    declaration.refresh_from_db()
    record(
        AreaEvent.WORK_REPORTED,
        actor=by,
        target=declaration,
        changes={"content": content, "result": result},
    )
    return declaration


# 3-3: entry after hours ------------------------------------------------------------------------


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


# 3-8: items carried ---------------------------------------------------------------------------


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


# 3-11, 3-12: devices --------------------------------------------------------------------------


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


# 3-9, 3-10: storage and patrols ---------------------------------------------------------------


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


# Card readers -------------------------------------------------------------------------------


@transaction.atomic
def register_reader(*, area: Area, name: str, by: Person) -> tuple[CardReader, str]:
    """A new card reader and its token; the token is shown once and only its hash is kept."""
    reader = CardReader(area=area, name=name, registered_by=by, registered_at=timezone.now())
    token = reader.issue_token()
    reader.full_clean()
    reader.save()
    record(
        AreaEvent.READER_REGISTERED,
        actor=by,
        target=reader,
        changes={"area": area.pk, "name": name, "token_hint": reader.token_hint},
    )
    return reader, token


@transaction.atomic
def revoke_reader(reader: CardReader, *, by: Person) -> CardReader:
    if reader.revoked_at is not None:
        raise ValidationError(_("This card reader is already revoked."))
    reader.revoked_at = timezone.now()
    reader.save(update_fields=["revoked_at"])
    record(AreaEvent.READER_REVOKED, actor=by, target=reader, changes={})
    return reader
