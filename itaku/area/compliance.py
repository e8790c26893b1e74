"""What the controlled area's records prove: 3-2 … 3-12 and 5-9.

Findings need attention; facts say what the evidence is, beside the status.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from itaku.area.models import (
    AfterHoursPermission,
    Area,
    CarryInRequest,
    CarryRecord,
    DeviceCategory,
    Passage,
    PassageQuerySet,
    Patrol,
    StorageCheck,
    StoragePlace,
    VisitorPermission,
    WorkDeclaration,
)
from itaku.core.business_days import (
    business_days_between,
    previous_business_day,
    previous_business_days,
)
from itaku.core.dates import display_date_lazy, retention_ends, wareki_year
from itaku.people.models import RoleAssignment
from itaku.people.roles import STAFF_ROLES
from itaku.policy.reads import Counts, memo, read, source, totals
from itaku.policy.registry import Evidence, Finding, check

# 3-3: how far back the compliance check looks for entries outside the hours.
AFTER_HOURS_LOOKBACK_DAYS = 30
# 3-9: a clean-desk patrol at least once in this many business days (a week when no holiday
# falls in it), so Golden Week or the year-end closure does not turn the clause red.
PATROL_INTERVAL_BUSINESS_DAYS = 5


@source("area.areas")
def _areas(at: datetime) -> QuerySet[Area]:
    return Area.objects.all()


def registered_areas(at: datetime) -> list[Area]:
    """The controlled areas, read with the report."""
    result: list[Area] = read("area.areas", at)
    return result


def _admitted_entries(at: datetime) -> PassageQuerySet:
    return Passage.objects.effective().filter(
        direction=Passage.Direction.ENTRY, occurred_at__lte=at
    )


_NO_BADGE = Q(person__badge_number__isnull=True) | Q(person__badge_number="")
_ENTRY = Q(direction=Passage.Direction.ENTRY)


def _passage_counts(at: datetime) -> dict[str, int]:
    """The counts the checks take of the log, in one pass over the standing passages."""

    found: list[dict[str, int]] = read("area.passage_counts", at)
    return found[0]


@source("area.passage_counts")
def _passage_totals(at: datetime) -> QuerySet[Passage]:
    checked_badge = _ENTRY & Q(badge_worn=True) & ~_NO_BADGE
    return totals(
        Passage.objects.effective().filter(occurred_at__lte=at),
        logged=Count("pk"),
        entries=Count("pk", filter=_ENTRY),
        badge_checked=Count("pk", filter=checked_badge),
        valuables_checked=Count("pk", filter=_ENTRY & Q(only_valuables=True)),
    )


def _questionable_entries(at: datetime) -> list[Passage]:
    """Admitted entries with an answer at the desk that is not the compliant one, or by someone
    holding no badge: what 3-7, 3-11 and 5-9 name, in the log's order, read once."""

    found: list[Passage] = read("area.questionable_entries", at)
    return found


@source("area.questionable_entries")
def _questionable(at: datetime) -> QuerySet[Passage]:
    questionable = (
        ~Q(badge_worn=True)
        | _NO_BADGE
        | ~Q(only_valuables=True)
        | Q(prohibited_device__isnull=True)
        | Q(prohibited_device=True)
    )
    return _admitted_entries(at).filter(questionable).select_related("person", "carry_in")


def _no_badge(entry: Passage) -> bool:
    return entry.person is None or not entry.person.badge_number


def _inside(area: Area) -> list[Passage]:
    """Who is inside `area` now, with their visitor permission, carry-in and current monitor."""
    return memo(
        ("area.inside", area.pk),
        lambda: list(
            Passage.objects.inside(area)
            .with_current_monitor()
            .select_related("person", "visitor_permission", "carry_in")
        ),
    )


def _fiscal_year_label(year: int) -> str:
    if (get_language() or "ja").startswith("ja"):
        return wareki_year(year)
    return f"FY{year}"


# Rendered when shown, in the reader's language, like the dates.
_year_label = lazy(_fiscal_year_label, str)


def _since(at: datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


@check("3-2")
def areas_registered(at: datetime) -> Evidence:
    """3-2: an area is marked out, and someone has checked its signs."""
    areas = registered_areas(at)
    findings = tuple(
        Finding(
            format_lazy(_("The signage of {area} has never been checked."), area=area.name),
            f"{reverse('area:areas')}#signage-{area.pk}",
        )
        for area in areas
        if area.signage_checked_on is None
    )
    facts = tuple(
        format_lazy(
            _("{area}: {place}, signage checked on {day}"),
            area=area.name,
            place=area.place,
            day=display_date_lazy(area.signage_checked_on),
        )
        for area in areas
        if area.signage_checked_on is not None
    )
    return Evidence(len(facts), findings, facts)


@check("3-3")
def entries_logged(at: datetime) -> Evidence:
    """3-3: entries are logged; anyone still recorded inside after closing is a finding."""
    findings: list[Finding] = []
    facts: list[Promise] = []
    for area in registered_areas(at):
        inside = _inside(area)
        facts.append(
            format_lazy(_("{area}: {count} inside now"), area=area.name, count=len(inside))
        )
        findings.extend(
            Finding(
                format_lazy(
                    _("{name} is still recorded inside {area} since {since}: a missing exit."),
                    name=entry.person,
                    area=area.name,
                    since=_since(entry.occurred_at),
                ),
                reverse("area:missed_exit", args=[entry.pk]),
            )
            for entry in inside
            if area.missed_closing(entry.occurred_at, at)
        )
        findings.extend(_entries_after_hours(area, at))
    # Evidence is what was let through and logged; a refused attempt proves nothing of 3-3.
    count = _passage_counts(at)["logged"]
    return Evidence(count, tuple(findings), tuple(facts))


def _entries_after_hours(area: Area, at: datetime) -> list[Finding]:
    """3-3: an admitted entry outside the hours with no after-hours permission covering it,
    however the record came about (the door refuses such an entry)."""
    recent = _admitted_entries(at).filter(
        area=area, occurred_at__gt=at - timedelta(days=AFTER_HOURS_LOOKBACK_DAYS)
    )
    return [
        Finding(
            format_lazy(
                _("{name} entered {area} at {since}, outside its hours, without a permission."),
                name=entry.person,
                area=area.name,
                since=_since(entry.occurred_at),
            ),
            reverse("area:after_hours"),
        )
        for entry in recent.select_related("person")
        if not area.is_open(entry.occurred_at)
        and entry.person is not None
        and not AfterHoursPermission.objects.covering(
            entry.person, area, entry.occurred_at
        ).exists()
    ]


@check("3-4")
def visitors_permitted(at: datetime) -> Evidence:
    """3-4: visitors enter only on an approved permission; none stays past its window."""
    findings: list[Promise] = []
    for area in registered_areas(at):
        overstaying = [
            entry
            for entry in _inside(area)
            if entry.visitor_permission is not None and entry.visitor_permission.ends_at <= at
        ]
        findings.extend(
            format_lazy(
                _("Visitor {name} is inside {area} after the permitted window ended."),
                name=entry.person,
                area=area.name,
            )
            for entry in overstaying
        )
        findings.extend(_unwatched_visitors(area))
    # A rejected request proves nothing of a permitted visit: only approvals count.
    found = read("area.visitor_counts", at)
    waiting = found["waiting"]
    facts = (format_lazy(_("{count} requests wait for a decision"), count=waiting),)
    return Evidence(found["approved"], tuple(findings), facts if waiting else ())


@source("area.visitor_counts")
def _visitor_counts(at: datetime) -> Counts:
    return Counts(
        waiting=VisitorPermission.objects.filter(
            state=VisitorPermission.State.REQUESTED, ends_at__gt=at
        ),
        approved=VisitorPermission.objects.approved(),
    )


def _unwatched_visitors(area: Area) -> list[Promise]:
    """3-4: a visitor inside whose monitor is not inside, however the records came about."""
    inside = _inside(area)
    present = {entry.person_id for entry in inside}
    visitors = [entry for entry in inside if entry.visitor_permission_id is not None]
    return [
        format_lazy(
            _("Visitor {name} is inside {area} while the monitor is not."),
            name=entry.person,
            area=area.name,
        )
        for entry in visitors
        if entry.current_monitor_id not in present  # type: ignore[attr-defined]
    ]


@source("area.unreported_work")
def _unreported_work(at: datetime) -> QuerySet[WorkDeclaration]:
    left = Passage.objects.effective().filter(
        direction=Passage.Direction.EXIT,
        visitor_permission=OuterRef("permission"),
        occurred_at__lte=at,
    )
    return (
        WorkDeclaration.objects.filter(reported_at__isnull=True)
        .filter(Exists(left))
        .select_related("permission__person")
    )


@check("3-5")
def visitor_work_reported(at: datetime) -> Evidence:
    """3-5: a visitor who worked and left reports content and result; a missing report is open."""
    missing = read("area.unreported_work", at)
    findings = tuple(
        Finding(
            format_lazy(
                _("The work report of visitor {name} ({purpose}) is missing."),
                name=declaration.permission.person,
                purpose=declaration.permission.purpose,
            ),
            reverse("area:visitor", args=[declaration.permission_id]),
        )
        for declaration in missing
    )
    return Evidence(_area_counts(at)["reported_work"], findings)


# 3-6: the records the clause names — the entry log (3-3), visitor permissions (3-4), and the
# work declarations and reports (3-5) — each kept by fiscal year.
RETAINED: tuple[tuple[Promise, type[Passage | VisitorPermission | WorkDeclaration]], ...] = (
    (_("passages"), Passage),
    (_("visitor permissions"), VisitorPermission),
    (_("work declarations and reports"), WorkDeclaration),
)


def _years_source(model: type[Passage | VisitorPermission | WorkDeclaration]) -> None:
    def years(at: datetime) -> QuerySet[Any]:
        by_year = model.objects.values("fiscal_year").annotate(n=Count("pk"))
        return by_year.order_by("-fiscal_year")

    source(f"area.years.{model._meta.model_name}")(years)


for _kind, _model in RETAINED:
    _years_source(_model)


@check("3-6")
def records_retained(at: datetime) -> Evidence:
    """3-6: records are kept three fiscal years, counted from the next 1 April (起算日).

    A year past its period is due for disposal (with a disposal record); which records vanished
    before their time is found by comparing with the audit trail, elsewhere.
    """
    today = timezone.localdate(at)
    findings: list[Promise] = []
    facts: list[Promise] = []
    kept = 0
    for kind, model in RETAINED:
        for row in read(f"area.years.{model._meta.model_name}", at):
            until = retention_ends(row["fiscal_year"])
            facts.append(
                format_lazy(
                    _("{year}: {count} {kind}, kept until {until}"),
                    year=_year_label(row["fiscal_year"]),
                    count=row["n"],
                    kind=kind,
                    until=display_date_lazy(until),
                )
            )
            if until < today:
                findings.append(
                    format_lazy(
                        _("{kind} of {year} were to be kept until {until}; "
                          "they are due for disposal."),
                        kind=kind,
                        year=_year_label(row["fiscal_year"]),
                        until=display_date_lazy(until),
                    )
                )  # fmt: skip
            else:
                kept += row["n"]
    return Evidence(kept, tuple(findings), tuple(facts))


def _entry_link(entry: Passage) -> str:
    return reverse("area:correct_passage", args=[entry.pk])


@check("3-7")
def badges_checked_at_entry(at: datetime) -> Evidence:
    """3-7: every admitted entry recorded that the badge was worn, by someone who has one.

    An answer left unknown (None) is no check: a reader that cannot tell must say so, and the
    entry is then refused, not assumed.
    """
    questionable = _questionable_entries(at)
    unchecked = [entry for entry in questionable if entry.badge_worn is not True]
    findings = [
        Finding(
            format_lazy(
                _("Entry of {name} on {day} was admitted without a badge check."),
                name=entry.person,
                day=display_date_lazy(entry.occurred_at),
            ),
            _entry_link(entry),
        )
        for entry in unchecked[:20]
    ]
    no_badge = [entry for entry in questionable if entry.badge_worn is True and _no_badge(entry)]
    findings.extend(
        Finding(
            format_lazy(
                _("{name} was admitted on {day} but holds no ID card or name tag."),
                name=entry.person,
                day=display_date_lazy(entry.occurred_at),
            ),
            reverse("people:detail", args=[entry.person_id]),
        )
        for entry in no_badge[:20]
    )
    refused = _area_counts(at)["refused"]
    facts = (format_lazy(_("{count} entries refused in the last 30 days"), count=refused),)
    return Evidence(_passage_counts(at)["badge_checked"], tuple(findings), facts)


@check("5-9")
def belongings_checked_at_entry(at: datetime) -> Evidence:
    """5-9: every admitted entry recorded that only valuables such as a wallet were carried."""
    questionable = _questionable_entries(at)
    unchecked = [entry for entry in questionable if entry.only_valuables is not True]
    findings = tuple(
        Finding(
            format_lazy(
                _("Entry of {name} on {day} was admitted without the belongings check."),
                name=entry.person,
                day=display_date_lazy(entry.occurred_at),
            ),
            _entry_link(entry),
        )
        for entry in unchecked[:20]
    )
    return Evidence(_passage_counts(at)["valuables_checked"], findings)


@source("area.carry_records")
def _carry_records(at: datetime) -> QuerySet[CarryRecord]:
    return CarryRecord.objects.filter(occurred_at__lte=at).select_related("carried_by", "witness")


@source("area.witness_roles")
def _witness_roles(at: datetime) -> QuerySet[RoleAssignment]:
    """The staff roles (3-3) of everyone who witnessed a carry record."""
    witnesses = CarryRecord.objects.filter(occurred_at__lte=at).values("witness_id")
    return RoleAssignment.objects.filter(person_id__in=witnesses, role__in=STAFF_ROLES)


def _staff_periods(at: datetime, person_ids: set[int]) -> dict[int, list[RoleAssignment]]:
    """The staff roles (3-3) each person held, read once for all the carry records."""
    periods: dict[int, list[RoleAssignment]] = {pk: [] for pk in person_ids}
    for assignment in read("area.witness_roles", at):
        if assignment.person_id in periods:
            periods[assignment.person_id].append(assignment)
    return periods


def _held_on(assignments: list[RoleAssignment], day: date) -> bool:
    return any(a.starts_on <= day and (a.ends_on is None or a.ends_on >= day) for a in assignments)


@check("3-8")
def carried_items_witnessed(at: datetime) -> Evidence:
    """3-8: each item carried in or out has a staff witness other than the carrier, who
    recorded what they checked. A record without that is no evidence, whoever wrote it."""
    findings: list[Finding] = []
    witnessed = 0
    records: list[CarryRecord] = read("area.carry_records", at)
    staff = _staff_periods(at, {carry.witness_id for carry in records})
    for carry in records:
        day = timezone.localdate(carry.occurred_at)
        problem: Promise | None = None
        if carry.witness_id == carry.carried_by_id:
            problem = _("the carrier witnessed their own items")
        elif not _held_on(staff[carry.witness_id], day):
            problem = _("the witness was not staff")
        elif not carry.checked.strip():
            problem = _("nothing checked is recorded")
        if problem is None:
            witnessed += 1
            continue
        findings.append(
            Finding(
                format_lazy(
                    _("Items carried by {name} on {day} ({items}): {problem}."),
                    name=carry.carried_by,
                    day=display_date_lazy(carry.occurred_at),
                    items=carry.items[:40],
                    problem=problem,
                ),
                reverse("area:carry_log"),
            )
        )
    return Evidence(witnessed, tuple(findings))


@source("area.recent_patrols")
def _recent_patrols(at: datetime) -> QuerySet[Patrol]:
    """3-9: the patrols of the last `PATROL_INTERVAL_BUSINESS_DAYS` business days."""
    today = timezone.localdate(at)
    window = previous_business_days(today, PATROL_INTERVAL_BUSINESS_DAYS)
    since = min(window, default=today)
    return Patrol.objects.filter(
        patrolled_at__lte=at,
        patrolled_at__gte=datetime.combine(since, time.min, tzinfo=timezone.get_current_timezone()),
    )


@check("3-9")
def clean_desk_patrols(at: datetime) -> Evidence:
    """3-9: patrols are held; what they found left unattended needs attention."""
    if not registered_areas(at):
        return Evidence(0)
    recent: list[Patrol] = read("area.recent_patrols", at)
    link = reverse("area:patrols")
    findings = [
        Finding(
            format_lazy(
                _("Patrol of {day} found: {findings}"),
                day=display_date_lazy(patrol.patrolled_at),
                findings=patrol.findings,
            ),
            link,
        )
        for patrol in recent
        if not patrol.is_clean
    ]
    if not recent:
        findings.append(
            Finding(
                format_lazy(
                    _("No clean-desk patrol in the last {days} business days."),
                    days=PATROL_INTERVAL_BUSINESS_DAYS,
                ),
                link,
            )
        )
    return Evidence(_area_counts(at)["patrols"], tuple(findings))


def _missed_days(place: StoragePlace, checks: dict[date, StorageCheck], today: date) -> list[date]:
    """3-10: business days before today with no check of `place`, since its first check.

    A place never checked owes the last business day. A check recorded on a later day counts
    for its day only with a note saying why it is late: that note is the explanation of the
    missed day, kept in the audit trail with the check.
    """
    last_due = previous_business_day(today)
    if last_due is None:
        return []
    first = min(checks) if checks else last_due
    missed = []
    for day in business_days_between(first, last_due):
        found = checks.get(day)
        late_unexplained = (
            found is not None
            and timezone.localdate(found.checked_at) > day
            and not found.note.strip()
        )
        if found is None or late_unexplained:
            missed.append(day)
    return missed


@source("area.storage_places")
def _storage_places(at: datetime) -> QuerySet[StoragePlace]:
    return StoragePlace.objects.select_related("key_holder")


@source("area.storage_checks")
def _storage_checks(at: datetime) -> QuerySet[StorageCheck]:
    return StorageCheck.objects.filter(checked_on__lt=timezone.localdate(at))


@check("3-10")
def storage_checked_daily(at: datetime) -> Evidence:
    """3-10: storage places are registered; on every business day every IC card was found
    back, locked. A missed business day stays a finding until someone records why."""
    places: list[StoragePlace] = read("area.storage_places", at)
    if not places:
        return Evidence(0)
    today = timezone.localdate(at)
    by_place: dict[int, dict[date, StorageCheck]] = {place.pk: {} for place in places}
    for found in read("area.storage_checks", at):
        by_place[found.place_id][found.checked_on] = found
    findings: list[Finding] = []
    link = reverse("area:storage_check")
    complete = 0
    for place in places:
        checks = by_place[place.pk]
        for day in _missed_days(place, checks, today):
            text = (
                _("{place} was not checked on {day}.")
                if day not in checks
                else _("{place} was checked late for {day} without saying why.")
            )
            findings.append(
                Finding(format_lazy(text, place=place.name, day=display_date_lazy(day)), link)
            )
        for day, found in sorted(checks.items()):
            if found.complete:
                complete += 1
                continue
            findings.append(
                Finding(
                    format_lazy(
                        _("{place} on {day}: {present} of {expected} IC cards back, "
                          "locked: {locked}."),
                        place=place.name,
                        day=display_date_lazy(day),
                        present=found.cards_present,
                        expected=found.cards_expected,
                        locked=_("yes") if found.locked else _("no"),
                    ),
                    link,
                )
            )  # fmt: skip
    facts = tuple(
        format_lazy(
            _("{place}: key held by {holder}, {cards} IC cards"),
            place=place.name,
            holder=place.key_holder.name,
            cards=place.ic_cards,
        )
        for place in places
    )
    return Evidence(complete, tuple(findings), facts)


@check("3-11")
def prohibited_devices_kept_out(at: datetime) -> Evidence:
    """3-11: the prohibited categories are defined, every entry asked about them, and no one
    was admitted with such a device except on an approved carry-in covering that day (3-12)."""
    categories = _area_counts(at)["categories"]
    findings: list[Promise | Finding] = []
    if not categories:
        findings.append(_("No prohibited device category is defined."))
    wrong = 0
    for entry in _questionable_entries(at):
        if entry.prohibited_device is False:
            continue
        day = timezone.localdate(entry.occurred_at)
        if entry.prohibited_device is None:
            text = _("Entry of {name} on {day} was admitted without asking about devices.")
        elif entry.carry_in is None:
            text = _("{name} was admitted on {day} with a prohibited device and no approval.")
        elif entry.carry_in.person_id != entry.person_id or not entry.carry_in.is_valid_on(day):
            text = _("{name} was admitted on {day} with a device the approval does not cover.")
        else:
            continue
        wrong += 1
        findings.append(
            Finding(
                format_lazy(text, name=entry.person, day=display_date_lazy(entry.occurred_at)),
                _entry_link(entry),
            )
        )
    # Evidence is the entries where the question was asked and answered acceptably; the
    # categories alone prove nothing (an empty list of rules is not compliance).
    facts = (format_lazy(_("{count} prohibited device categories"), count=categories),)
    if not categories:
        return Evidence(0, tuple(findings), facts)
    return Evidence(_passage_counts(at)["entries"] - wrong, tuple(findings), facts)


_INCOMPLETE = Q(storage_place__regex=r"^\s*$") | Q(conditions__regex=r"^\s*$")


def _area_counts(at: datetime) -> dict[str, int]:
    """The counts of the area's other records that the checks state, in one statement."""
    found: dict[str, int] = read("area.counts", at)
    return found


@source("area.counts")
def _counts(at: datetime) -> Counts:
    today = timezone.localdate(at)
    return Counts(
        refused=Passage.objects.filter(
            outcome=Passage.Outcome.REFUSED,
            occurred_at__lte=at,
            occurred_at__gt=at - timedelta(30),
        ),
        categories=DeviceCategory.objects.all(),
        valid_carry_ins=CarryInRequest.objects.valid_on(today),
        expired_carry_ins=CarryInRequest.objects.expired(today),
        complete_carry_ins=CarryInRequest.objects.approved().exclude(_INCOMPLETE),
        reported_work=WorkDeclaration.objects.filter(
            reported_at__isnull=False, reported_at__lte=at
        ),
        patrols=Patrol.objects.filter(patrolled_at__lte=at),
    )


@source("area.incomplete_carry_ins")
def _incomplete_carry_ins(at: datetime) -> QuerySet[CarryInRequest]:
    return CarryInRequest.objects.approved().filter(_INCOMPLETE).select_related("person")


@check("3-12")
def carry_ins_approved(at: datetime) -> Evidence:
    """3-12: devices enter on an approval naming the storage place and the conditions; one
    inside on an expired approval is flagged."""
    today = timezone.localdate(at)
    findings: list[Promise | Finding] = []
    for area in registered_areas(at):
        on_expired = [
            entry
            for entry in _inside(area)
            if entry.carry_in is not None
            and entry.carry_in.state == CarryInRequest.State.APPROVED
            and entry.carry_in.ends_on < today
        ]
        for entry in on_expired:
            assert entry.carry_in is not None  # noqa: S101 - filtered on it
            findings.append(
                format_lazy(
                    _("{device} of {name} is inside {area} on an approval that ended {until}."),
                    device=entry.carry_in.device,
                    name=entry.person,
                    area=area.name,
                    until=display_date_lazy(entry.carry_in.ends_on),
                )
            )
    incomplete = read("area.incomplete_carry_ins", at)
    findings.extend(
        Finding(
            format_lazy(
                _("The approval for {device} of {name} names no storage place or conditions."),
                device=request.device,
                name=request.person,
            ),
            reverse("area:carry_in_requests"),
        )
        for request in incomplete
    )
    found = _area_counts(at)
    valid, expired = found["valid_carry_ins"], found["expired_carry_ins"]
    facts = (
        format_lazy(_("{count} approvals valid today"), count=valid),
        format_lazy(_("{count} approvals expired"), count=expired),
    )
    # Only approvals are evidence; a rejected request proves nothing of an approved carry-in.
    return Evidence(found["complete_carry_ins"], tuple(findings), facts)
