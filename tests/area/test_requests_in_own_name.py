"""Requests are filed in one's own name (3-4, 3-12): the action refuses, the form offers, and
the list shows only what the requester may ask for."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from itaku.area import actions
from itaku.area.models import CarryInRequest, DeviceCategory, VisitorPermission
from itaku.people.roles import Role
from tests.area.factories import make_visitor, permission
from tests.factories import person_with_role


def _carry_in(person, by):
    today = timezone.localdate()
    return actions.request_carry_in(
        person=person,
        category=DeviceCategory.objects.get(number=4),
        device="勤怠管理用ノートパソコン",
        reason="勤怠管理のため",
        starts_on=today,
        ends_on=today + timedelta(days=3),
        storage_place="施錠キャビネットA",
        by=by,
    )


def _form_data(person):
    today = timezone.localdate()
    return {
        "person": person.pk,
        "category": DeviceCategory.objects.get(number=4).pk,
        "device": "ノートパソコン",
        "reason": "勤怠管理のため",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=3)).isoformat(),
        "storage_place": "施錠キャビネットA",
    }


def test_worker_cannot_request_a_carry_in_in_the_managers_name(worker, manager):
    with pytest.raises(ValidationError) as raised:
        _carry_in(manager, by=worker)

    assert "3-12" in raised.value.message_dict["person"][0]
    assert not CarryInRequest.objects.exists()


def test_the_screen_refuses_a_worker_filing_for_the_manager_naming_3_12(worker, manager, as_role):
    response = as_role(Role.CONTRACTOR_WORKER).post(
        reverse("area:carry_in_requests"), _form_data(manager)
    )

    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not CarryInRequest.objects.exists()


def test_workers_form_lists_only_themselves(worker, manager, as_role):
    response = as_role(Role.CONTRACTOR_WORKER).get(reverse("area:carry_in_requests"))

    offered = list(response.context["form"].fields["person"].queryset)
    assert offered == [worker]


def test_worker_sees_only_their_own_requests(worker, manager, lead):
    another = person_with_role(Role.CONTRACTOR_WORKER)
    own = _carry_in(worker, by=worker)
    _carry_in(another, by=another)

    assert list(CarryInRequest.objects.visible_to(worker, timezone.localdate())) == [own]
    assert CarryInRequest.objects.visible_to(lead, timezone.localdate()).count() == 2
    assert CarryInRequest.objects.visible_to(manager, timezone.localdate()).count() == 2


def test_lead_files_for_their_companys_worker_but_not_for_the_city(lead, worker, city_staff):
    assert _carry_in(worker, by=lead).person == worker

    with pytest.raises(ValidationError):
        _carry_in(city_staff, by=lead)


def test_city_staff_file_for_anyone(city_staff, worker):
    assert _carry_in(worker, by=city_staff).requested_by == city_staff


def test_lead_asks_a_visit_only_for_their_own_visitors(lead, manager):
    theirs = make_visitor("訪問 一郎", "V-9101", registered_by=lead)
    stranger = make_visitor("訪問 二郎", "V-9102")

    now = timezone.now()
    window = {"starts_at": now, "ends_at": now + timedelta(hours=2), "works_in_area": False}

    asked = actions.request_visitor_permission(
        person=theirs, purpose="点検", monitor=lead, by=lead, **window
    )
    with pytest.raises(ValidationError) as raised:
        actions.request_visitor_permission(
            person=stranger, purpose="点検", monitor=lead, by=lead, **window
        )

    assert asked.person == theirs

    assert "3-4" in raised.value.message_dict["person"][0]
    assert VisitorPermission.objects.count() == 1


def test_leads_visitor_form_offers_only_their_visitors(lead, as_role):
    theirs = make_visitor("訪問 一郎", "V-9101", registered_by=lead)
    make_visitor("訪問 二郎", "V-9102")

    response = as_role(Role.CONTRACTOR_LEAD).get(reverse("area:visitors"))

    assert list(response.context["form"].fields["person"].queryset) == [theirs]


def test_lead_sees_the_visits_they_asked_for_or_monitor_and_no_others(lead, city_staff, as_role):
    theirs = permission(
        make_visitor("訪問 一郎", "V-9101", registered_by=lead), lead, requested_by=lead
    )
    other_lead = person_with_role(Role.CONTRACTOR_LEAD, name="別 架空")
    watched = permission(make_visitor("訪問 二郎", "V-9102"), lead, requested_by=city_staff)
    hidden = permission(make_visitor("訪問 三郎", "V-9103"), other_lead, requested_by=city_staff)
    client = as_role(Role.CONTRACTOR_LEAD)

    listed = list(client.get(reverse("area:visitors")).context["permissions"])

    assert sorted(p.pk for p in listed) == sorted([theirs.pk, watched.pk])
    assert client.get(reverse("area:visitor", args=[hidden.pk])).status_code == 404
    response = client.post(reverse("area:visitor_declaration", args=[hidden.pk]), {"work": "点検"})
    assert response.status_code == 404
