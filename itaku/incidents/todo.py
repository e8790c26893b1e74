"""Chapter 6 on the home page: the next step of each open incident, and one's own tasks.

The manager and the deputy see each open incident with the step that stands next (receive it,
tell the superior, sign off the written report); the superior sees those the manager has not
yet told her of; everyone else sees the incidents they reported while they stay open.
"""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.core import todo
from itaku.core.todo import Kind, TodoItem, Tone
from itaku.incidents.models import Incident, InvestigationTask, WrittenReport
from itaku.people.models import Person
from itaku.people.roles import Role
from itaku.people.todo import decision, is_decider


def _open_incidents() -> list[Incident]:
    return list(Incident.objects.open().select_related("written_report").order_by("known_at"))


def _report(incident: Incident) -> WrittenReport | None:
    # select_related leaves the reverse one-to-one absent when there is none: no query here.
    return incident.written()


@todo.provider
def incident_steps(person: Person, now: datetime) -> list[TodoItem | None]:
    """6-2, 6-3, 6-4: the manager receives, tells the superior, signs off the written report."""
    if not is_decider(person, now):
        return []
    items: list[TodoItem | None] = []
    for incident in _open_incidents():
        url = reverse("incidents:detail", args=[incident.pk])
        if incident.manager_told_at is None:
            title = _("Incident %(incident)s: record that you were told") % {"incident": incident}
            items.append(
                TodoItem(title, url, Kind.DO, overdue=incident.manager_late(now), clause="6-2")
            )
        elif incident.superior_told_at is None:
            title = _("Incident %(incident)s: tell the superior") % {"incident": incident}
            items.append(
                TodoItem(title, url, Kind.DO, overdue=incident.superior_late(now), clause="6-3")
            )
        report = _report(incident)
        if report is not None and report.state == WrittenReport.State.SUBMITTED:
            items.append(
                decision(
                    person,
                    now,
                    _("Incident %(incident)s: sign off the written report")
                    % {"incident": incident},
                    url,
                    clause="6-4",
                    parties=(report.submitted_by_id,),
                )
            )
    return items


@todo.provider
def incidents_for_the_superior(person: Person, now: datetime) -> list[TodoItem]:
    """6-3: the superior sees the open incidents the manager has not yet told her of."""
    if Role.SUPERIOR not in todo.roles(person, timezone.localdate(now)):
        return []
    return [
        TodoItem(
            _("Incident %(incident)s: the manager has not told you yet") % {"incident": incident},
            reverse("incidents:detail", args=[incident.pk]),
            Kind.WAITING,
            overdue=incident.superior_late(now),
            status=incident.get_state_display(),
            tone=Tone.ATTENTION,
            clause="6-3",
        )
        for incident in _open_incidents()
        if incident.superior_told_at is None
    ]


@todo.provider
def tasks_owned(person: Person, now: datetime) -> list[TodoItem]:
    """6-5: the investigation tasks one owns, by their due date."""
    day = timezone.localdate(now)
    tasks = InvestigationTask.objects.open().filter(owner=person).select_related("incident")
    return [
        TodoItem(
            _("Investigation task: %(task)s (incident %(incident)s)")
            % {"task": task, "incident": task.incident},
            reverse("incidents:detail", args=[task.incident_id]),
            Kind.DO,
            due=task.due_on,
            overdue=task.due_on < day,
            clause="6-5",
        )
        for task in tasks
    ]


@todo.provider
def incidents_reported(person: Person, now: datetime) -> list[TodoItem]:
    """6-2: the incidents one reported, while they stay open (not for the manager or deputy,
    who see every open incident above)."""
    if is_decider(person, now):
        return []
    reported = Incident.objects.open().filter(reported_by=person)
    return [
        TodoItem(
            _("Incident you reported: %(incident)s") % {"incident": incident},
            reverse("incidents:detail", args=[incident.pk]),
            Kind.WAITING,
            status=incident.get_state_display(),
            tone=Tone.ATTENTION,
            clause="6-2",
        )
        for incident in reported
    ]
