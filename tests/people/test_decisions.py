"""One way to decide (3-1): the table is enforced, parties never decide, two deciders give one.

Every concrete `Decision` model must have a case in `PENDING` below, so a new decision cannot
join the system without its race and self-decision tests.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from threading import Barrier

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from itaku.area import actions as area_actions
from itaku.area.models import (
    AfterHoursPermission,
    CarryInRequest,
    DeviceCategory,
    VisitorPermission,
)
from itaku.audit.models import Event
from itaku.contractors import actions as contractor_actions
from itaku.contractors.models import (
    CorrectiveAction,
    Inspection,
    PeriodicReport,
    Pledge,
    ReturnItem,
    RosterSubmission,
    Subcontractor,
)
from itaku.lgwan.models import DayReview, Finding
from itaku.people import actions as people_actions
from itaku.people.decisions import Decision, decide
from itaku.people.models import Person, RoleChange
from itaku.people.roles import Role
from tests.area.factories import make_area, make_visitor, permission
from tests.contractors.factories import make_contract, pdf_scan
from tests.factories import PersonFactory, person_with_role


@dataclass(frozen=True)
class Case:
    """How to make one pending record, and the step a decider takes on it."""

    make: Callable[[dict[Role, Person]], Decision]
    to: str
    event: str
    decider: Role = Role.MANAGER  # the role whose holder takes the step


def _carry_in(people):
    worker = people[Role.CONTRACTOR_WORKER]
    today = timezone.localdate()
    return area_actions.request_carry_in(
        person=worker,
        # get_or_create: a transactional test runs after the flush of the migration's rows.
        category=DeviceCategory.objects.get_or_create(
            number=4, defaults={"name": "パソコン", "name_en": "Computer"}
        )[0],
        device="ノートパソコン",
        reason="勤怠管理",
        starts_on=today,
        ends_on=today + timedelta(days=3),
        storage_place="キャビネットA",
        by=worker,
    )


def _contract(people):
    return make_contract(people[Role.MANAGER])


def _pledge(people):
    lead = people[Role.CONTRACTOR_LEAD]
    return contractor_actions.submit_pledge(
        _contract(people),
        person=None,
        signed_on=timezone.localdate(),
        filename="p.pdf",
        data=pdf_scan(),
        by=lead,
    )


def _report(people):
    contract = _contract(people)
    return contractor_actions.submit_report(
        contract,
        period_start=contract.starts_on,
        no_copying=True,
        no_third_party=True,
        policy_obeyed=True,
        text="異常なし",
        by=people[Role.CONTRACTOR_LEAD],
    )


def _inspection(people):
    return contractor_actions.record_inspection(
        _contract(people),
        trigger=Inspection.Trigger.ROUTINE,
        held_on=timezone.localdate(),
        findings="なし",
        by=people[Role.MANAGER],
    )


def _after_hours(people):
    worker = people[Role.CONTRACTOR_WORKER]
    now = timezone.now()
    return area_actions.request_after_hours(
        person=worker,
        area=make_area(),
        starts_at=now + timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        reason="月末の棚卸し",
        by=worker,
    )


def _corrective_action(people):
    return contractor_actions.add_corrective_action(
        _inspection(people),
        description="手順の再周知",
        owner=people[Role.CONTRACTOR_LEAD],
        due_on=timezone.localdate() + timedelta(days=7),
        by=people[Role.MANAGER],
    )


def _lookup_finding(people):
    return Finding.objects.create(
        rule="no_receipt",
        clause_id="4-4",
        day=timezone.localdate(),
        key=f"no_receipt:{Finding.objects.count()}",
        owner=people[Role.CITY_STAFF],
        detail="09:00 LG-01 / U1001",
        found_at=timezone.now(),
    )


def _role_change(people):
    return people_actions.propose_role_grant(
        PersonFactory(),
        Role.AUDITOR,
        starts_on=timezone.localdate(),
        ends_on=None,
        by=people[Role.ADMIN],
    )


PENDING: dict[type[Decision], Case] = {
    RoleChange: Case(
        _role_change,
        RoleChange.State.CONFIRMED,
        "people.role_change.confirmed",
        decider=Role.SUPERIOR,
    ),
    VisitorPermission: Case(
        lambda p: permission(
            make_visitor(registered_by=p[Role.CONTRACTOR_LEAD]),
            p[Role.CONTRACTOR_LEAD],
            requested_by=p[Role.CONTRACTOR_LEAD],
        ),
        VisitorPermission.State.APPROVED,
        "area.visitor.approved",
    ),
    CarryInRequest: Case(_carry_in, CarryInRequest.State.REJECTED, "area.carry_in.rejected"),
    AfterHoursPermission: Case(
        _after_hours, AfterHoursPermission.State.APPROVED, "area.after_hours.approved"
    ),
    Subcontractor: Case(
        lambda p: contractor_actions.add_subcontractor(
            _contract(p), name="下請", work="配送", by=p[Role.CONTRACTOR_LEAD]
        ),
        Subcontractor.State.APPROVED,
        "contractors.subcontractor.approved",
    ),
    RosterSubmission: Case(
        lambda p: contractor_actions.submit_roster(
            _contract(p),
            lead=p[Role.CONTRACTOR_LEAD],
            workers=[p[Role.CONTRACTOR_WORKER]],
            note="",
            by=p[Role.CONTRACTOR_LEAD],
        ),
        RosterSubmission.State.RECEIVED,
        "contractors.roster.received",
    ),
    Pledge: Case(_pledge, Pledge.State.CONFIRMED, "contractors.pledge.confirmed"),
    PeriodicReport: Case(_report, PeriodicReport.State.REVIEWED, "contractors.report.reviewed"),
    Inspection: Case(_inspection, Inspection.State.CLOSED, "contractors.inspection.closed"),
    CorrectiveAction: Case(
        _corrective_action, CorrectiveAction.State.DONE, "contractors.corrective_action.done"
    ),
    ReturnItem: Case(
        lambda p: contractor_actions.add_return_item(
            _contract(p), asset="申請書類", quantity=3, method="return", by=p[Role.MANAGER]
        ),
        ReturnItem.State.DONE,
        "contractors.return_item.done",
    ),
    Finding: Case(_lookup_finding, Finding.State.CLOSED, "lgwan.finding.closed"),
    DayReview: Case(
        lambda p: DayReview.objects.create(day=timezone.localdate() - timedelta(days=1)),
        DayReview.State.SIGNED,
        "lgwan.day.signed_off",
    ),
}


def concrete_decisions() -> list[type[Decision]]:
    return [model for model in apps.get_models() if issubclass(model, Decision)]


def test_every_decision_model_has_a_race_case():
    """A decision model added without a case here fails the suite."""
    missing = [model.__name__ for model in concrete_decisions() if model not in PENDING]
    assert not missing, f"add a Case to PENDING for: {missing}"


def _params():
    return [pytest.param(model, id=model.__name__) for model in PENDING]


@pytest.mark.django_db
@pytest.mark.parametrize("model", _params())
def test_a_decision_moves_once_and_writes_its_event(model, personas):
    case = PENDING[model]
    record = case.make(personas)
    decider = personas[case.decider]
    decided = decide(record, case.to, by=decider)
    assert decided.state == case.to
    assert decided.decided_by == decider
    event = Event.objects.filter(code=case.event).latest("pk")
    assert event.changes["state"] == [_first(model), case.to]

    stale = model.objects.get(pk=record.pk)
    stale.state = _first(model)  # as loaded before the first decision
    with pytest.raises(ValidationError, match="決定済み"):
        decide(stale, case.to, by=decider)
    assert _events_of(record, case.event) == 1


def _events_of(record: Decision, code: str) -> int:
    return Event.objects.filter(
        code=code, object_type=record._meta.label_lower, object_id=str(record.pk)
    ).count()


def _first(model: type[Decision]) -> str:
    return next(iter(model.TRANSITIONS))


@pytest.mark.django_db
@pytest.mark.parametrize("model", _params())
def test_a_step_missing_from_the_table_is_refused(model, personas):
    case = PENDING[model]
    record = case.make(personas)
    decide(record, case.to, by=personas[case.decider])
    with pytest.raises(ValidationError, match="変更できません"):
        decide(record, _first(model), by=personas[case.decider])
    record.refresh_from_db()
    assert record.state == case.to


@pytest.mark.django_db
def test_the_manager_cannot_approve_a_device_request_made_for_himself(personas):
    manager = personas[Role.MANAGER]
    today = timezone.localdate()
    own = area_actions.request_carry_in(
        person=manager,
        category=DeviceCategory.objects.get(number=4),
        device="私物のタブレット",
        reason="資料確認",
        starts_on=today,
        ends_on=today + timedelta(days=1),
        storage_place="キャビネットA",
        by=personas[Role.CITY_STAFF],
    )
    with pytest.raises(ValidationError, match="3-1"):
        area_actions.decide_carry_in(own, approve=True, conditions="条件", note="", by=manager)
    own.refresh_from_db()
    assert own.state == CarryInRequest.State.REQUESTED


@pytest.mark.django_db
def test_the_manager_cannot_confirm_a_pledge_she_submitted(personas):
    manager = personas[Role.MANAGER]
    pledge = contractor_actions.submit_pledge(
        _contract(personas),
        person=None,
        signed_on=timezone.localdate(),
        filename="p.pdf",
        data=pdf_scan(),
        by=manager,
    )
    with pytest.raises(ValidationError, match="3-1"):
        contractor_actions.confirm_pledge(pledge, by=manager)


@pytest.mark.django_db
def test_city_staff_cannot_approve_without_the_managers_authority(personas):
    record = PENDING[VisitorPermission].make(personas)
    with pytest.raises(ValidationError, match="3-1"):
        area_actions.decide_visitor_permission(
            record, approve=True, note="", by=personas[Role.CITY_STAFF]
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model", _params())
def test_two_deciders_on_two_connections_give_one_decision_and_one_event(model):
    if connection.vendor == "sqlite":
        # SQLite locks the whole database for a writer; the stale-record test covers the guard.
        pytest.skip("two writers at once need PostgreSQL (make suite-postgres)")
    people = {role: person_with_role(role) for role in Role}
    case = PENDING[model]
    record = case.make(people)
    # The manager on two screens at once: the same race as two people with authority.
    deciders = [people[case.decider], people[case.decider]]
    start = Barrier(2)

    def attempt(by: Person) -> str:
        stale = model.objects.get(pk=record.pk)
        start.wait()
        try:
            decide(stale, case.to, by=by)
            return "decided"
        except ValidationError:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(attempt, deciders))

    assert outcomes == ["decided", "refused"]
    # The trail outlives the flush between transactional tests: count this record's events.
    assert _events_of(record, case.event) == 1
