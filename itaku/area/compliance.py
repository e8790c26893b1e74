"""What the controlled area's records prove: 3-2 … 3-12 and 5-9."""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from itaku.area.models import (
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
from itaku.core.dates import fiscal_year, retention_ends, wareki, wareki_year
from itaku.policy.registry import Evidence, check

# 3-9: a clean-desk patrol at least this often.
PATROL_INTERVAL_DAYS = 7


def _admitted_entries() -> PassageQuerySet:
    return Passage.objects.effective().filter(direction=Passage.Direction.ENTRY)


@check("3-2")
def areas_registered(at: datetime) -> Evidence:
    """3-2: an area is marked out, and someone has checked its signs."""
    areas = list(Area.objects.all())
    findings = [
        format_lazy(_("The signage of {area} has never been checked."), area=area.name)
        for area in areas
        if area.signage_checked_on is None
    ]
    if not areas:
        return Evidence(0)
    return Evidence(len(areas), tuple(findings))


@check("3-3")
def entries_logged(at: datetime) -> Evidence:
    """3-3: entries are logged; anyone still recorded inside after closing is a finding."""
    findings = []
    for area in Area.objects.all():
        closing = area.last_closing(at)
        for entry in (
            Passage.objects.inside(area).filter(occurred_at__lt=closing).select_related("person")
        ):
            findings.append(
                format_lazy(
                    _("{name} is still recorded inside {area} since {since}: a missing exit."),
                    name=entry.person,
                    area=area.name,
                    since=timezone.localtime(entry.occurred_at).strftime("%Y-%m-%d %H:%M"),
                )
            )
    return Evidence(Passage.objects.filter(occurred_at__lte=at).count(), tuple(findings))


@check("3-4")
def visitors_permitted(at: datetime) -> Evidence:
    """3-4: visitors enter only on an approved permission; none stays past its window."""
    findings = []
    for area in Area.objects.all():
        overstaying = (
            Passage.objects.inside(area)
            .filter(visitor_permission__ends_at__lte=at)
            .select_related("person")
        )
        for entry in overstaying:
            findings.append(
                format_lazy(
                    _("Visitor {name} is inside {area} after the permitted window ended."),
                    name=entry.person,
                    area=area.name,
                )
            )
    decided = VisitorPermission.objects.exclude(state=VisitorPermission.State.REQUESTED)
    return Evidence(decided.count(), tuple(findings))


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
    """3-6: records are kept three fiscal years; older ones are due for disposal."""
    current = fiscal_year(at)
    years = sorted(set(Passage.objects.values_list("fiscal_year", flat=True).distinct()))
    due = [year for year in years if retention_ends(year) < timezone.localdate(at)]
    findings = tuple(
        format_lazy(
            _("Area records of {year} were to be kept until {until}; they are due for disposal."),
            year=wareki_year(year),
            until=wareki(retention_ends(year)),
        )
        for year in due
    )
    kept = Passage.objects.filter(fiscal_year__lte=current).count()
    return Evidence(kept, findings)


@check("3-7", "5-9")
def entry_checks_asked(at: datetime) -> Evidence:
    """3-7 and 5-9: every admitted entry recorded the badge and belongings check."""
    unchecked = (
        _admitted_entries()
        .filter(occurred_at__lte=at)
        .exclude(badge_worn=True, only_valuables=True)
    )
    findings = tuple(
        format_lazy(_("Entry of {name} was admitted without the door checks."), name=entry.person)
        for entry in unchecked.select_related("person")[:20]
    )
    return Evidence(_admitted_entries().filter(occurred_at__lte=at).count(), findings)


@check("3-8")
def carried_items_witnessed(at: datetime) -> Evidence:
    """3-8: each item carried in or out has a staff witness and what they checked."""
    return Evidence(CarryRecord.objects.filter(occurred_at__lte=at).count())


@check("3-9")
def clean_desk_patrols(at: datetime) -> Evidence:
    """3-9: patrols are held; what they found left unattended needs attention."""
    if not Area.objects.exists():
        return Evidence(0)
    recent = Patrol.objects.filter(
        patrolled_at__lte=at, patrolled_at__gt=at - timedelta(days=PATROL_INTERVAL_DAYS)
    )
    findings = [
        format_lazy(
            _("Patrol of {day} found: {findings}"),
            day=wareki(patrol.patrolled_at),
            findings=patrol.findings,
        )
        for patrol in recent
        if not patrol.is_clean
    ]
    if not recent.exists():
        findings.append(
            format_lazy(
                _("No clean-desk patrol in the last {days} days."), days=PATROL_INTERVAL_DAYS
            )
        )
    return Evidence(Patrol.objects.filter(patrolled_at__lte=at).count(), tuple(findings))


@check("3-10")
def storage_checked_daily(at: datetime) -> Evidence:
    """3-10: storage places are registered; yesterday every IC card was found back, locked."""
    places = list(StoragePlace.objects.all())
    if not places:
        return Evidence(0)
    yesterday = timezone.localdate(at) - timedelta(days=1)
    checks = {check.place_id: check for check in StorageCheck.objects.filter(checked_on=yesterday)}
    findings = []
    for place in places:
        found = checks.get(place.pk)
        if found is None:
            findings.append(
                format_lazy(
                    _("{place} was not checked on {day}."), place=place.name, day=wareki(yesterday)
                )
            )
        elif not found.complete:
            findings.append(
                format_lazy(
                    _("{place} on {day}: {present} of {expected} IC cards back, locked: {locked}."),
                    place=place.name,
                    day=wareki(yesterday),
                    present=found.cards_present,
                    expected=found.cards_expected,
                    locked=_("yes") if found.locked else _("no"),
                )
            )
    return Evidence(len(places) + len(checks), tuple(findings))


@check("3-11")
def prohibited_categories_defined(at: datetime) -> Evidence:
    """3-11: the prohibited categories are defined, and the entry check asks about them."""
    categories = DeviceCategory.objects.count()
    findings = () if categories else (_("No prohibited device category is defined."),)
    asked = _admitted_entries().filter(prohibited_device__isnull=False).count()
    return Evidence(categories + asked if categories else 0, findings)


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
                    until=wareki(entry.carry_in.ends_on),
                )
            )
    decided = CarryInRequest.objects.exclude(state=CarryInRequest.State.REQUESTED).count()
    return Evidence(decided, tuple(findings))
