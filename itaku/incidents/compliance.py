"""What chapter 6's records prove: 6-1 … 6-6, and the emergency half of 2-2-j.

An incident is looked at while it is open and through the fiscal year it became known in, so a
late report stays visible on the dashboard for that year. With no incident at all, 6-2 … 6-6
have no evidence yet: only the contact chart (6-1) proves readiness beforehand.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.contractors.compliance import contracts_in_force, received_roster
from itaku.core.bilingual import lazy_message
from itaku.core.dates import display_date_lazy, fiscal_year, fiscal_year_bounds
from itaku.incidents.models import (
    ContactChart,
    ContactEntry,
    Incident,
    InvestigationTask,
    Publication,
    is_stale,
)
from itaku.people.compliance import roles_on
from itaku.people.roles import Role
from itaku.policy.reads import memo, read, source
from itaku.policy.registry import Evidence, Finding, check


def _in_view(at: datetime) -> list[Incident]:
    """Open incidents, and those known in the fiscal year of `at`."""
    start, _end = fiscal_year_bounds(fiscal_year(at))
    return memo(
        ("incidents.in_view", at),
        lambda: list(
            Incident.objects.filter(
                Q(state=Incident.State.OPEN) | Q(known_at__date__gte=start), known_at__lte=at
            ).select_related("written_report", "publication")
        ),
    )


def _label(incident: Incident) -> str:
    return f"#{incident.pk} {incident.summary}"


def _at(incident: Incident, text: Any) -> Finding:
    """A finding that links to the incident's page, where it is resolved."""
    return Finding(text, reverse("incidents:detail", args=[incident.pk]))


def _chart_finding(text: Any) -> Finding:
    return Finding(text, reverse("incidents:charts"))


def _chart(at: datetime) -> QuerySet[ContactChart]:
    """6-1: the newest version in force on the day of `at` (`ContactChart.objects.current`)."""
    return ContactChart.objects.filter(effective_from__lte=timezone.localdate(at)).order_by(
        "-version"
    )[:1]


source("incidents.chart")(_chart)


@source("incidents.chart_entries")
def _chart_entries(at: datetime) -> QuerySet[ContactEntry]:
    current = _chart(at).values("pk")
    return ContactEntry.objects.filter(chart__in=current).select_related("person")


def _stale_entries(at: datetime) -> list[ContactEntry]:
    """6-1: `ContactChart.stale_entries` on the records the report read once."""
    day = timezone.localdate(at)
    roles = roles_on(day)
    contracts = contracts_in_force(at)
    rostered = (
        {person_id for contract in contracts for person_id in received_roster(contract)}
        if contracts
        else None
    )
    return [
        entry
        for entry in read("incidents.chart_entries", at)
        if is_stale(entry, roles.get(entry.person_id, set()), rostered)
    ]


@check("6-1")
def contact_chart_current(at: datetime) -> Evidence:
    """6-1: a chart is in force, everyone on it still holds the role, someone answers at night."""
    charts: list[ContactChart] = read("incidents.chart", at)
    if not charts:
        return Evidence(
            count=0, findings=(_chart_finding(_("No contact chart is in force (6-1).")),)
        )
    chart = charts[0]
    entries: list[ContactEntry] = read("incidents.chart_entries", at)
    findings = [
        _chart_finding(
            lazy_message(
                _("%(person)s is on the contact chart as %(role)s but no longer holds that role."),
                person=entry.person.name,
                role=Role(entry.role).label,
            )
        )
        for entry in _stale_entries(at)
    ]
    if not any(entry.reachable_night for entry in entries):
        findings.append(
            _chart_finding(_("No one on the contact chart can be reached at night (6-1)."))
        )
    facts = (
        lazy_message(
            _("Contact chart version %(version)s, in force since %(since)s, %(count)s people"),
            version=chart.version,
            since=display_date_lazy(chart.effective_from),
            count=len(entries),
        ),
    )
    return Evidence(count=1, findings=tuple(findings), facts=facts)


@check("6-2")
def manager_told_at_once(at: datetime) -> Evidence:
    """6-2: the manager (or the deputy) was told within the prompt interval."""
    incidents = _in_view(at)
    findings = [
        _at(
            incident,
            lazy_message(
                _("%(incident)s: the manager was not told within %(minutes)s minutes (6-2)."),
                incident=_label(incident),
                minutes=settings.ITAKU_INCIDENT_PROMPT_MINUTES,
            ),
        )
        for incident in incidents
        if incident.manager_late(at)
    ]
    return Evidence(count=len(incidents), findings=tuple(findings))


@check("6-3")
def superior_told_at_once(at: datetime) -> Evidence:
    """6-3: the manager told the superior within the prompt interval, with the measures."""
    incidents = _in_view(at)
    findings = [
        _at(
            incident,
            lazy_message(
                _("%(incident)s: the superior was not told within %(minutes)s minutes (6-3)."),
                incident=_label(incident),
                minutes=settings.ITAKU_INCIDENT_PROMPT_MINUTES,
            ),
        )
        for incident in incidents
        if incident.superior_late(at)
    ]
    return Evidence(count=len(incidents), findings=tuple(findings))


@check("6-4")
def written_reports(at: datetime) -> Evidence:
    """6-4: a written report within the days of the preliminary report; the law's steps on time.

    The contractor's written report is what the city's own report to the Commission rests on,
    so it is due by the same day as the preliminary report (速報).
    """
    day = timezone.localdate(at)
    incidents = _in_view(at)
    findings = []
    for incident in incidents:
        report = incident.written()
        known_days = (day - timezone.localtime(incident.known_at).date()).days + 1
        if report is None and known_days > settings.ITAKU_INCIDENT_PRELIMINARY_DAYS:
            findings.append(
                _at(
                    incident,
                    lazy_message(
                        _(
                            "%(incident)s: no written report %(days)s days after it became "
                            "known (6-4)."
                        ),
                        incident=_label(incident),
                        days=known_days - 1,
                    ),
                )
            )
        for step in incident.legal_overdue(day):
            findings.append(
                _at(
                    incident,
                    lazy_message(
                        _("%(incident)s: past its legal deadline: %(step)s."),
                        incident=_label(incident),
                        step=LEGAL_STEPS[step],
                    ),
                )
            )
    count = sum(1 for incident in incidents if incident.written() is not None)
    return Evidence(count=count, findings=tuple(findings))


LEGAL_STEPS = {
    "preliminary": _("the preliminary report (速報) to the Commission"),
    "final": _("the final report (確報) to the Commission"),
    "notice": _("notice to the persons concerned"),
}


@check("6-5")
def investigation_tasks(at: datetime) -> Evidence:
    """6-5: investigation and recovery tasks are done by their due date."""
    day = timezone.localdate(at)
    incidents = _in_view(at)
    tasks = InvestigationTask.objects.filter(incident__in=incidents)
    findings = [
        _at(
            task.incident,
            lazy_message(
                _("%(incident)s: %(task)s was due on %(due)s (6-5)."),
                incident=_label(task.incident),
                task=task.description[:40],
                due=display_date_lazy(task.due_on),
            ),
        )
        for task in tasks.overdue(day).select_related("incident")
    ]
    return Evidence(count=tasks.count(), findings=tuple(findings))


@check("6-6")
def publication_decided(at: datetime) -> Evidence:
    """6-6: every closed incident has a publication decision; a published one has its text."""
    incidents = _in_view(at)
    findings = []
    decided = 0
    for incident in incidents:
        publication: Publication | None = getattr(incident, "publication", None)
        if publication is None or publication.state == Publication.State.DRAFT:
            if incident.state == Incident.State.CLOSED:
                findings.append(
                    _at(
                        incident,
                        lazy_message(
                            _("%(incident)s: closed without a publication decision (6-6)."),
                            incident=_label(incident),
                        ),
                    )
                )
            continue
        decided += 1
        if publication.state == Publication.State.PUBLISHED and not (
            publication.text.strip() and publication.published_on
        ):
            findings.append(
                _at(
                    incident,
                    lazy_message(
                        _("%(incident)s: published without its text or date (6-6)."),
                        incident=_label(incident),
                    ),
                )
            )
    return Evidence(count=decided, findings=tuple(findings))


@check("2-2-j")
def emergencies_reported(at: datetime) -> Evidence:
    """2-2-j, the emergency half: incidents reported to the manager and superior on time."""
    incidents = [incident for incident in _in_view(at) if incident.manager_told_at]
    on_time = [incident for incident in incidents if incident.reported_on_time()]
    findings = [
        _at(
            incident,
            lazy_message(
                _("%(incident)s: not reported at once as the contract requires."),
                incident=_label(incident),
            ),
        )
        for incident in incidents
        if incident not in on_time and incident.superior_told_at is not None
    ]
    facts = tuple(
        lazy_message(
            _("%(incident)s: reported at once (%(when)s)"),
            incident=_label(incident),
            when=display_date_lazy(incident.known_at),
        )
        for incident in on_time
    )
    return Evidence(count=len(on_time), findings=tuple(findings), facts=facts)
