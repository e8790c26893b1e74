"""Every change to chapter 6's records: check, save, audit, in one transaction; mail on commit."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itaku.audit.log import record
from itaku.incidents import notify
from itaku.incidents.events import IncidentEvent
from itaku.incidents.models import (
    ContactChart,
    ContactEntry,
    Incident,
    InvestigationTask,
    Publication,
    WrittenReport,
)
from itaku.people.authority import require_approving_capacity
from itaku.people.decisions import decide
from itaku.people.models import Person
from itaku.people.roles import Role


def _not_in_future(value: date | datetime, field: str) -> None:
    now = timezone.now()
    late = value > now if isinstance(value, datetime) else value > timezone.localdate(now)
    if late:
        raise ValidationError({field: _("This cannot be in the future.")})


# Contact chart (6-1)


@dataclass(frozen=True)
class EntryData:
    person: Person
    role: str
    phone: str
    mail: str = ""
    reachable_day: bool = True
    reachable_night: bool = False


@transaction.atomic
def issue_contact_chart(
    *, effective_from: date, entries: Iterable[EntryData], note: str = "", by: Person
) -> ContactChart:
    """6-1: a new version of the chart; the order of `entries` is the escalation order."""
    rows = list(entries)
    if not rows:
        raise ValidationError(_("A contact chart names at least one person (6-1)."))
    for row in rows:
        if not row.phone.strip():
            raise ValidationError(
                _("%(person)s: a phone number is needed so they can be reached (6-1).")
                % {"person": row.person}
            )
    # Locked so that two charts issued at once do not take the same version number.
    last = ContactChart.objects.select_for_update().order_by("-version").first()
    chart = ContactChart.objects.create(
        version=(last.version + 1) if last else 1,
        effective_from=effective_from,
        note=note,
        issued_by=by,
    )
    ContactEntry.objects.bulk_create(
        ContactEntry(
            chart=chart,
            person=row.person,
            role=row.role,
            phone=row.phone.strip(),
            mail=row.mail.strip(),
            order=number,
            reachable_day=row.reachable_day,
            reachable_night=row.reachable_night,
        )
        for number, row in enumerate(rows, start=1)
    )
    record(
        IncidentEvent.CHART_ISSUED,
        actor=by,
        target=chart,
        changes={
            "version": chart.version,
            "effective_from": effective_from.isoformat(),
            "entries": [row.person.pk for row in rows],
        },
    )
    return chart


# The chain of immediate reports (6-2, 6-3)


@transaction.atomic
def report_incident(
    *,
    kind: str,
    summary: str,
    known_at: datetime,
    place: str = "",
    details: str = "",
    by: Person,
) -> Incident:
    """6-2: anyone on the staff opens an incident; the manager and the deputy are told at once."""
    _not_in_future(known_at, "known_at")
    incident = Incident.objects.create(
        kind=kind, summary=summary, known_at=known_at, place=place, details=details, reported_by=by
    )
    record(
        IncidentEvent.REPORTED,
        actor=by,
        target=incident,
        changes={"kind": kind, "summary": summary, "known_at": known_at.isoformat()},
    )
    # robust: a mail server that is down is logged; the incident stays recorded.
    transaction.on_commit(lambda: notify.incident_reported(incident.pk), robust=True)
    return incident


def _receiving_capacity(person: Person, at: datetime) -> str:
    """6-2: the manager receives the report; the deputy may take it in the manager's place."""
    roles = person.roles_on(timezone.localdate(at))
    if Role.MANAGER in roles:
        return Role.MANAGER.value
    if Role.DEPUTY in roles:
        return Role.DEPUTY.value
    raise ValidationError(_("Only the manager or the deputy receives an incident report (6-2)."))


@transaction.atomic
def receive_incident(incident: Incident, *, by: Person, at: datetime | None = None) -> Incident:
    """6-2: the manager (or the deputy) records having been told, and when."""
    at = at or timezone.now()
    _not_in_future(at, "at")
    capacity = _receiving_capacity(by, at)
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.manager_told_at is not None:
        raise ValidationError(_("The manager has already been told of this incident."))
    if at < locked.known_at:
        raise ValidationError({"at": _("The manager cannot be told before it was known (6-2).")})
    locked.manager_told_at, locked.manager_told = at, by
    locked.save(update_fields=["manager_told_at", "manager_told"])
    record(
        IncidentEvent.MANAGER_TOLD,
        actor=by,
        capacity=capacity,
        target=locked,
        changes={"manager_told_at": at.isoformat()},
    )
    return locked


@transaction.atomic
def tell_superior(
    incident: Incident,
    *,
    superior: Person,
    measures: str,
    at: datetime | None = None,
    by: Person,
) -> Incident:
    """6-3: the manager reports to the superior at once, with the measures taken."""
    at = at or timezone.now()
    _not_in_future(at, "at")
    capacity = _receiving_capacity(by, at)
    if Role.SUPERIOR not in superior.roles_on(timezone.localdate(at)):
        raise ValidationError({"superior": _("This person is not a superior (6-3).")})
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.manager_told_at is None:
        raise ValidationError(_("Record first that the manager was told (6-2)."))
    if locked.superior_told_at is not None:
        raise ValidationError(_("The superior has already been told of this incident."))
    if at < locked.manager_told_at:
        raise ValidationError(
            {"at": _("The superior cannot be told before the manager was (6-3).")}
        )
    locked.superior_told_at, locked.superior, locked.measures = at, superior, measures
    locked.save(update_fields=["superior_told_at", "superior", "measures"])
    record(
        IncidentEvent.SUPERIOR_TOLD,
        actor=by,
        capacity=capacity,
        target=locked,
        changes={
            "superior_told_at": at.isoformat(),
            "superior": superior.pk,
            "measures": measures,
        },
    )
    return locked


@transaction.atomic
def close_incident(incident: Incident, *, note: str, by: Person) -> Incident:
    """The manager closes an incident once every step of chapter 6 is done."""
    Incident.objects.select_for_update().filter(pk=incident.pk).first()
    incident.refresh_from_db()
    missing = incident.closing_refusals()
    if missing:
        raise ValidationError(
            _("The incident cannot be closed yet: %(missing)s.")
            % {"missing": ", ".join(str(CLOSING_STEPS[key]) for key in missing)}
        )
    return decide(incident, Incident.State.CLOSED, by=by, note=note)


CLOSING_STEPS: Mapping[str, Any] = {
    "manager": gettext_lazy("the manager has not been told (6-2)"),
    "superior": gettext_lazy("the superior has not been told (6-3)"),
    "report": gettext_lazy("the written report is not signed off (6-4)"),
    "tasks": gettext_lazy("investigation tasks are open (6-5)"),
    "commission": gettext_lazy("the reports to the Commission are not both made"),
    "notice": gettext_lazy("the persons concerned are not notified and no exemption is recorded"),
    "publication": gettext_lazy("publication is not decided (6-6)"),
}


def _open(incident: Incident) -> None:
    if incident.state != Incident.State.OPEN:
        raise ValidationError(_("The incident is closed."))


# The written report (6-4)


@transaction.atomic
def submit_written_report(incident: Incident, *, by: Person, **facts: Any) -> WrittenReport:
    """6-4: the contractor reports in writing: assets, records, persons, place, circumstances."""
    _open(incident)
    if WrittenReport.objects.filter(incident=incident).exists():
        raise ValidationError(_("A written report exists already; correct it instead (6-4)."))
    unknown = set(facts) - set(WrittenReport.FACT_FIELDS)
    if unknown:
        raise TypeError(f"not facts of a written report: {sorted(unknown)}")
    report = WrittenReport.objects.create(incident=incident, submitted_by=by, **facts)
    record(
        IncidentEvent.WRITTEN_REPORT_SUBMITTED,
        actor=by,
        target=report,
        changes={name: _json(facts.get(name)) for name in WrittenReport.FACT_FIELDS},
    )
    return report


@transaction.atomic
def correct_written_report(report: WrittenReport, *, by: Person, **facts: Any) -> WrittenReport:
    """6-4: add the city's instructions, the responses, what was learnt; until signed off."""
    locked = WrittenReport.objects.select_for_update().get(pk=report.pk)
    if locked.state != WrittenReport.State.SUBMITTED:
        raise ValidationError(_("A signed-off report is not changed (6-4)."))
    changes = {}
    for name, value in facts.items():
        if name not in WrittenReport.FACT_FIELDS:
            raise TypeError(f"not a fact of a written report: {name}")
        old = getattr(locked, name)
        if old != value:
            changes[name] = [_json(old), _json(value)]
            setattr(locked, name, value)
    if not changes:
        return locked
    locked.save(update_fields=list(changes))
    record(IncidentEvent.WRITTEN_REPORT_CORRECTED, actor=by, target=locked, changes=changes)
    return locked


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


@transaction.atomic
def sign_off_written_report(report: WrittenReport, *, note: str, by: Person) -> WrittenReport:
    """6-4: the manager signs off the report once its facts are complete."""
    if not report.cause.strip():
        raise ValidationError({"cause": _("The cause must be stated before sign-off (6-4).")})
    return decide(report, WrittenReport.State.SIGNED_OFF, by=by, note=note)


# Investigation and measures (6-5)


@transaction.atomic
def add_task(
    incident: Incident, *, kind: str, description: str, owner: Person, due_on: date, by: Person
) -> InvestigationTask:
    """6-5: what is to be investigated or done, by whom, by when."""
    _open(incident)
    task = InvestigationTask.objects.create(
        incident=incident, kind=kind, description=description, owner=owner, due_on=due_on
    )
    record(
        IncidentEvent.TASK_ADDED,
        actor=by,
        target=task,
        changes={
            "kind": kind,
            "description": description,
            "owner": owner.pk,
            "due_on": due_on.isoformat(),
        },
    )
    return task


@transaction.atomic
def complete_task(
    task: InvestigationTask, *, done_on: date, outcome: str, by: Person
) -> InvestigationTask:
    """6-5: the task is done; the outcome says what was found or done."""
    _not_in_future(done_on, "done_on")
    if not outcome.strip():
        raise ValidationError({"outcome": _("Say what was found or done (6-5).")})
    return decide(
        task,
        InvestigationTask.State.DONE,
        by=by,
        note=outcome,
        changes={"done_on": done_on.isoformat()},
        done_on=done_on,
    )


# What the law requires


@transaction.atomic
def record_commission_report(incident: Incident, *, stage: str, on: date, by: Person) -> Incident:
    """The preliminary (速報) or final (確報) report to the Commission was made on `on`."""
    _not_in_future(on, "on")
    capacity = require_approving_capacity(by, timezone.now())
    field = {"preliminary": "preliminary_reported_on", "final": "final_reported_on"}[stage]
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if stage == "final" and locked.preliminary_reported_on is None:
        raise ValidationError(_("Record the preliminary report first."))
    if on < timezone.localtime(locked.known_at).date():
        raise ValidationError({"on": _("This is before the incident was known.")})
    old = getattr(locked, field)
    setattr(locked, field, on)
    locked.save(update_fields=[field])
    record(
        IncidentEvent.COMMISSION_REPORTED,
        actor=by,
        capacity=capacity,
        target=locked,
        changes={field: [_json(old), on.isoformat()]},
    )
    return locked


@transaction.atomic
def record_notice(incident: Incident, *, on: date | None, exemption: str, by: Person) -> Incident:
    """Notice to the persons concerned was given on `on`, or the exemption used instead.

    The Act allows an alternative (such as publication) where notice is difficult; the
    exemption text says which and why.
    """
    if on is None and not exemption.strip():
        raise ValidationError(_("Give the date of the notice or the exemption used."))
    if on is not None:
        _not_in_future(on, "on")
    capacity = require_approving_capacity(by, timezone.now())
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    changes = {
        "persons_notified_on": [_json(locked.persons_notified_on), _json(on)],
        "notice_exemption": [locked.notice_exemption, exemption.strip()],
    }
    locked.persons_notified_on, locked.notice_exemption = on, exemption.strip()
    locked.save(update_fields=["persons_notified_on", "notice_exemption"])
    record(
        IncidentEvent.PERSONS_NOTIFIED, actor=by, capacity=capacity, target=locked, changes=changes
    )
    return locked


# Publication (6-6)


@transaction.atomic
def draft_publication(incident: Incident, *, text: str, reasons: str, by: Person) -> Publication:
    """6-6: the text the city might publish and the reasons for or against, to be decided."""
    _open(incident)
    publication, created = Publication.objects.get_or_create(
        incident=incident, defaults={"text": text, "reasons": reasons, "drafted_by": by}
    )
    if not created:
        if publication.state != Publication.State.DRAFT:
            raise ValidationError(_("Publication has already been decided (6-6)."))
        publication.text, publication.reasons, publication.drafted_by = text, reasons, by
        publication.save(update_fields=["text", "reasons", "drafted_by"])
    record(
        IncidentEvent.PUBLICATION_DRAFTED,
        actor=by,
        target=publication,
        changes={"text": text, "reasons": reasons},
    )
    return publication


@transaction.atomic
def decide_publication(
    publication: Publication, *, publish: bool, published_on: date | None, note: str, by: Person
) -> Publication:
    """6-6: the manager decides to publish (with the date) or not (the reasons say why)."""
    if publish:
        if published_on is None:
            raise ValidationError({"published_on": _("Give the date of publication (6-6).")})
        if not publication.text.strip():
            raise ValidationError(_("There is no text to publish (6-6)."))
        return decide(
            publication,
            Publication.State.PUBLISHED,
            by=by,
            note=note,
            changes={"published_on": published_on.isoformat()},
            published_on=published_on,
        )
    return decide(publication, Publication.State.WITHHELD, by=by, note=note)
