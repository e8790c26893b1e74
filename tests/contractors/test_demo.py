"""The demo shows a contract with one provision missing, a roster, pledges, training, reports."""

from django.utils import timezone

from itaku.contractors.models import Contract
from itaku.core.demo_data import load_all
from itaku.people.admission import refusals
from itaku.people.models import Person
from itaku.policy.registry import Status, assess


def test_the_demo_loads_twice_without_duplicates_and_has_something_to_show(db):
    load_all()
    load_all()

    contract = Contract.objects.get()
    assert contract.missing_provisions() == ["2-2-l"]
    assert contract.current_roster() is not None
    assert contract.contractor_pledge().confirmed
    assert contract.training_sessions.count() == 1
    assert contract.inspections.count() == 1
    assert len(contract.overdue_report_periods(timezone.localdate())) == 1
    assert contract.periodic_reports.reviewed().count() >= 4
    statuses = assess(["2-2-l", "5-1", "5-4", "5-6", "5-10"], timezone.now())
    assert statuses["2-2-l"].status is Status.ATTENTION
    assert statuses["5-1"].status is Status.OK
    assert statuses["5-6"].status is Status.ATTENTION  # one rostered worker missed the training


def test_in_the_demo_a_trained_worker_is_admitted_and_the_unrostered_one_is_not(db):
    load_all()
    now = timezone.now()
    assert refusals(Person.objects.get(badge_number="K-0102"), now) == []
    assert [r.clause_id for r in refusals(Person.objects.get(badge_number="K-0105"), now)] == [
        "5-1"
    ]
    assert [r.clause_id for r in refusals(Person.objects.get(badge_number="K-0104"), now)] == [
        "5-6"
    ]
