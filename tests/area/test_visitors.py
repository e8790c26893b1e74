"""3-4, 3-5 with 3-1: visitor permissions, their decision, work declaration and report."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from itaku.area import actions
from itaku.area.models import VisitorPermission
from itaku.audit.models import Event
from itaku.people.models import Person
from itaku.people.roles import Capacity, Role
from itaku.policy.registry import assess
from tests.area.factories import READY, approved_permission, make_visitor, permission
from tests.factories import manager_away


def _window() -> dict[str, str]:
    now = timezone.localtime()
    return {
        "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
    }


def test_a_new_visitor_is_registered_and_their_permission_requested_through_the_page(lead, as_role):
    response = as_role(Role.CONTRACTOR_LEAD).post(
        reverse("area:visitors"),
        {
            "new_name": "点検 架空",
            "new_organization": "架空保守株式会社",
            "new_badge": "V-7001",
            "purpose": "空調点検",
            "monitor": lead.pk,
            **_window(),
        },
    )

    assert response.status_code == 302
    granted = VisitorPermission.objects.get()
    assert granted.person.badge_number == "V-7001"
    assert granted.state == VisitorPermission.State.REQUESTED
    assert granted.fiscal_year >= 2025
    registered = Event.objects.get(code="people.person.registered")
    assert registered.object_id == str(granted.person.pk)
    assert registered.actor == lead


def test_a_bad_request_names_the_field_and_stores_nothing(city_staff, as_role):
    response = as_role(Role.CITY_STAFF).post(
        reverse("area:visitors"),
        {"new_name": "点検 架空", "purpose": "空調点検", "monitor": city_staff.pk, **_window()},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "new_organization" in form.errors
    assert "monitor" in form.errors
    assert not VisitorPermission.objects.exists()
    assert not Person.objects.filter(name="点検 架空").exists()


def test_the_monitor_must_be_the_contractor_lead(manager, worker):
    with pytest.raises(ValidationError) as raised:
        permission(make_visitor(), worker, requested_by=manager)

    assert "monitor" in raised.value.message_dict


def test_the_manager_approves_in_the_capacity_of_manager(manager, lead, as_role):
    requested = permission(make_visitor(registered_by=lead), lead, requested_by=lead)

    response = as_role(Role.MANAGER).post(
        reverse("area:visitor_decide", args=[requested.pk]), {"decision": "approve"}
    )

    requested.refresh_from_db()
    assert response.status_code == 302
    assert requested.state == VisitorPermission.State.APPROVED
    assert requested.decided_by == manager
    assert requested.decided_capacity == Capacity.MANAGER
    event = Event.objects.get(code="area.visitor.approved")
    assert event.data["capacity"] == Capacity.MANAGER


def test_the_deputy_cannot_decide_while_the_manager_is_present(deputy, lead, as_role):
    requested = permission(make_visitor(registered_by=lead), lead, requested_by=lead)

    client = as_role(Role.DEPUTY)
    response = client.post(
        reverse("area:visitor_decide", args=[requested.pk]), {"decision": "approve"}, follow=True
    )

    requested.refresh_from_db()
    assert requested.state == VisitorPermission.State.REQUESTED
    assert "管理者の不在が記録されている間の次席者だけ" in response.content.decode()


def test_the_deputy_decides_while_the_manager_is_recorded_absent(manager, deputy, lead):
    manager_away(manager, hours=(-1, 4))
    requested = permission(make_visitor(registered_by=lead), lead, requested_by=lead)

    decided = actions.decide_visitor_permission(requested, approve=True, note="", by=deputy)

    assert decided.decided_capacity == Capacity.DEPUTY
    assert decided.decided_by == deputy


def test_two_people_deciding_the_same_request_make_one_decision(manager, lead):
    requested = permission(make_visitor(registered_by=lead), lead, requested_by=lead)
    # Both loaded the request while it was still open: the second decision must not land.
    first_view = VisitorPermission.objects.get(pk=requested.pk)
    second_view = VisitorPermission.objects.get(pk=requested.pk)

    actions.decide_visitor_permission(first_view, approve=True, note="", by=manager)
    with pytest.raises(ValidationError, match="決定済み"):
        actions.decide_visitor_permission(second_view, approve=False, note="", by=manager)

    requested.refresh_from_db()
    assert requested.state == VisitorPermission.State.APPROVED
    assert (
        Event.objects.filter(code__startswith="area.visitor.")
        .exclude(code="area.visitor.requested")
        .count()
        == 1
    )


def test_work_is_declared_before_and_reported_after_and_a_missing_report_is_open(
    area, manager, lead, as_role
):
    visitor = make_visitor()
    granted = approved_permission(visitor, lead, manager, works_in_area=True)
    client = as_role(Role.CONTRACTOR_LEAD)
    client.post(reverse("area:visitor_declaration", args=[granted.pk]), {"work": "ローラー交換"})
    actions.record_entry(lead, area, READY, by=lead)
    actions.record_entry(visitor, area, READY, by=lead)
    actions.record_exit(visitor, area, by=lead)

    missing = assess(["3-5"], timezone.now())["3-5"]
    client.post(
        reverse("area:visitor_report", args=[granted.pk]),
        {"report_content": "ローラー1点交換", "report_result": "正常"},
    )
    reported = assess(["3-5"], timezone.now())["3-5"]

    assert any(visitor.name in finding for finding in missing.findings)
    assert reported.findings == []
    assert granted.work.reported_by == lead


def test_an_empty_report_names_both_fields(manager, lead, as_role):
    granted = approved_permission(make_visitor(), lead, manager, works_in_area=True)
    actions.declare_work(granted, work="点検", by=lead)

    as_role(Role.CONTRACTOR_LEAD).post(reverse("area:visitor_report", args=[granted.pk]), {})

    granted.work.refresh_from_db()
    assert granted.work.reported_at is None


@pytest.mark.django_db(transaction=True)
def test_two_deciders_in_parallel_threads_make_one_decision(personas, lead):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    if connection.vendor == "sqlite":
        # The in-memory test database locks whole tables across threads instead of queueing
        # writers; the stale-object test above covers the same guard there.
        pytest.skip("two writers at once need PostgreSQL (make suite-postgres)")
    manager = personas[Role.MANAGER]
    requested = permission(make_visitor(registered_by=lead), lead, requested_by=lead)
    start = Barrier(2)

    def decide(approve: bool) -> str:
        stale = VisitorPermission.objects.get(pk=requested.pk)
        start.wait()
        try:
            actions.decide_visitor_permission(stale, approve=approve, note="", by=manager)
            return "decided"
        except ValidationError:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(decide, [True, False]))

    assert outcomes == ["decided", "refused"]
    decisions = Event.objects.filter(
        code__in=["area.visitor.approved", "area.visitor.rejected"],
        object_type="area.visitorpermission",
        object_id=str(requested.pk),
    )
    assert decisions.count() == 1


def test_a_new_visitor_is_not_kept_when_their_permission_cannot_be_stored(lead, as_role):
    past = timezone.localtime() - timedelta(hours=5)
    response = as_role(Role.CITY_STAFF).post(
        reverse("area:visitors"),
        {
            "new_name": "過去 架空",
            "new_organization": "架空保守株式会社",
            "purpose": "点検",
            "monitor": lead.pk,
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (past + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert "ends_at" in response.context["form"].errors
    assert not Person.objects.filter(name="過去 架空").exists()
    assert not VisitorPermission.objects.exists()
