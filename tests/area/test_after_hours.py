"""3-3: the area's hours mean something. An entry after closing time, before opening or on a
closed day is refused naming 3-3, unless an approved after-hours permission covers it."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from itaku.area import actions
from itaku.area.models import AfterHoursPermission, Passage
from itaku.audit.models import Event
from itaku.core.business_days import closed_on
from itaku.people.roles import Capacity, Role
from itaku.policy.registry import assess
from tests.area.factories import READY, run_clock_at

CHECKS = {"badge_worn": "on", "only_valuables": "on", "no_prohibited_device": "on"}


def _clauses(result) -> list[str]:
    return [item["clause_id"] for item in result.passage.refusals]


def _evening(monkeypatch):
    return run_clock_at(monkeypatch, time(22, 0))


def _permit(person, area, manager, *, by, starts, hours=2):
    requested = actions.request_after_hours(
        person=person,
        area=area,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        reason="繁忙期の申請書類整理",
        by=by,
    )
    return actions.decide_after_hours(requested, approve=True, note="", by=manager)


def test_entry_at_22_is_refused_naming_3_3(area, worker, city_staff, monkeypatch):
    _evening(monkeypatch)

    result = actions.record_entry(worker, area, READY, by=city_staff)

    assert not result.admitted
    assert _clauses(result) == ["3-3"]
    assert "18:00" in result.passage.refusals[0]["reason"]["en"]


def test_entry_at_22_is_admitted_with_an_approved_after_hours_permission(
    area, worker, manager, city_staff, monkeypatch
):
    now = _evening(monkeypatch)
    granted = _permit(worker, area, manager, by=worker, starts=now - timedelta(minutes=30))

    result = actions.record_entry(worker, area, READY, by=city_staff)

    assert result.admitted
    assert granted.decided_capacity == Capacity.MANAGER
    assert Event.objects.filter(code="area.after_hours.approved").count() == 1


def test_a_requested_or_rejected_permission_does_not_admit(
    area, worker, manager, city_staff, monkeypatch
):
    now = _evening(monkeypatch)
    requested = actions.request_after_hours(
        person=worker,
        area=area,
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(hours=1),
        reason="書類整理",
        by=worker,
    )
    assert not actions.record_entry(worker, area, READY, by=city_staff).admitted

    actions.decide_after_hours(requested, approve=False, note="不要", by=manager)

    assert requested.state == AfterHoursPermission.State.REJECTED
    assert Passage.objects.filter(outcome=Passage.Outcome.ADMITTED).count() == 0


def test_a_closed_day_refuses_entry_even_within_the_hours(area, worker, city_staff, monkeypatch):
    saturday = timezone.localdate()
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    run_clock_at(monkeypatch, time(10, 0), day=saturday)

    result = actions.record_entry(worker, area, READY, by=city_staff)

    assert _clauses(result) == ["3-3"]


def test_closed_days_are_weekends_and_the_year_end_holidays():
    assert closed_on(date(2026, 11, 28))  # Saturday
    assert closed_on(date(2026, 12, 30))  # year-end, a Wednesday
    assert closed_on(date(2027, 1, 2))
    assert not closed_on(date(2026, 11, 27))  # Friday


def test_the_desk_shows_the_refusal_with_clause_3_3(area, worker, as_role, monkeypatch):
    _evening(monkeypatch)
    client = as_role(Role.CITY_STAFF)

    response = client.post(
        reverse("area:area_desk", args=[area.pk]),
        {"person": worker.badge_number, "direction": "entry", **CHECKS},
    )
    page = client.get(response["Location"]).content.decode()

    assert "desk-result-refused" in page
    assert '<span class="clause-id">3-3</span>' in page


def test_no_one_decides_their_own_after_hours_request(area, manager, monkeypatch):
    now = _evening(monkeypatch)
    requested = actions.request_after_hours(
        person=manager,
        area=area,
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        reason="書類確認",
        by=manager,
    )

    with pytest.raises(ValidationError):
        actions.decide_after_hours(requested, approve=True, note="", by=manager)


def test_worker_cannot_request_after_hours_for_someone_else(area, worker, city_staff):
    now = timezone.now()

    with pytest.raises(ValidationError) as raised:
        actions.request_after_hours(
            person=city_staff,
            area=area,
            starts_at=now,
            ends_at=now + timedelta(hours=1),
            reason="書類整理",
            by=worker,
        )

    assert "3-3" in raised.value.message_dict["person"][0]


def test_the_after_hours_screen_files_a_request_and_the_manager_approves_it(
    area, worker, manager, as_role
):
    start = timezone.localtime() + timedelta(hours=9)
    response = as_role(Role.CONTRACTOR_WORKER).post(
        reverse("area:after_hours"),
        {
            "person": worker.pk,
            "area": area.pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "繁忙期の申請書類整理",
        },
    )
    assert response.status_code == 302
    requested = AfterHoursPermission.objects.get()

    as_role(Role.MANAGER).post(
        reverse("area:after_hours_decide", args=[requested.pk]), {"decision": "approve"}
    )

    requested.refresh_from_db()
    assert requested.state == AfterHoursPermission.State.APPROVED
    assert requested.decided_by == manager


def test_an_entry_recorded_at_night_without_a_permission_needs_attention_on_3_3(
    area, worker, city_staff
):
    night = timezone.now().replace(hour=13, minute=0) - timedelta(days=1)  # 22:00 in Tokyo
    # Written straight into the table, as an import or a fault might: the door would refuse.
    Passage.objects.create(
        area=area,
        person=worker,
        direction=Passage.Direction.ENTRY,
        outcome=Passage.Outcome.ADMITTED,
        occurred_at=night,
        recorded_at=night,
        recorded_by=city_staff,
        badge_worn=True,
        only_valuables=True,
        prohibited_device=False,
    )

    status = assess(["3-3"], timezone.now())["3-3"]

    assert status.status == "attention"
    assert any("outside" in finding or "時間外" in finding for finding in status.findings)
