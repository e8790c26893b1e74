"""What `itaku daily` reminds the manager and deputy of, from the facts the apps already keep.

Each reminder names its occasion (the fact and its instance); an occasion is mailed once. The
rules stay where they live: training validity in contractors (5-6), report periods on the
contract (5-10), carry-in approvals on their QuerySet (3-12), closing time on the area (3-3).
Texts are rendered in Japanese, the language the city's staff read.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.area.models import Area, CarryInRequest, Passage, StorageCheck, StoragePlace
from itaku.contractors.models import Contract, last_trained_on, training_valid_from
from itaku.core.dates import wareki
from itaku.people.models import Organization, Person
from itaku.people.roles import Role

# How far ahead a training or a device approval that runs out is announced.
TRAINING_NOTICE_DAYS = 30
CARRY_IN_NOTICE_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    occasion: str
    clause: str
    text: str
    # The contractor concerned: its lead is told as well.
    contractor: Organization | None = None


def _contractor(person: Person) -> Organization | None:
    organization = person.organization
    return organization if organization.kind == Organization.Kind.CONTRACTOR else None


def training(today: date) -> Iterator[Reminder]:
    """5-6: rostered people whose training runs out within 30 days, or has run out."""
    expiring_before = training_valid_from(today + timedelta(days=TRAINING_NOTICE_DAYS))
    still_valid_from = training_valid_from(today)
    for contract in Contract.objects.current(today).select_related("contractor"):
        roster = contract.current_roster()
        if roster is None:
            continue
        for entry in roster.entries.select_related("person"):
            person = entry.person
            trained = last_trained_on(person)
            if trained is None or trained >= expiring_before:
                continue
            # The last day it counts: the training plus the validity of 5-6.
            ends = trained + (today - still_valid_from)
            if trained < still_valid_from:
                yield Reminder(
                    f"training-expired:{person.pk}:{trained}",
                    "5-6",
                    _(
                        "%(person)s: the training of %(trained)s no longer counts; they are kept "
                        "out of the area until trained again."
                    )
                    % {"person": person.name, "trained": wareki(trained)},
                    contract.contractor,
                )
            else:
                yield Reminder(
                    f"training-expiring:{person.pk}:{trained}",
                    "5-6",
                    _("%(person)s: the training of %(trained)s counts until %(ends)s.")
                    % {"person": person.name, "trained": wareki(trained), "ends": wareki(ends)},
                    contract.contractor,
                )


def reports(today: date) -> Iterator[Reminder]:
    """5-10: a period has ended and its report is due; past the grace days it is overdue."""
    for contract in Contract.objects.current(today).select_related("contractor"):
        overdue = contract.overdue_report_periods(today)
        reported = set(contract.periodic_reports.values_list("period_start", flat=True))
        for start, end in contract.report_periods(today):
            if end >= today or start in reported:
                continue
            period = {"contract": contract.title, "start": wareki(start), "end": wareki(end)}
            if (start, end) in overdue:
                yield Reminder(
                    f"report-overdue:{contract.pk}:{start}",
                    "5-10",
                    _("%(contract)s: the report for %(start)s to %(end)s is overdue.") % period,
                    contract.contractor,
                )
            else:
                yield Reminder(
                    f"report-due:{contract.pk}:{start}",
                    "5-10",
                    _("%(contract)s: the report for %(start)s to %(end)s is due.") % period,
                    contract.contractor,
                )


def carry_ins(today: date) -> Iterator[Reminder]:
    """3-12: device approvals that end within a week."""
    ending = (
        CarryInRequest.objects.valid_on(today)
        .filter(ends_on__lte=today + timedelta(days=CARRY_IN_NOTICE_DAYS))
        .select_related("person__organization")
    )
    for request in ending:
        yield Reminder(
            f"carry-in-expiring:{request.pk}:{request.ends_on}",
            "3-12",
            _("The approval to bring %(device)s (%(person)s) into the area ends on %(ends)s.")
            % {
                "device": request.device,
                "person": request.person.name,
                "ends": wareki(request.ends_on),
            },
            _contractor(request.person),
        )


def storage_checks(today: date) -> Iterator[Reminder]:
    """3-10: yesterday's check that every IC card is back is missing or found cards missing."""
    yesterday = today - timedelta(days=1)
    checks = {c.place_id: c for c in StorageCheck.objects.filter(checked_on=yesterday)}
    for place in StoragePlace.objects.order_by("pk"):
        found = checks.get(place.pk)
        if found is not None and found.complete:
            continue
        if found is None:
            text = _("%(place)s: the IC card check of %(day)s is missing.")
        else:
            text = _("%(place)s: on %(day)s not every IC card was back, or it was not locked.")
        yield Reminder(
            f"storage-check:{place.pk}:{yesterday}",
            "3-10",
            text % {"place": place.name, "day": wareki(yesterday)},
        )


def still_inside(now: datetime) -> Iterator[Reminder]:
    """3-3: people still recorded inside after closing time (a missing exit)."""
    for area in Area.objects.all():
        for entry in Passage.objects.inside(area).select_related("person__organization"):
            if entry.person is None or not area.missed_closing(entry.occurred_at, now):
                continue
            yield Reminder(
                f"inside-after-closing:{entry.pk}",
                "3-3",
                _("%(person)s is still recorded inside %(area)s since %(since)s.")
                % {
                    "person": entry.person.name,
                    "area": area.name,
                    "since": timezone.localtime(entry.occurred_at).strftime("%m/%d %H:%M"),
                },
                _contractor(entry.person),
            )


def due(now: datetime) -> list[Reminder]:
    today = timezone.localdate(now)
    return [
        *still_inside(now),
        *storage_checks(today),
        *carry_ins(today),
        *training(today),
        *reports(today),
    ]


def recipients(reminder: Reminder, day: date) -> list[Person]:
    """The manager and deputy; the contractor's lead for the contractor's own matters."""
    roles = [Role.MANAGER, Role.DEPUTY]
    people = list(Person.objects.filter(pk__in=_holders(roles, day)).select_related("user"))
    if reminder.contractor is not None:
        people += (
            Person.objects.holding(Role.CONTRACTOR_LEAD, day)
            .filter(organization=reminder.contractor)
            .select_related("user")
        )
    return people


def _holders(roles: list[Role], day: date) -> set[int]:
    return {
        pk
        for role in roles
        for pk in Person.objects.holding(role, day).values_list("pk", flat=True)
    }
