"""3-11, 3-12: prohibited categories as data, carry-in requests, approvals, expiry."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from itaku.area import actions
from itaku.area.models import CarryInRequest, DeviceCategory
from itaku.people.roles import Capacity, Role
from itaku.policy.registry import assess
from tests.area.factories import READY, carry_in


@pytest.mark.django_db
def test_the_six_prohibited_categories_of_3_11_are_data():
    assert list(DeviceCategory.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert DeviceCategory.objects.get(number=2).name.startswith("携帯電話")


def test_a_worker_files_a_request_and_the_manager_approves_with_conditions(
    worker, manager, as_role
):
    today = timezone.localdate()
    as_role(Role.CONTRACTOR_WORKER).post(
        reverse("area:carry_in_requests"),
        {
            "person": worker.pk,
            "category": DeviceCategory.objects.get(number=4).pk,
            "device": "ノートパソコン",
            "reason": "勤怠管理",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=3)).isoformat(),
            "storage_place": "キャビネットA",
        },
    )
    request = CarryInRequest.objects.get()

    as_role(Role.MANAGER).post(
        reverse("area:carry_in_decide", args=[request.pk]),
        {"decision": "approve", "conditions": "個人情報を扱わない。本市ネットワークに接続しない。"},
    )

    request.refresh_from_db()
    assert request.state == CarryInRequest.State.APPROVED
    assert request.decided_by == manager
    assert request.decided_capacity == Capacity.MANAGER
    assert "接続しない" in request.conditions


def test_an_approval_must_state_its_conditions(worker, manager):
    today = timezone.localdate()
    request = actions.request_carry_in(
        person=worker,
        category=DeviceCategory.objects.get(number=1),
        device="USBメモリ",
        reason="資料搬入",
        starts_on=today,
        ends_on=today,
        storage_place="キャビネットA",
        by=worker,
    )

    with pytest.raises(ValidationError) as raised:
        actions.decide_carry_in(request, approve=True, conditions=" ", note="", by=manager)

    assert "conditions" in raised.value.message_dict


def test_a_request_with_its_period_reversed_names_the_end_date(worker, as_role):
    today = timezone.localdate()
    response = as_role(Role.CONTRACTOR_WORKER).post(
        reverse("area:carry_in_requests"),
        {
            "person": worker.pk,
            "category": DeviceCategory.objects.get(number=4).pk,
            "device": "PC",
            "reason": "x",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
            "storage_place": "A",
        },
    )

    assert "ends_on" in response.context["form"].errors
    assert not CarryInRequest.objects.exists()


def test_two_deciders_at_once_make_one_decision(worker, manager):
    approved = carry_in(worker, manager)
    stale = CarryInRequest.objects.get(pk=approved.pk)
    stale.state = CarryInRequest.State.REQUESTED  # as loaded before the first decision

    with pytest.raises(ValidationError, match="決定済み"):
        actions.decide_carry_in(stale, approve=False, conditions="", note="", by=manager)

    approved.refresh_from_db()
    assert approved.state == CarryInRequest.State.APPROVED


def test_a_device_inside_on_an_expired_approval_is_flagged(area, worker, manager, as_role):
    approved = carry_in(worker, manager)
    actions.record_entry(
        worker,
        area,
        READY.__class__(True, True, True, approved),
        by=manager,
    )
    CarryInRequest.objects.filter(pk=approved.pk).update(
        starts_on=timezone.localdate() - timedelta(days=10),
        ends_on=timezone.localdate() - timedelta(days=1),
    )

    status = assess(["3-12"], timezone.now())["3-12"]
    page = as_role(Role.MANAGER).get(reverse("area:carry_in_requests")).content.decode()

    assert any("ノートパソコン" in finding for finding in status.findings)
    assert "期限切れ" in page
