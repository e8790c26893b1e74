"""What the people records prove."""

from collections import defaultdict
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from itaku.audit.describe import event_label
from itaku.core.bilingual import lazy_message
from itaku.core.dates import display_date_lazy
from itaku.people import authority
from itaku.people.models import Absence, RoleAssignment
from itaku.people.roles import SINGLE_HOLDER_ROLES, Role
from itaku.policy.reads import memo
from itaku.policy.registry import Evidence, Finding, check


def roles_on(day: date) -> dict[int, set[str]]:
    """The roles each person holds on `day`, for everyone in one query per report."""

    def read() -> dict[int, set[str]]:
        held: dict[int, set[str]] = defaultdict(set)
        for person_id, role in RoleAssignment.objects.current(day).values_list("person", "role"):
            held[person_id].add(role)
        return dict(held)

    return memo(("people.roles_on", day), read)


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
    day = timezone.localdate(at)
    current = RoleAssignment.objects.current(day).select_related("person")
    designations = list(current.filter(role__in=SINGLE_HOLDER_ROLES))
    held = {assignment.role for assignment in designations}
    findings: list[Promise | str | Finding] = []
    if Role.MANAGER not in held:
        findings.append(_("No manager is designated."))
    if Role.DEPUTY not in held:
        findings.append(_("No deputy is designated to act while the manager is absent."))
    for role in RoleAssignment.objects.doubled_on(day):
        findings.append(
            lazy_message(
                _("More than one person is %(role)s at the same time."), role=Role(role).label
            )
        )
    for assignment in RoleAssignment.objects.outside_the_city_on(day).select_related("person"):
        findings.append(
            lazy_message(
                _("%(role)s %(name)s is not city staff."),
                role=assignment.get_role_display(),
                name=assignment.person.name,
            )
        )
    absences = Absence.objects.filter(recorded_at__lte=at)
    for absence in absences.without_reason().select_related("person"):
        findings.append(
            lazy_message(
                _("The absence of %(name)s from %(from)s has no reason."),
                name=absence.person.name,
                **{"from": _when(absence.starts_at)},
            )
        )
    for absence in absences.recorded_by_someone_else():
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
    for event in authority.deputy_decisions_without_absence(at):
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
    if authority.manager_absent(at):
        facts.append(_("The manager is recorded absent now; the deputy acts."))
    return Evidence(count=len(designations), findings=tuple(findings), facts=tuple(facts))
