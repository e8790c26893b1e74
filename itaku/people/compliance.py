"""What the people records prove."""

import re
from collections import defaultdict
from datetime import date, datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from itaku.audit.describe import event_label
from itaku.audit.models import Event
from itaku.core.bilingual import lazy_message
from itaku.core.dates import display_date_lazy
from itaku.people import authority
from itaku.people.models import Absence, Organization, RoleAssignment
from itaku.people.roles import CITY_ONLY_ROLES, SINGLE_HOLDER_ROLES, Role
from itaku.policy.reads import memo, moment, read, source
from itaku.policy.registry import Evidence, Finding, check


@source("people.assignments")
def _assignments(at: datetime) -> QuerySet[RoleAssignment]:
    """The role assignments current on the day of `at`, with whom they designate."""
    day = timezone.localdate(at)
    return RoleAssignment.objects.current(day).select_related("person__organization")


@source("people.absences")
def _absences(at: datetime) -> QuerySet[Absence]:
    """The absences recorded by `at`, with whom they concern and who recorded them."""
    return Absence.objects.filter(recorded_at__lte=at).select_related("person", "recorded_by")


@source("people.deputy_events")
def _deputy_events(at: datetime) -> QuerySet[Event]:
    return authority.deputy_events(at)


@source("people.manager_designations")
def _manager_designations(at: datetime) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(role=Role.MANAGER)


@source("people.manager_absences")
def _manager_absences(at: datetime) -> QuerySet[Absence]:
    """Every absence of anyone ever designated manager."""
    managers = RoleAssignment.objects.filter(role=Role.MANAGER).values("person_id")
    return Absence.objects.filter(person__in=managers)


def roles_on(day: date) -> dict[int, set[str]]:
    """The roles each person holds on `day`, for everyone, read once per report."""

    def compute() -> dict[int, set[str]]:
        at = moment()
        if at is not None and timezone.localdate(at) == day:
            rows = [(a.person_id, a.role) for a in read("people.assignments", at)]
        else:
            rows = list(RoleAssignment.objects.current(day).values_list("person", "role"))
        held: dict[int, set[str]] = defaultdict(set)
        for person_id, role in rows:
            held[person_id].add(role)
        return dict(held)

    return memo(("people.roles_on", day), compute)


# 3-1: an absence's reason is empty or only blanks.
_WITHOUT_REASON = re.compile(r"^\s*$")


def _doubled(designations: list[RoleAssignment]) -> list[str]:
    holders: dict[str, set[int]] = defaultdict(set)
    for assignment in designations:
        holders[assignment.role].add(assignment.person_id)
    return sorted(role for role, people in holders.items() if len(people) > 1)


def _outside_the_city(assignment: RoleAssignment) -> bool:
    return (
        assignment.role in CITY_ONLY_ROLES
        and assignment.person.organization.kind != Organization.Kind.CITY
    )


def _when(at: datetime) -> Promise:
    return lazy_message(
        "%(day)s %(time)s", day=display_date_lazy(at), time=f"{timezone.localtime(at):%H:%M}"
    )


@check("3-1")
def manager_and_deputy_designated(at: datetime) -> Evidence:
    """3-1: one manager and one deputy, both city staff; the deputy acts only in a recorded,
    reasoned absence recorded by the manager or the superior.

    Read from the records themselves, so a record written around the actions (a script, the
    database shell) shows here as needing attention.
    """
    current: list[RoleAssignment] = read("people.assignments", at)
    designations = [assignment for assignment in current if assignment.role in SINGLE_HOLDER_ROLES]
    held = {assignment.role for assignment in designations}
    findings: list[Promise | str | Finding] = []
    if Role.MANAGER not in held:
        findings.append(_("No manager is designated."))
    if Role.DEPUTY not in held:
        findings.append(_("No deputy is designated to act while the manager is absent."))
    for role in _doubled(designations):
        findings.append(
            lazy_message(
                _("More than one person is %(role)s at the same time."), role=Role(role).label
            )
        )
    for assignment in current:
        if _outside_the_city(assignment):
            findings.append(
                lazy_message(
                    _("%(role)s %(name)s is not city staff."),
                    role=assignment.get_role_display(),
                    name=assignment.person.name,
                )
            )
    absences: list[Absence] = read("people.absences", at)
    for absence in absences:
        if _WITHOUT_REASON.search(absence.reason):
            findings.append(
                lazy_message(
                    _("The absence of %(name)s from %(from)s has no reason."),
                    name=absence.person.name,
                    **{"from": _when(absence.starts_at)},
                )
            )
    for absence in absences:
        if absence.recorded_by_id != absence.person_id and absence.recorder_refusal() is not None:
            findings.append(
                lazy_message(
                    _(
                        "The absence of %(name)s from %(from)s was recorded by %(by)s, who is "
                        "neither the manager nor the superior."
                    ),
                    name=absence.person.name,
                    by=absence.recorded_by.name,
                    **{"from": _when(absence.starts_at)},
                )
            )
    manager_absences: list[Absence] = read("people.manager_absences", at)
    undue = authority.decisions_without_absence(
        read("people.deputy_events", at), read("people.manager_designations", at), manager_absences
    )
    for event in undue:
        findings.append(
            Finding(
                lazy_message(
                    _(
                        "%(name)s decided as deputy on %(at)s while no absence of the manager "
                        "was recorded (%(event)s)."
                    ),
                    name=(event.data.get("actor") or {}).get("name", ""),
                    at=_when(event.occurred_at),
                    event=lazy(event_label, str)(event.code),
                ),
                reverse("audit:event", args=[event.pk]),
            )
        )
    facts: list[Promise | str] = [
        lazy_message(
            _("%(role)s: %(name)s (since %(since)s)"),
            role=assignment.get_role_display(),
            name=assignment.person.name,
            since=display_date_lazy(assignment.starts_on),
        )
        for assignment in designations
    ]
    managers = {a.person_id for a in current if a.role == Role.MANAGER}
    if authority.all_absent(managers, manager_absences, at):
        facts.append(_("The manager is recorded absent now; the deputy acts."))
    return Evidence(count=len(designations), findings=tuple(findings), facts=tuple(facts))
