"""What the controlled area's records prove: 3-2 … 3-12 and 5-9.

Findings need attention; facts say what the evidence is, beside the status.
"""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef
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
from itaku.core.dates import display_date_lazy, retention_ends, wareki_year
from itaku.policy.registry import Evidence, check

# 3-3: how far back the compliance check looks for entries outside the hours.
AFTER_HOURS_LOOKBACK_DAYS = 30
# 3-9: a clean-desk patrol at least this often.
PATROL_INTERVAL_DAYS = 7


def _admitted_entries(at: datetime) -> PassageQuerySet:
    return Passage.objects.effective().filter(
        direction=Passage.Direction.ENTRY, occurred_at__lte=at
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
    areas = list(Area.objects.all())
    findings = tuple(
        format_lazy(_("The signage of {area} has never been checked."), area=area.name)
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
    return Evidence(len(areas), findings, facts)


@check("3-3")
def entries_logged(at: datetime) -> Evidence:
    """3-3: entries are logged; anyone still recorded inside after closing is a finding."""
    findings: list[Promise] = []
    facts: list[Promise] = []
    for area in Area.objects.all():
        inside = list(Passage.objects.inside(area).select_related("person"))
        facts.append(
            format_lazy(_("{area}: {count} inside now"), area=area.name, count=len(inside))
        )
        findings.extend(
            format_lazy(
                _("{name} is still recorded inside {area} since {since}: a missing exit."),
                name=entry.person,
                area=area.name,
                since=_since(entry.occurred_at),
            )
            for entry in inside
            if area.missed_closing(entry.occurred_at, at)
        )
        findings.extend(_entries_after_hours(area, at))
    count = Passage.objects.filter(occurred_at__lte=at).count()
    return Evidence(count, tuple(findings), tuple(facts))


def _entries_after_hours(area: Area, at: datetime) -> list[Promise]:
    """3-3: an admitted entry outside the hours with no after-hours permission covering it,
    however the record came about (the door refuses such an entry)."""
    recent = _admitted_entries(at).filter(
        area=area, occurred_at__gt=at - timedelta(days=AFTER_HOURS_LOOKBACK_DAYS)
    )
    return [
        format_lazy(
            _("{name} entered {area} at {since}, outside its hours, without a permission."),
            name=entry.person,
            area=area.name,
            since=_since(entry.occurred_at),
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
    for area in Area.objects.all():
        overstaying = (
            Passage.objects.inside(area)
            .filter(visitor_permission__ends_at__lte=at)
            .select_related("person")
        )
        findings.extend(
            format_lazy(
                _("Visitor {name} is inside {area} after the permitted window ended."),
                name=entry.person,
                area=area.name,
            )
            for entry in overstaying
        )
        findings.extend(_unwatched_visitors(area))
    waiting = VisitorPermission.objects.filter(
        state=VisitorPermission.State.REQUESTED, ends_at__gt=at
    ).count()
    facts = (format_lazy(_("{count} requests wait for a decision"), count=waiting),)
    decided = VisitorPermission.objects.exclude(state=VisitorPermission.State.REQUESTED)
    return Evidence(decided.count(), tuple(findings), facts if waiting else ())


def _unwatched_visitors(area: Area) -> list[Promise]:
    """3-4: a visitor inside whose monitor is not inside, however the records came about."""
    inside = Passage.objects.inside(area)
    present = set(inside.values_list("person_id", flat=True))
    visitors = (
        inside.filter(visitor_permission__isnull=False)
        .with_current_monitor()
        .select_related("person")
    )
    return [
        format_lazy(
            _("Visitor {name} is inside {area} while the monitor is not."),
            name=entry.person,
            area=area.name,
        )
        for entry in visitors
        if entry.current_monitor_id not in present  # type: ignore[attr-defined]
    ]


@check("3-5")
def visitor_work_reported(at: datetime) -> Evidence:
    """3-5: a visitor who worked and left reports content and result; a missing report is open."""
    left = Passage.objects.effective().filter(
        direction=Passage.Direction.EXIT,
        visitor_permission=OuterRef("permission"),
        occurred_at__lte=at,
    )
    missing = (
        WorkDeclaration.objects.filter(reported_at__isnull=True)
        .filter(Exists(left))
        .select_related("permission__person")
    )
    findings = tuple(
        format_lazy(
            _("The work report of visitor {name} ({purpose}) is missing."),
            name=declaration.permission.person,
            purpose=declaration.permission.purpose,
        )
        for declaration in missing
    )
    return Evidence(WorkDeclaration.objects.count(), findings)


@check("3-6")
def records_retained(at: datetime) -> Evidence:
    """3-6: records are kept three fiscal years, counted from the next 1 April (起算日)."""
    today = timezone.localdate(at)
    years = Passage.objects.values("fiscal_year").annotate(n=Count("pk")).order_by("-fiscal_year")
    findings = []
    facts = []
    for row in years:
        until = retention_ends(row["fiscal_year"])
        facts.append(
            format_lazy(
                _("{year}: {count} passages, kept until {until}"),
                year=_year_label(row["fiscal_year"]),
                count=row["n"],
                until=display_date_lazy(until),
            )
        )
        if until < today:
            findings.append(
                format_lazy(
                    _("Area records of {year} were to be kept until {until}; "
                      "they are due for disposal."),
                    year=_year_label(row["fiscal_year"]),
                    until=display_date_lazy(until),
                )
            )  # fmt: skip
    kept = sum(row["n"] for row in years)
    return Evidence(kept, tuple(findings), tuple(facts))


@check("3-7", "5-9")
def entry_checks_asked(at: datetime) -> Evidence:
    """3-7 and 5-9: every admitted entry recorded the badge and belongings check."""
    unchecked = _admitted_entries(at).exclude(badge_worn=True, only_valuables=True)
    findings = tuple(
        format_lazy(_("Entry of {name} was admitted without the door checks."), name=entry.person)
        for entry in unchecked.select_related("person")[:20]
    )
    refused = Passage.objects.filter(
        outcome=Passage.Outcome.REFUSED, occurred_at__lte=at, occurred_at__gt=at - timedelta(30)
    ).count()
    facts = (format_lazy(_("{count} entries refused in the last 30 days"), count=refused),)
    return Evidence(_admitted_entries(at).count(), findings, facts)


@check("3-8")
def carried_items_witnessed(at: datetime) -> Evidence:
    """3-8: each item carried in or out has a staff witness and what they checked."""
    return Evidence(CarryRecord.objects.filter(occurred_at__lte=at).count())


@check("3-9")
def clean_desk_patrols(at: datetime) -> Evidence:
    """3-9: patrols are held; what they found left unattended needs attention."""
    if not Area.objects.exists():
        return Evidence(0)
    recent = list(
        Patrol.objects.filter(
            patrolled_at__lte=at, patrolled_at__gt=at - timedelta(days=PATROL_INTERVAL_DAYS)
        )
    )
    findings = [
        format_lazy(
            _("Patrol of {day} found: {findings}"),
            day=display_date_lazy(patrol.patrolled_at),
            findings=patrol.findings,
        )
        for patrol in recent
        if not patrol.is_clean
    ]
    if not recent:
        findings.append(
            format_lazy(
                _("No clean-desk patrol in the last {days} days."), days=PATROL_INTERVAL_DAYS
            )
        )
    return Evidence(Patrol.objects.filter(patrolled_at__lte=at).count(), tuple(findings))


@check("3-10")
def storage_checked_daily(at: datetime) -> Evidence:
    """3-10: storage places are registered; yesterday every IC card was found back, locked."""
    places = list(StoragePlace.objects.select_related("key_holder"))
    if not places:
        return Evidence(0)
    yesterday = timezone.localdate(at) - timedelta(days=1)
    day = display_date_lazy(yesterday)
    checks = {found.place_id: found for found in StorageCheck.objects.filter(checked_on=yesterday)}
    findings = []
    for place in places:
        found = checks.get(place.pk)
        if found is None:
            findings.append(
                format_lazy(_("{place} was not checked on {day}."), place=place.name, day=day)
            )
        elif not found.complete:
            findings.append(
                format_lazy(
                    _("{place} on {day}: {present} of {expected} IC cards back, locked: {locked}."),
                    place=place.name,
                    day=day,
                    present=found.cards_present,
                    expected=found.cards_expected,
                    locked=_("yes") if found.locked else _("no"),
                )
            )
    facts = tuple(
        format_lazy(
            _("{place}: key held by {holder}, {cards} IC cards"),
            place=place.name,
            holder=place.key_holder.name,
            cards=place.ic_cards,
        )
        for place in places
    )
    return Evidence(len(places) + len(checks), tuple(findings), facts)


@check("3-11")
def prohibited_categories_defined(at: datetime) -> Evidence:
    """3-11: the prohibited categories are defined, and the entry check asks about them."""
    categories = DeviceCategory.objects.count()
    if not categories:
        return Evidence(0, (_("No prohibited device category is defined."),))
    asked = _admitted_entries(at).filter(prohibited_device__isnull=False).count()
    facts = (format_lazy(_("{count} prohibited device categories"), count=categories),)
    return Evidence(categories + asked, (), facts)


@check("3-12")
def carry_ins_approved(at: datetime) -> Evidence:
    """3-12: devices enter on an approval; one inside on an expired approval is flagged."""
    today = timezone.localdate(at)
    findings = []
    for area in Area.objects.all():
        on_expired = (
            Passage.objects.inside(area)
            .filter(carry_in__in=CarryInRequest.objects.expired(today))
            .select_related("person", "carry_in")
        )
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
    valid = CarryInRequest.objects.valid_on(today).count()
    expired = CarryInRequest.objects.expired(today).count()
    facts = (
        format_lazy(_("{count} approvals valid today"), count=valid),
        format_lazy(_("{count} approvals expired"), count=expired),
    )
    decided = CarryInRequest.objects.exclude(state=CarryInRequest.State.REQUESTED).count()
    return Evidence(decided, tuple(findings), facts)
