"""Incident records are evidence (3-6), and an open incident holds its years (legal hold).

An incident and everything recorded about it are kept by the fiscal year in which it became
known, a contact chart version by the day it took effect; nothing is deleted except through a
disposal, and no disposal reaches a fiscal year an open incident spans.
"""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import override

from itaku.area.models import CarryRecord, Passage
from itaku.contractors.models import PeriodicReport
from itaku.core.dates import fiscal_year
from itaku.incidents import actions
from itaku.incidents.models import (
    ContactChart,
    ContactEntry,
    Incident,
    InvestigationTask,
    WrittenReport,
)
from itaku.people.roles import Role
from itaku.policy.registry import assess
from itaku.retention.actions import dispose
from itaku.retention.models import FiscalRecord
from tests.area.factories import make_area
from tests.contractors.factories import make_contract
from tests.database_owner import guard_dropped
from tests.incidents.factories import FACTS, escalated, task

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=365 * 5)
INCIDENT_RECORDS = ("WrittenReport", "InvestigationTask", "Publication", "Incident")


def _handled(people, *, known_at: datetime) -> Incident:
    """Every step of chapter 6 done through the actions, the incident still open."""
    incident = escalated(people, known_at=known_at)
    report = actions.submit_written_report(incident, by=people[Role.CONTRACTOR_LEAD], **FACTS)
    actions.sign_off_written_report(report, note="", by=people[Role.MANAGER])
    done = task(people, incident, due_on=timezone.localdate(known_at) + timedelta(days=7))
    actions.complete_task(
        done,
        done_on=timezone.localdate(known_at) + timedelta(days=3),
        outcome="保管庫で発見",
        by=people[Role.CITY_STAFF],
    )
    publication = actions.draft_publication(
        incident, text="", reasons="3名、発見済み", by=people[Role.CITY_STAFF]
    )
    actions.decide_publication(
        publication, publish=False, published_on=None, note="", by=people[Role.MANAGER]
    )
    incident.refresh_from_db()
    return incident


def _records_of_the_period(people, at: datetime) -> dict[str, FiscalRecord]:
    """An entry, a carry record and a periodic report of the incident's period."""
    area, lead, staff = make_area(), people[Role.CONTRACTOR_LEAD], people[Role.CITY_STAFF]
    entry = Passage.objects.create(
        area=area,
        person=lead,
        direction="entry",
        outcome=Passage.Outcome.ADMITTED,
        occurred_at=at,
        recorded_at=at,
        recorded_by=staff,
    )
    carried = CarryRecord.objects.create(
        area=area,
        direction=CarryRecord.Direction.IN,
        items="見本の書類箱",
        carried_by=lead,
        witness=staff,
        checked="中身を目視確認",
        occurred_at=at,
        recorded_by=staff,
    )
    contract = make_contract(people[Role.MANAGER])
    report = PeriodicReport.objects.create(
        contract=contract,
        period_start=timezone.localdate(at),
        period_end=timezone.localdate(at) + timedelta(days=30),
        no_copying=True,
        no_third_party=True,
        policy_obeyed=True,
        text="業務は順調（見本）",
        submitted_by=lead,
        submitted_at=at,
    )
    return {
        "area.Passage": entry,
        "area.CarryRecord": carried,
        "contractors.PeriodicReport": report,
    }


def _vanished(clause: str) -> list[str]:
    """The clause's findings about records named in the audit trail and missing."""
    with override("en"):
        findings = assess([clause], timezone.now())[clause].findings
        return [str(finding) for finding in findings if "audit trail" in str(finding)]


def test_every_incident_record_is_kept_by_the_fiscal_year_it_became_known(people):
    """Known on 31 March at 23:30 in Japan: fiscal year 2025, whatever happens after."""
    known = datetime(2026, 3, 31, 23, 30, tzinfo=timezone.get_current_timezone())
    incident = _handled(people, known_at=known)
    records = [
        incident,
        incident.written_report,
        incident.tasks.get(),
        incident.publication,
    ]
    assert {type(record).__name__ for record in records} == set(INCIDENT_RECORDS)
    assert [record.fiscal_year for record in records] == [2025] * 4


def test_a_chart_version_is_kept_by_the_day_it_takes_effect(people):
    chart = actions.issue_contact_chart(
        effective_from=date(2025, 3, 31),
        entries=[actions.EntryData(people[Role.MANAGER], Role.MANAGER, "090", "", True, True)],
        by=people[Role.MANAGER],
    )
    assert chart.fiscal_year == 2024
    assert chart.entries.get().fiscal_year == 2024


def test_deleting_an_incident_takes_none_of_its_records_with_it(people):
    incident = _handled(people, known_at=timezone.now() - timedelta(days=10))
    with pytest.raises(ProtectedError), transaction.atomic():
        incident.delete()
    # Even with nothing referring to it, the database refuses (the guard, 3-6).
    bare = escalated(people)
    with pytest.raises(DatabaseError), transaction.atomic():
        Incident.objects.filter(pk=bare.pk).delete()
    assert WrittenReport.objects.filter(incident=incident).exists()
    assert Incident.objects.filter(pk=bare.pk).exists()


def test_records_of_an_open_incidents_years_are_refused_disposal_until_it_closes(people):
    """Legal hold: entries, carry records, reports and the incident's own records of its
    fiscal year stay while it is open; closed, they are disposed of as any others."""
    manager = people[Role.MANAGER]
    known = timezone.now() - LONG_AGO
    year = fiscal_year(known)
    incident = _handled(people, known_at=known)
    others = _records_of_the_period(people, known + timedelta(hours=1))
    labels = [*others, *(f"incidents.{name}" for name in INCIDENT_RECORDS)]

    for label in labels:
        with pytest.raises(ValidationError, match="6-5"):
            dispose(label, year, by=manager)
    assert all(
        type(record)._default_manager.filter(pk=record.pk).exists() for record in others.values()
    )
    assert Incident.objects.filter(pk=incident.pk).exists()

    actions.close_incident(incident, note="再発防止策を確認した。", by=manager)
    for label in labels:  # what refers to the incident goes first; the incident last
        assert dispose(label, year, by=manager).count == 1
    assert not any(
        type(record)._default_manager.filter(pk=record.pk).exists() for record in others.values()
    )
    assert not Incident.objects.filter(pk=incident.pk).exists()
    # Disposed of lawfully: the audit trail names nothing that is missing.
    assert [_vanished(clause) for clause in ("3-6", "6-2", "6-4", "6-5", "6-6")] == [[]] * 5


def test_an_open_incident_holds_itself_even_when_its_year_is_long_past(people):
    incident = escalated(people, known_at=timezone.now() - LONG_AGO)
    with pytest.raises(ValidationError, match="6-5"):
        dispose("incidents.Incident", incident.fiscal_year, by=people[Role.MANAGER])
    assert Incident.objects.filter(pk=incident.pk, state=Incident.State.OPEN).exists()


def test_the_chart_in_force_is_held_and_an_old_version_goes_once_replaced(people):
    manager = people[Role.MANAGER]
    old_day = timezone.localdate() - LONG_AGO
    entry = actions.EntryData(manager, Role.MANAGER, "090-0000-0001", "", True, True)
    old = actions.issue_contact_chart(effective_from=old_day, entries=[entry], by=manager)
    with pytest.raises(ValidationError, match="6-1"):
        dispose("incidents.ContactEntry", old.fiscal_year, by=manager)

    actions.issue_contact_chart(effective_from=timezone.localdate(), entries=[entry], by=manager)
    dispose("incidents.ContactEntry", old.fiscal_year, by=manager)
    dispose("incidents.ContactChart", old.fiscal_year, by=manager)
    assert list(ContactChart.objects.values_list("version", flat=True)) == [2]
    assert ContactEntry.objects.count() == 1


def test_a_vanished_task_turns_6_5_to_attention(people):
    """The database's owner deletes a task behind the guard: 6-5 and 3-6 name it."""
    incident = escalated(people)
    gone = task(people, incident)
    assert _vanished("6-5") == []
    with guard_dropped(InvestigationTask._meta.db_table):
        InvestigationTask.objects.filter(pk=gone.pk).delete()
    for clause in ("6-5", "3-6"):
        (finding,) = _vanished(clause)
        assert "investigation tasks (6-5)" in finding and f"IDs {gone.pk}" in finding
    assert _vanished("6-6") == []
