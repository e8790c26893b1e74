"""The demo's LGWAN records: a month of lookups, each rule with something to show."""

from datetime import date

import pytest
from django.utils import timezone

from itaku.core.business_days import closed_on
from itaku.core.demo_data import load_all
from itaku.lgwan.models import Application, DayReview, Finding, Lookup, Terminal
from itaku.lgwan.rules import RULES
from tests.area.factories import run_clock_at


@pytest.mark.django_db
def test_the_demo_loads_lookups_and_a_planted_finding_for_each_rule_once():
    load_all()
    counts = (Lookup.objects.count(), Finding.objects.count(), DayReview.objects.count())
    load_all()

    assert (Lookup.objects.count(), Finding.objects.count(), DayReview.objects.count()) == counts
    assert 1000 < counts[0] < 10000
    assert Terminal.objects.count() == 4
    open_rules = set(
        Finding.objects.filter(state=Finding.State.OPEN).values_list("rule", flat=True)
    )
    assert open_rules == set(RULES) - {"off_hours"} | ({"off_hours"} & open_rules)
    assert {"no_receipt", "owner_not_inside", "two_terminals", "volume"} <= open_rules
    assert DayReview.objects.filter(state=DayReview.State.SIGNED).exists()


@pytest.mark.django_db
def test_the_demos_lookups_and_applications_fall_on_business_days_only(monkeypatch):
    # Four days after 勤労感謝の日 (a Monday in 2026): the demo's month holds a public holiday.
    run_clock_at(monkeypatch, day=date(2026, 11, 27))
    load_all()

    lookup_days = {
        timezone.localdate(moment)
        for moment in Lookup.objects.values_list("occurred_at", flat=True)
    }
    application_days = set(Application.objects.values_list("day", flat=True))

    assert date(2026, 11, 20) in lookup_days
    assert not {day for day in lookup_days | application_days if closed_on(day)}
