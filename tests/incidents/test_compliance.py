"""6-1 … 6-6 and 2-2-j on the dashboard: violating records written straight into the database
turn the clause to attention; repaired, it is ok again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from itaku.contractors import actions as contractor_actions
from itaku.incidents.models import (
    ContactChart,
    ContactEntry,
    Incident,
    InvestigationTask,
    Publication,
    WrittenReport,
)
from itaku.people.models import RoleAssignment
from itaku.people.roles import Role
from itaku.policy.registry import Status, assess
from tests.contractors.factories import make_contract
from tests.incidents.factories import FACTS

pytestmark = pytest.mark.django_db


def _status(clause_id):
    return assess([clause_id], timezone.now())[clause_id]


def _chart(people, *, night=True):
    chart = ContactChart.objects.create(
        version=1,
        effective_from=timezone.localdate() - timedelta(days=1),
        issued_by=people[Role.MANAGER],
    )
    ContactEntry.objects.create(
        chart=chart,
        person=people[Role.CONTRACTOR_LEAD],
        role=Role.CONTRACTOR_LEAD,
        phone="090",
        order=1,
        reachable_night=night,
    )
    ContactEntry.objects.create(
        chart=chart, person=people[Role.MANAGER], role=Role.MANAGER, phone="090", order=2
    )
    return chart


def _incident(people, *, known_minutes_ago=30, **fields):
    now = timezone.now()
    values = {
        "kind": Incident.Kind.LOSS,
        "summary": "所在不明",
        "known_at": now - timedelta(minutes=known_minutes_ago),
        "reported_by": people[Role.CONTRACTOR_LEAD],
        **fields,
    }
    return Incident.objects.create(**values)


def test_6_1_without_a_chart_needs_attention_and_a_current_one_is_ok(people):
    assert _status("6-1").status is Status.ATTENTION
    _chart(people)
    assert _status("6-1").status is Status.OK


def test_6_1_someone_who_left_their_role_needs_attention(people):
    _chart(people)
    RoleAssignment.objects.filter(person=people[Role.CONTRACTOR_LEAD]).update(
        ends_on=timezone.localdate() - timedelta(days=1)
    )
    status = _status("6-1")
    assert status.status is Status.ATTENTION
    assert people[Role.CONTRACTOR_LEAD].name in status.findings[0]
    RoleAssignment.objects.filter(person=people[Role.CONTRACTOR_LEAD]).update(ends_on=None)
    assert _status("6-1").status is Status.OK


def test_6_1_a_chart_no_one_answers_at_night_needs_attention(people):
    chart = _chart(people, night=False)
    assert _status("6-1").status is Status.ATTENTION
    chart.entries.filter(order=1).update(reachable_night=True)
    assert _status("6-1").status is Status.OK


def test_6_2_a_manager_told_late_needs_attention(people, settings):
    settings.ITAKU_INCIDENT_PROMPT_MINUTES = 60
    incident = _incident(people, known_minutes_ago=180)
    Incident.objects.filter(pk=incident.pk).update(
        manager_told_at=incident.known_at + timedelta(minutes=61)
    )
    assert _status("6-2").status is Status.ATTENTION
    Incident.objects.filter(pk=incident.pk).update(
        manager_told_at=incident.known_at + timedelta(minutes=59)
    )
    assert _status("6-2").status is Status.OK


def test_6_2_an_incident_no_one_received_turns_late_after_the_interval(people, settings):
    settings.ITAKU_INCIDENT_PROMPT_MINUTES = 60
    incident = _incident(people, known_minutes_ago=30)
    assert _status("6-2").status is Status.OK
    Incident.objects.filter(pk=incident.pk).update(known_at=timezone.now() - timedelta(minutes=61))
    assert _status("6-2").status is Status.ATTENTION


def test_6_3_the_superior_told_late_needs_attention(people, settings):
    settings.ITAKU_INCIDENT_PROMPT_MINUTES = 60
    incident = _incident(people, known_minutes_ago=300)
    told = incident.known_at + timedelta(minutes=5)
    Incident.objects.filter(pk=incident.pk).update(
        manager_told_at=told, superior_told_at=told + timedelta(minutes=120)
    )
    assert _status("6-3").status is Status.ATTENTION
    Incident.objects.filter(pk=incident.pk).update(superior_told_at=told + timedelta(minutes=30))
    assert _status("6-3").status is Status.OK


def test_6_4_no_written_report_after_the_days_of_the_preliminary_report(people, settings):
    settings.ITAKU_INCIDENT_PRELIMINARY_DAYS = 5
    incident = _incident(people, known_minutes_ago=6 * 24 * 60)
    assert _status("6-4").status is Status.ATTENTION
    WrittenReport.objects.create(
        incident=incident, submitted_by=people[Role.CONTRACTOR_LEAD], **FACTS
    )
    assert _status("6-4").status is Status.OK


def test_6_4_a_legal_deadline_missed_needs_attention(people):
    incident = _incident(people, known_minutes_ago=40 * 24 * 60)
    WrittenReport.objects.create(
        incident=incident,
        submitted_by=people[Role.CONTRACTOR_LEAD],
        **{**FACTS, "sensitive": True},
    )
    status = _status("6-4")
    assert status.status is Status.ATTENTION
    assert any("速報" in finding for finding in status.findings)
    today = timezone.localdate()
    Incident.objects.filter(pk=incident.pk).update(
        preliminary_reported_on=today, final_reported_on=today, persons_notified_on=today
    )
    assert _status("6-4").status is Status.OK


def test_6_5_an_overdue_task_needs_attention(people):
    incident = _incident(people)
    task = InvestigationTask.objects.create(
        incident=incident,
        kind=InvestigationTask.Kind.CONTAINMENT,
        description="拡大防止",
        owner=people[Role.CITY_STAFF],
        due_on=timezone.localdate() - timedelta(days=1),
    )
    assert _status("6-5").status is Status.ATTENTION
    InvestigationTask.objects.filter(pk=task.pk).update(
        state=InvestigationTask.State.DONE, done_on=timezone.localdate()
    )
    assert _status("6-5").status is Status.OK


def test_6_6_a_closed_incident_without_a_publication_decision_needs_attention(people):
    incident = _incident(people, state=Incident.State.CLOSED)
    assert _status("6-6").status is Status.ATTENTION
    Publication.objects.create(
        incident=incident,
        state=Publication.State.WITHHELD,
        reasons="1名、回収済み",
        drafted_by=people[Role.CITY_STAFF],
    )
    assert _status("6-6").status is Status.OK


def test_6_6_published_without_text_needs_attention(people):
    incident = _incident(people)
    publication = Publication.objects.create(
        incident=incident,
        state=Publication.State.PUBLISHED,
        reasons="150名",
        drafted_by=people[Role.CITY_STAFF],
    )
    assert _status("6-6").status is Status.ATTENTION
    Publication.objects.filter(pk=publication.pk).update(
        text="公表文", published_on=timezone.localdate()
    )
    assert _status("6-6").status is Status.OK


def test_2_2_j_incidents_reported_on_time_are_its_emergency_evidence(people, settings):
    settings.ITAKU_INCIDENT_PROMPT_MINUTES = 60
    incident = _incident(people, known_minutes_ago=300)
    told = incident.known_at + timedelta(minutes=5)
    Incident.objects.filter(pk=incident.pk).update(
        manager_told_at=told, superior_told_at=told + timedelta(minutes=90)
    )
    findings = [f for f in _status("2-2-j").findings if "所在不明" in f]
    assert findings
    Incident.objects.filter(pk=incident.pk).update(superior_told_at=told + timedelta(minutes=10))
    status = _status("2-2-j")
    assert not [f for f in status.findings if "所在不明" in f]
    assert any("所在不明" in fact for fact in status.facts)


def test_6_1_a_contractor_person_off_the_received_roster_needs_attention(
    people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    manager, lead = people[Role.MANAGER], people[Role.CONTRACTOR_LEAD]
    worker = people[Role.CONTRACTOR_WORKER]
    _chart(people)
    contract = make_contract(manager)
    without_lead = contractor_actions.submit_roster(
        contract, lead=worker, workers=[], note="", by=lead
    )
    contractor_actions.receive_roster(without_lead, received_on=timezone.localdate(), by=manager)
    status = _status("6-1")
    assert status.status is Status.ATTENTION
    assert lead.name in status.findings[0]
    with_lead = contractor_actions.submit_roster(
        contract, lead=lead, workers=[worker], note="", by=lead
    )
    contractor_actions.receive_roster(with_lead, received_on=timezone.localdate(), by=manager)
    assert _status("6-1").status is Status.OK
