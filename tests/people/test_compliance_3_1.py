"""3-1 on the dashboard: records written around the actions turn the clause to attention.

Each test writes the violating records straight into the database, as a script or the
database shell could, sees 3-1 need attention, repairs the records and sees it ok again. A
designation is repaired by ending it: it is evidence, and the database keeps it (3-6).
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from itaku.area.events import AreaEvent
from itaku.audit.log import record
from itaku.people.compliance import _when
from itaku.people.models import Absence, Organization, RoleAssignment
from itaku.people.roles import Capacity, Role
from itaku.policy.registry import Status, assess
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _3_1():
    return assess(["3-1"], timezone.now())["3-1"]


def _ok():
    status = _3_1()
    assert status.status is Status.OK, status.findings
    return status


def _yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def _absence(manager, *, by, reason="出張", hours=(-1, 3)):
    now = timezone.now()
    return Absence(
        person=manager,
        starts_at=now + timedelta(hours=hours[0]),
        ends_at=now + timedelta(hours=hours[1]),
        reason=reason,
        recorded_by=by,
        recorded_at=now + timedelta(hours=hours[0]),
    )


def test_two_current_managers_need_attention(manager, deputy):
    _ok()
    (second,) = RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                person=PersonFactory(),
                role=Role.MANAGER,
                starts_on=date(2025, 4, 1),
                ends_on=timezone.localdate() + timedelta(days=30),
            )
        ]
    )
    status = _3_1()
    assert status.status is Status.ATTENTION
    assert "管理者 が同時に複数名います。" in status.findings

    RoleAssignment.objects.filter(pk=second.pk).update(ends_on=_yesterday())
    _ok()


def test_two_current_deputies_need_attention(manager, deputy):
    RoleAssignment.objects.create(
        person=PersonFactory(),
        role=Role.DEPUTY,
        starts_on=date(2025, 4, 1),
        ends_on=timezone.localdate(),
    )
    assert "次席者 が同時に複数名います。" in _3_1().findings

    RoleAssignment.objects.filter(role=Role.DEPUTY).exclude(person=deputy).update(
        ends_on=_yesterday()
    )
    _ok()


def test_a_deputy_who_is_not_city_staff_needs_attention(personas, manager, deputy):
    contractor = Organization.objects.get(kind=Organization.Kind.CONTRACTOR)
    city = deputy.organization
    type(deputy).objects.filter(pk=deputy.pk).update(organization=contractor)

    status = _3_1()
    assert status.status is Status.ATTENTION
    assert f"次席者 の {deputy.name} は市の職員ではありません。" in status.findings

    type(deputy).objects.filter(pk=deputy.pk).update(organization=city)
    _ok()


def test_a_contractor_manager_written_directly_needs_attention(personas, manager, deputy):
    RoleAssignment.objects.filter(person=manager).update(ends_on=_yesterday())
    lead = personas[Role.CONTRACTOR_LEAD]
    RoleAssignment.objects.create(person=lead, role=Role.MANAGER, starts_on=date(2025, 4, 1))
    assert f"管理者 の {lead.name} は市の職員ではありません。" in _3_1().findings

    RoleAssignment.objects.filter(person=lead, role=Role.MANAGER).update(ends_on=_yesterday())
    RoleAssignment.objects.filter(person=manager).update(ends_on=None)
    _ok()


def test_an_absence_recorded_by_the_deputy_needs_attention(manager, deputy):
    (absence,) = Absence.objects.bulk_create([_absence(manager, by=deputy)])
    status = _3_1()
    assert status.status is Status.ATTENTION
    assert any("管理者本人でも上席者でもない" in finding for finding in status.findings)

    Absence.objects.filter(pk=absence.pk).update(recorded_by=manager)
    _ok()


def test_an_absence_without_a_reason_needs_attention(manager, deputy):
    (absence,) = Absence.objects.bulk_create([_absence(manager, by=manager, reason="  ")])
    assert any("理由が記録されていません" in finding for finding in _3_1().findings)

    Absence.objects.filter(pk=absence.pk).update(reason="出張")
    _ok()


def test_a_deputy_decision_without_a_recorded_absence_needs_attention(personas, manager, deputy):
    with transaction.atomic():  # written as a careless script would, around the authority check
        event = record(AreaEvent.VISITOR_APPROVED, actor=deputy, capacity=Capacity.DEPUTY)
    status = _3_1()
    assert status.status is Status.ATTENTION
    # The event is named in words and linked, so the manager can see what was decided.
    decided_as_deputy = [
        (finding, link)
        for finding, link in status.linked_findings()
        if "次席者として決定" in finding
    ]
    assert decided_as_deputy == [
        (
            f"{deputy.name} が {_when(event.occurred_at)} に、管理者の不在が記録されていないのに"
            "次席者として決定しています（入室許可の承認）。",
            f"/audit/event/{event.pk}/",
        )
    ]

    # The repair: the superior records the unplanned absence that was not recorded.
    Absence.objects.bulk_create(
        [_absence(manager, by=personas[Role.SUPERIOR], reason="急病", hours=(-2, 2))]
    )
    _ok()
