"""The office's business days: Japan's public holidays plus the office's own closed days.

Daily duties (3-10's IC-card check, the closing-time list) are due on business days only, so a
check does not turn red every Monday or after Golden Week for an office that was closed. The
public holidays (振替休日 and 国民の休日 included) come from the maintained `holidays` library,
which follows the Cabinet Office's announcements; the office's own closed days are settings:
weekdays (`ITAKU_CLOSED_WEEKDAYS`, Saturday and Sunday by default), yearly ranges
(`ITAKU_YEARLY_CLOSED_RANGES`, 年末年始 12/29–1/3 by default) and extra dates
(`ITAKU_EXTRA_CLOSED_DAYS`).
"""

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from functools import cache, lru_cache

import holidays
from django.conf import settings

# Never walk further back than this looking for business days (a safety bound, ~ a year).
_MAX_LOOKBACK_DAYS = 400


@cache
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("JP", years=year)


def public_holiday(day: date) -> str | None:
    """The name of the public holiday on `day`, or None."""
    name = _public_holidays(day.year).get(day)
    return str(name) if name else None


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def _in_yearly_range(day: date, start: str, end: str) -> bool:
    """`day` falls in a yearly range; a range like 12-29..01-03 runs over the new year."""
    first, last, here = _month_day(start), _month_day(end), (day.month, day.day)
    if first <= last:
        return first <= here <= last
    return here >= first or here <= last


def closed_on(day: date) -> bool:
    """The office is closed on `day`: a weekend, a public holiday or one of its own closed days."""
    return not is_business_day(day)


def is_business_day(day: date) -> bool:
    return day in _year_of_business_days(day.year, _calendar())[1]


def _calendar() -> tuple[tuple[int, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The office's closed days as settings give them now (a test may change them)."""
    return (
        tuple(settings.ITAKU_CLOSED_WEEKDAYS),
        tuple(settings.ITAKU_EXTRA_CLOSED_DAYS),
        tuple((start, end) for start, end in settings.ITAKU_YEARLY_CLOSED_RANGES),
    )


@lru_cache(maxsize=64)
def _year_of_business_days(
    year: int, calendar: tuple[tuple[int, ...], tuple[str, ...], tuple[tuple[str, str], ...]]
) -> tuple[tuple[date, ...], frozenset[date]]:
    """The business days of `year` under `calendar`, in order and as a set, worked out once."""
    day = date(year, 1, 1)
    days = []
    while day.year == year:
        if _open_on(day, calendar):
            days.append(day)
        if day == date.max:
            break
        day += timedelta(days=1)
    return tuple(days), frozenset(days)


def _open_on(
    day: date, calendar: tuple[tuple[int, ...], tuple[str, ...], tuple[tuple[str, str], ...]]
) -> bool:
    weekdays, extra, ranges = calendar
    if day.weekday() in weekdays:
        return False
    if day.isoformat() in extra:
        return False
    if any(_in_yearly_range(day, a, b) for a, b in ranges):
        return False
    return public_holiday(day) is None


def previous_business_days(day: date, count: int = 1) -> list[date]:
    """The `count` business days before `day` (not `day` itself), latest first."""
    found: list[date] = []
    candidate = day
    for _ in range(_MAX_LOOKBACK_DAYS):
        if len(found) == count:
            break
        candidate -= timedelta(days=1)
        if is_business_day(candidate):
            found.append(candidate)
    return found


def previous_business_day(day: date) -> date | None:
    days = previous_business_days(day, 1)
    return days[0] if days else None


def business_days_between(first: date, last: date) -> list[date]:
    """The business days from `first` to `last`, both included, in order."""
    calendar = _calendar()
    days: list[date] = []
    for year in range(first.year, last.year + 1):
        in_year = _year_of_business_days(year, calendar)[0]
        days.extend(in_year[bisect_left(in_year, first) : bisect_right(in_year, last)])
    return days
