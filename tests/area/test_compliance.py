"""The dashboard's statuses for chapter 3 and 5-9 come from the area's records."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from itaku.area import actions
from itaku.area.models import Passage, VisitorPermission
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
    assert "直近30日間の入室拒否 1 件" in statuses["5-9"].facts
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
