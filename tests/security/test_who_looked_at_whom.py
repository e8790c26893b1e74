"""Every area page that lists people records a read: who looked at whom (personal data).

The visitor list, who is inside, the device requests, the carry log and the desk showed names
without a trace; each now records one event per page shown, naming each listed person once.
"""

import pytest
from django.urls import reverse

from itaku.area import actions
from itaku.audit.events import AuditEvent
from itaku.audit.models import Event
from itaku.people.roles import Role
from tests.area.factories import READY, approved_permission, carry_in, make_visitor, run_clock_at


@pytest.fixture(autouse=True)
def _office_hours(monkeypatch):
    """Entries are admitted within the area's hours (3-3), whenever the suite runs."""
    run_clock_at(monkeypatch)


def _last_view() -> Event:
    return Event.objects.filter(code=AuditEvent.PERSONAL_DATA_VIEWED).latest("id")


def _named(event: Event) -> list[str]:
    return event.data["changes"]["records"]


@pytest.fixture
def visitor_inside(only_area_rules, area, personas):
    manager, lead = personas[Role.MANAGER], personas[Role.CONTRACTOR_LEAD]
    visitor = make_visitor()
    actions.record_entry(lead, area, READY, by=manager)
    approved_permission(visitor, lead, manager)
    actions.record_entry(visitor, area, READY, by=manager)
    return visitor


@pytest.mark.parametrize(
    "page", ["area:visitors", "area:inside", "area:carry_in_requests", "area:area_desk"]
)
def test_a_page_listing_a_visitor_records_who_looked_at_them(
    visitor_inside, area, personas, as_role, page
):
    # The visitor's device, asked for by the lead who registered the visitor (3-12).
    carry_in(visitor_inside, personas[Role.MANAGER], requested_by=personas[Role.CONTRACTOR_LEAD])
    kwargs = {"pk": area.pk} if page == "area:area_desk" else {}

    response = as_role(Role.CITY_STAFF).get(reverse(page, kwargs=kwargs))

    assert response.status_code == 200
    event = _last_view()
    assert event.data["changes"]["page"] == page
    assert event.actor == personas[Role.CITY_STAFF]
    assert f"people.person:{visitor_inside.pk}" in _named(event)
    assert len(_named(event)) == len(set(_named(event)))  # each person once


def test_the_carry_log_records_who_looked_at_the_carrier_and_the_witness(area, personas, as_role):
    carrier, witness = personas[Role.CONTRACTOR_LEAD], personas[Role.CITY_STAFF]
    actions.record_carry(
        area=area,
        direction="in",
        items="書類 3冊",
        carried_by=carrier,
        witness=witness,
        checked="冊数",
        by=witness,
    )

    as_role(Role.AUDITOR).get(reverse("area:carry_log"))

    event = _last_view()
    assert event.data["changes"]["page"] == "area:carry_log"
    assert {f"people.person:{carrier.pk}", f"people.person:{witness.pk}"} <= set(_named(event))


def test_each_refresh_of_who_is_inside_is_one_more_read(visitor_inside, as_role):
    client = as_role(Role.MANAGER)
    before = Event.objects.filter(code=AuditEvent.PERSONAL_DATA_VIEWED).count()

    client.get(reverse("area:inside"))
    client.get(reverse("area:inside"))

    assert Event.objects.filter(code=AuditEvent.PERSONAL_DATA_VIEWED).count() == before + 2


def test_an_empty_list_records_no_read(area, as_role):
    as_role(Role.MANAGER).get(reverse("area:inside"))

    assert not Event.objects.filter(code=AuditEvent.PERSONAL_DATA_VIEWED).exists()
