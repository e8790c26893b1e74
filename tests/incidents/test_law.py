"""What the Act requires, from the written report's facts: one pure function, every criterion.

Deadlines count calendar days from the day the incident became known (day 1), weekends and
public holidays included; a final report (確報) due on a day the Commission is closed is due on
its next open day (行政機関の休日に関する法律 1条・2条). Sources: `itaku/incidents/law.py`.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from itaku.core.business_days import is_business_day, public_holiday
from itaku.core.dates import fiscal_year
from itaku.incidents.law import Criterion, Facts, assess, commission_closed, deadlines


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


def test_public_holidays_and_weekends_in_between_count_as_days():
    """Golden Week: 29 April and 3 to 6 May 2026 are holidays, and count like any day; the
    office's business days (itaku.core.business_days, used for daily duties) play no part."""
    assert public_holiday(date(2026, 4, 29)) and public_holiday(date(2026, 5, 6))
    due = deadlines(date(2026, 4, 28), improper_purpose=False)
    assert due.preliminary == date(2026, 5, 2)  # a Saturday: guidance, it does not move
    assert not is_business_day(due.preliminary)
    assert due.final == date(2026, 5, 27)


def test_a_final_report_due_on_a_public_holiday_is_due_the_next_open_day():
    """Known on 31 March 2026 (fiscal year 2025): day 30 is 29 April, 昭和の日, so the last day
    is 30 April, in fiscal year 2026 (行政機関の休日に関する法律 2条)."""
    due = deadlines(date(2026, 3, 31), improper_purpose=False)
    assert due.preliminary == date(2026, 4, 4)
    assert public_holiday(date(2026, 4, 29))
    assert due.final == date(2026, 4, 30)
    assert (fiscal_year(date(2026, 3, 31)), fiscal_year(due.final)) == (2025, 2026)


def test_a_final_report_due_on_a_saturday_is_due_on_monday():
    due = deadlines(date(2026, 3, 20), improper_purpose=False)
    assert date(2026, 4, 18).weekday() == 5
    assert due.final == date(2026, 4, 20)


def test_sixty_days_ending_in_golden_week_run_to_the_first_open_day_after_it():
    """不正の目的: known 5 March 2026, day 60 is Sunday 3 May; 4, 5 and 6 May (振替休日) are
    holidays too, so the last day is Thursday 7 May."""
    due = deadlines(date(2026, 3, 5), improper_purpose=True)
    assert date(2026, 3, 5) + timedelta(days=59) == date(2026, 5, 3)
    assert due.final == date(2026, 5, 7)


def test_the_year_end_closure_moves_the_final_report_into_january():
    """Day 30 is 30 December; the Commission is closed 29 December to 3 January."""
    assert deadlines(date(2026, 12, 1), improper_purpose=False).final == date(2027, 1, 4)


def test_the_move_off_closed_days_can_be_turned_off():
    due = deadlines(date(2026, 3, 31), improper_purpose=False, final_moves_off_closed_days=False)
    assert due.final == date(2026, 4, 29)


def test_the_days_the_commission_is_closed():
    assert commission_closed(date(2026, 5, 6))  # 振替休日
    assert commission_closed(date(2027, 1, 2)) and commission_closed(date(2026, 12, 29))
    assert not commission_closed(date(2026, 12, 28)) and not commission_closed(date(2027, 1, 4))


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
