"""3-4: the monitor stays while their visitor is inside, unless the visit is handed over."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from itaku.area import actions
from itaku.area.models import MonitorHandover, Passage
from itaku.audit.models import Event
from itaku.people.roles import Role
from itaku.policy.registry import assess
from tests.area.factories import READY, approved_permission, make_visitor
from tests.factories import person_with_role


@pytest.fixture
def visit(area, lead, manager, city_staff):
    """The lead inside, watching a visitor inside."""
    visitor = make_visitor()
    approved_permission(visitor, lead, manager)
    actions.record_entry(lead, area, READY, by=city_staff)
    entry = actions.record_entry(visitor, area, READY, by=city_staff).passage
    assert entry.outcome == Passage.Outcome.ADMITTED
    return entry


@pytest.fixture
def second_lead(area, city_staff):
    other = person_with_role(Role.CONTRACTOR_LEAD, name="代理 架空")
    actions.record_entry(other, area, READY, by=city_staff)
    return other


def test_monitors_exit_is_refused_while_the_visitor_is_inside(area, lead, city_staff, visit):
    with pytest.raises(ValidationError) as raised:
        actions.record_exit(lead, area, by=city_staff)

    assert "3-4" in raised.value.message_dict["person"][0]
    assert Passage.objects.inside(area).filter(person=lead).exists()


def test_the_desk_shows_the_monitors_refused_exit_naming_3_4(area, lead, visit, as_role):
    response = as_role(Role.CITY_STAFF).post(
        reverse("area:area_desk", args=[area.pk]),
        {"person": lead.badge_number, "direction": "exit"},
    )

    assert response.status_code == 200
    assert any("3-4" in error for error in response.context["form"].errors["person"])
    assert not Passage.objects.filter(direction=Passage.Direction.EXIT).exists()


def test_the_card_reader_cannot_let_the_monitor_out_either(area, lead, manager, visit):
    _reader, token = actions.register_reader(area=area, name="出口リーダー", by=manager)

    response = Client().post(
        reverse("api:area_passages"),
        {"badge_number": lead.badge_number, "direction": "exit"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {token}",
    )

    assert response.status_code == 400
    assert "3-4" in response.json()["badge_number"][0]


def test_after_the_visitor_leaves_the_monitor_may_leave(area, lead, city_staff, visit):
    actions.record_exit(visit.person, area, by=city_staff)

    actions.record_exit(lead, area, by=city_staff)

    assert not Passage.objects.inside(area).exists()


def test_handover_to_another_lead_inside_then_the_monitor_may_leave(
    area, lead, city_staff, visit, second_lead
):
    handover = actions.hand_over_visitor(visit, to=second_lead, by=city_staff)
    actions.record_exit(lead, area, by=city_staff)

    assert handover.from_monitor == lead
    event = Event.objects.get(code="area.visitor.handed_over")
    assert event.actor == city_staff
    assert event.changes["to_monitor"] == second_lead.pk
    # The new monitor now stays in turn, and the visitor's exit names who watched last.
    with pytest.raises(ValidationError):
        actions.record_exit(second_lead, area, by=city_staff)
    left = actions.record_exit(visit.person, area, by=city_staff)
    assert left.monitor == second_lead


def test_handover_only_to_a_contractor_lead_who_is_inside(area, lead, city_staff, visit):
    absent_lead = person_with_role(Role.CONTRACTOR_LEAD, name="不在 架空")

    with pytest.raises(ValidationError) as raised:
        actions.hand_over_visitor(visit, to=absent_lead, by=city_staff)
    with pytest.raises(ValidationError):
        actions.hand_over_visitor(visit, to=city_staff, by=city_staff)

    assert "3-4" in raised.value.message_dict["to"][0]
    assert not MonitorHandover.objects.exists()


def test_the_desks_handover_button_records_it(area, visit, second_lead, as_role):
    client = as_role(Role.CITY_STAFF)
    page = client.get(reverse("area:area_desk", args=[area.pk])).content.decode()
    assert reverse("area:hand_over", args=[visit.pk]) in page

    client.post(reverse("area:hand_over", args=[visit.pk]), {"to": second_lead.pk})

    assert MonitorHandover.objects.get().to_monitor == second_lead


def test_a_visitor_inside_without_the_monitor_inside_needs_attention_on_3_4(
    area, lead, manager, city_staff
):
    visitor = make_visitor()
    granted = approved_permission(visitor, lead, manager)
    now = timezone.now()
    # Written straight into the table, as an import or a fault might: no monitor inside.
    Passage.objects.create(
        area=area,
        person=visitor,
        direction=Passage.Direction.ENTRY,
        outcome=Passage.Outcome.ADMITTED,
        occurred_at=now,
        recorded_at=now,
        recorded_by=city_staff,
        badge_worn=True,
        only_valuables=True,
        prohibited_device=False,
        visitor_permission=granted,
        monitor=lead,
    )

    status = assess(["3-4"], timezone.now())["3-4"]

    assert status.status == "attention"
    assert any(visitor.name in finding for finding in status.findings)


def test_a_watched_visitor_is_no_finding_on_3_4(visit):
    status = assess(["3-4"], timezone.now())["3-4"]

    assert not status.findings
