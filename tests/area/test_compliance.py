"""The dashboard's statuses for chapter 3 and 5-9 come from the area's records."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from itaku.area import actions
from itaku.area.models import (
    DeviceCategory,
    Passage,
    Patrol,
    StorageCheck,
    StoragePlace,
    VisitorPermission,
)
from itaku.people.roles import Role
from itaku.policy.registry import assess
from tests.area.factories import READY, approved_permission, make_visitor

AREA_CLAUSES = ["3-2", "3-3", "3-4", "3-5", "3-6", "3-7", "3-8", "3-9", "3-10", "3-11", "3-12"]


def test_every_area_clause_and_5_9_has_a_check(db):
    statuses = assess([*AREA_CLAUSES, "5-9"], timezone.now())

    assert all(status.checked for status in statuses.values())


def test_a_visitor_still_inside_after_the_window_needs_attention_on_3_4(area, manager, lead):
    visitor = make_visitor()
    granted = approved_permission(visitor, lead, manager)
    actions.record_entry(lead, area, READY, by=lead)
    actions.record_entry(visitor, area, READY, by=lead)
    VisitorPermission.objects.filter(pk=granted.pk).update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )

    status = assess(["3-4"], timezone.now())["3-4"]

    assert status.status == "attention"
    assert any(visitor.name in finding for finding in status.findings)


def test_admitted_entries_prove_3_7_and_5_9_and_refusals_are_counted(area, worker, city_staff):
    actions.record_entry(worker, area, READY, by=city_staff)
    actions.record_entry(make_visitor(), area, READY, by=city_staff)

    statuses = assess(["3-7", "5-9"], timezone.now())

    assert statuses["3-7"].status == "ok"
    assert statuses["3-7"].evidence == 1
    assert statuses["5-9"].status == "ok"
    assert statuses["5-9"].evidence == 1
    assert "直近30日間の入室拒否 1 件" in statuses["3-7"].facts
    assert Passage.objects.filter(outcome=Passage.Outcome.REFUSED).count() == 1


def test_without_records_the_area_clauses_show_no_evidence(db):
    statuses = assess(["3-2", "3-8", "3-12"], timezone.now())

    assert {status.status for status in statuses.values()} == {"no_evidence"}


def test_the_dashboard_shows_a_missing_exit_under_3_3(area, worker, city_staff, as_role):
    entry = actions.record_entry(worker, area, READY, by=city_staff).passage
    Passage.objects.filter(pk=entry.pk).update(occurred_at=timezone.now() - timedelta(days=2))

    page = as_role(Role.MANAGER).get(reverse("policy:dashboard")).content.decode()

    assert "退室記録漏れ" in page
    assert worker.name in page


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _check(place, day: date, *, checked_at: datetime | None = None, note: str = ""):
    return StorageCheck.objects.create(
        place=place,
        checked_on=day,
        cards_expected=place.ic_cards,
        cards_present=place.ic_cards,
        locked=True,
        note=note,
        checked_by=place.key_holder,
        checked_at=checked_at or _at(day, 18),
    )


@pytest.fixture
def cabinet(area, city_staff):
    return StoragePlace.objects.create(
        area=area, name="キャビネットA", kind="cabinet", contents="ICカード",
        key_holder=city_staff, ic_cards=2,
    )  # fmt: skip


def test_3_10_is_not_red_after_a_weekend_and_a_public_holiday(cabinet):
    _check(cabinet, date(2026, 11, 19))
    _check(cabinet, date(2026, 11, 20))  # Friday; Monday the 23rd is 勤労感謝の日

    status = assess(["3-10"], _at(date(2026, 11, 24)))["3-10"]

    assert status.status == "ok", status.findings


def test_3_10_is_not_red_after_the_year_end_closure(cabinet):
    _check(cabinet, date(2026, 12, 28))

    assert assess(["3-10"], _at(date(2027, 1, 4)))["3-10"].status == "ok"


def test_a_missed_business_day_stays_a_finding_until_someone_records_why(cabinet):
    _check(cabinet, date(2026, 11, 20))

    next_day = assess(["3-10"], _at(date(2026, 11, 25)))["3-10"]
    a_week_later = assess(["3-10"], _at(date(2026, 12, 2)))["3-10"]
    _check(cabinet, date(2026, 11, 24), checked_at=_at(date(2026, 12, 2), 10))
    late_without_reason = assess(["3-10"], _at(date(2026, 12, 2), 11))["3-10"]
    StorageCheck.objects.filter(checked_on=date(2026, 11, 24)).update(
        note="担当者が急病のため翌週に確認。鍵は課長が保管していた。"
    )
    explained = assess(["3-10"], _at(date(2026, 12, 2), 11))["3-10"]

    assert any("11月24日" in finding for finding in next_day.findings)
    assert any("11月24日" in finding for finding in a_week_later.findings)
    assert any("11月24日" in finding for finding in late_without_reason.findings)
    assert not any("11月24日" in finding for finding in explained.findings)
    assert all(link == "/area/storage/check/" for link in a_week_later.links)


def test_refusals_rejections_and_empty_categories_are_not_evidence(area, manager, lead):
    visitor = make_visitor()
    rejected = VisitorPermission.objects.create(
        person=visitor, purpose="見学", starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=1), monitor=lead, requested_by=lead,
        requested_at=timezone.now(), state=VisitorPermission.State.REJECTED,
    )  # fmt: skip
    Passage.objects.create(
        area=area, person=visitor, direction="entry", outcome="refused",
        occurred_at=timezone.now(), recorded_at=timezone.now(),
    )  # fmt: skip
    DeviceCategory.objects.all().delete()

    statuses = assess(["3-3", "3-4", "3-11"], timezone.now())

    assert rejected.pk and statuses["3-3"].evidence == 0
    assert statuses["3-4"].evidence == 0
    assert statuses["3-11"].evidence == 0
    assert statuses["3-11"].status == "attention"


def test_an_admitted_device_without_approval_needs_attention_on_3_11(area, lead, city_staff):
    Passage.objects.create(
        area=area, person=lead, direction="entry", outcome="admitted",
        occurred_at=timezone.now(), recorded_at=timezone.now(), badge_worn=True,
        only_valuables=True, prohibited_device=True,
    )  # fmt: skip

    status = assess(["3-11"], timezone.now())["3-11"]

    assert status.status == "attention"
    assert any(lead.name in finding for finding in status.findings)


def test_3_9_counts_a_week_of_business_days_so_the_year_end_closure_is_not_red(area, city_staff):
    Patrol.objects.create(
        area=area, patrolled_at=_at(date(2026, 12, 25), 16), patrolled_by=city_staff
    )

    after_the_closure = assess(["3-9"], _at(date(2027, 1, 6)))["3-9"]
    a_business_week_later = assess(["3-9"], _at(date(2027, 1, 8)))["3-9"]

    assert after_the_closure.status == "ok", after_the_closure.findings
    assert a_business_week_later.status == "attention"
    assert a_business_week_later.links == ["/area/patrols/"]
