"""Business days: Japan's public holidays plus the office's own closed days (3-10)."""

from datetime import date

from itaku.core.business_days import (
    business_days_between,
    closed_on,
    is_business_day,
    previous_business_day,
    previous_business_days,
    public_holiday,
)


def test_weekends_and_public_holidays_are_not_business_days():
    assert is_business_day(date(2026, 11, 20))  # a Friday
    assert not is_business_day(date(2026, 11, 21))  # Saturday
    assert not is_business_day(date(2026, 11, 22))  # Sunday
    assert not is_business_day(date(2026, 11, 23))  # 勤労感謝の日, a Monday
    assert public_holiday(date(2026, 11, 23))
    assert not is_business_day(date(2026, 5, 6))  # 振替休日 for Constitution Day on a Sunday


def test_the_year_end_closure_runs_over_the_new_year():
    assert is_business_day(date(2026, 12, 28))
    assert [closed_on(date(2026, 12, day)) for day in (29, 30, 31)] == [True, True, True]
    assert closed_on(date(2027, 1, 2)) and closed_on(date(2027, 1, 3))
    assert is_business_day(date(2027, 1, 4))
    assert previous_business_day(date(2027, 1, 4)) == date(2026, 12, 28)
    assert previous_business_days(date(2027, 1, 4), 2) == [date(2026, 12, 28), date(2026, 12, 25)]


def test_the_office_can_add_its_own_closed_days(settings):
    settings.ITAKU_EXTRA_CLOSED_DAYS = ("2026-11-20",)
    assert closed_on(date(2026, 11, 20))
    assert business_days_between(date(2026, 11, 19), date(2026, 11, 24)) == [
        date(2026, 11, 19),
        date(2026, 11, 24),
    ]


def test_an_office_open_on_saturdays_says_so(settings):
    settings.ITAKU_CLOSED_WEEKDAYS = (6,)
    assert is_business_day(date(2026, 11, 21))
