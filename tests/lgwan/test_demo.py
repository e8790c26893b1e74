"""The demo's LGWAN records: a month of lookups, each rule with something to show."""

import pytest

from itaku.core.demo_data import load_all
from itaku.lgwan.models import DayReview, Finding, Lookup, Terminal
from itaku.lgwan.rules import RULES


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
