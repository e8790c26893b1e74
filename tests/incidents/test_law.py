"""What the Act requires, from the written report's facts: one pure function, every criterion.

Deadlines count calendar days from the day the incident became known (day 1), weekends and
public holidays included, as the Commission's guidelines do.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from itaku.core.business_days import is_business_day, public_holiday
from itaku.incidents.law import Criterion, Facts, assess, deadlines


def test_a_small_leak_of_ordinary_data_needs_no_report():
    assert assess(Facts(persons=100)).criteria == ()
    assert not assess(Facts(persons=100)).report_required


def test_more_than_100_persons_needs_a_report():
    assert assess(Facts(persons=101)).criteria == (Criterion.MANY_PERSONS,)


def test_the_threshold_is_a_parameter():
    assert assess(Facts(persons=101), persons_threshold=1000).criteria == ()
    assert assess(Facts(persons=1001), persons_threshold=1000).report_required


@pytest.mark.parametrize(
    ("facts", "criterion"),
    [
        (Facts(persons=1, sensitive=True), Criterion.SENSITIVE),
        (Facts(persons=1, financial_risk=True), Criterion.FINANCIAL),
        (Facts(persons=1, improper_purpose=True), Criterion.IMPROPER_PURPOSE),
    ],
)
def test_one_person_is_enough_for_the_other_criteria(facts, criterion):
    assert assess(facts).criteria == (criterion,)


def test_a_possibility_with_an_unknown_count_meets_no_count_criterion():
    assert assess(Facts(persons=None)).criteria == ()
    assert assess(Facts(persons=None, sensitive=True)).criteria == (Criterion.SENSITIVE,)


def test_every_criterion_met_is_named_in_the_order_of_the_rules():
    facts = Facts(persons=500, sensitive=True, financial_risk=True, improper_purpose=True)
    assert assess(facts).criteria == (
        Criterion.SENSITIVE,
        Criterion.FINANCIAL,
        Criterion.IMPROPER_PURPOSE,
        Criterion.MANY_PERSONS,
    )


def test_encrypted_data_is_exempt_and_the_exemption_says_from_what():
    result = assess(Facts(persons=5000, sensitive=True, encrypted=True))
    assert not result.report_required
    assert result.exempted == (Criterion.SENSITIVE, Criterion.MANY_PERSONS)


def test_deadlines_count_the_day_it_became_known_as_day_one():
    due = deadlines(date(2026, 6, 1), improper_purpose=False)
    assert due.preliminary == date(2026, 6, 5)
    assert due.final == date(2026, 6, 30)


def test_an_improper_purpose_gives_60_days_for_the_final_report():
    assert deadlines(date(2026, 6, 1), improper_purpose=True).final == date(2026, 7, 30)


def test_a_public_holiday_does_not_move_the_deadline():
    """Golden Week: 29 April and 3 to 6 May 2026 are holidays; the law counts them all, so the
    office's business days (itaku.core.business_days, used for daily duties) play no part."""
    assert public_holiday(date(2026, 4, 29)) and public_holiday(date(2026, 5, 6))
    due = deadlines(date(2026, 4, 28), improper_purpose=False)
    assert due.preliminary == date(2026, 5, 2)  # a Saturday, and still the deadline
    assert not is_business_day(due.preliminary)
    assert due.final == date(2026, 5, 27)


def test_deadlines_run_across_the_fiscal_year_turn():
    due = deadlines(date(2026, 3, 20), improper_purpose=False)
    assert due.preliminary == date(2026, 3, 24)
    assert due.final == date(2026, 4, 18)  # fiscal year 2026, the incident's is 2025


def test_the_day_counts_are_parameters():
    due = deadlines(date(2026, 6, 1), improper_purpose=False, preliminary_days=3, final_days=10)
    assert due == type(due)(preliminary=date(2026, 6, 3), final=date(2026, 6, 10))


def test_a_report_at_23_59_in_japan_counts_from_that_japanese_day(settings):
    """23:59 in Tokyo is 14:59 UTC the same day; 00:30 Tokyo is the day before in UTC."""
    late = datetime(2026, 6, 1, 14, 59, tzinfo=UTC)  # 2026-06-01 23:59 JST
    early = datetime(2026, 6, 1, 15, 30, tzinfo=UTC)  # 2026-06-02 00:30 JST
    assert timezone.localtime(late).date() == date(2026, 6, 1)
    assert timezone.localtime(early).date() == date(2026, 6, 2)
    assert deadlines(timezone.localtime(late).date(), improper_purpose=False).final == date(
        2026, 6, 30
    )
    assert timezone.localtime(early).date() - timezone.localtime(late).date() == timedelta(days=1)
