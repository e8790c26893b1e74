"""Fiscal years (年度) and era dates (和暦).

Official forms show dates in the Japanese era (令和7年4月1日); the API, CSV and JSON use ISO 8601.
A fiscal year runs from 1 April to 31 March and is named by the calendar year it starts in.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import get_language


@dataclass(frozen=True)
class Era:
    name: str
    name_en: str
    starts: date


# Newest first. An era begins on the day of accession (令和: 2019-05-01).
ERAS = (
    Era("令和", "Reiwa", date(2019, 5, 1)),
    Era("平成", "Heisei", date(1989, 1, 8)),
    Era("昭和", "Showa", date(1926, 12, 25)),
    Era("大正", "Taisho", date(1912, 7, 30)),
    Era("明治", "Meiji", date(1868, 1, 25)),
)


def local_date(value: date | datetime) -> date:
    """The calendar date in Asia/Tokyo; aware datetimes are converted, dates pass through."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


def era_of(day: date) -> tuple[Era, int]:
    for era in ERAS:
        if day >= era.starts:
            return era, day.year - era.starts.year + 1
    raise ValueError(f"{day.isoformat()} is before the Meiji era")


def wareki(value: date | datetime) -> str:
    """令和7年4月1日; the first year of an era is 元年 as on official forms."""
    day = local_date(value)
    era, year = era_of(day)
    year_text = "元" if year == 1 else str(year)
    return f"{era.name}{year_text}年{day.month}月{day.day}日"


def wareki_year(fiscal_year: int) -> str:
    """The era name of a fiscal year as forms print it: 令和7年度 for fiscal year 2025.

    A fiscal year takes the era its calendar year ends in, as official usage does: fiscal year
    2019 began in Heisei but is 令和元年度; fiscal year 1988 ended in Heisei but is 昭和63年度.
    """
    era, year = era_of(date(fiscal_year, 12, 31))
    return f"{era.name}{'元' if year == 1 else year}年度"


def fiscal_year(value: date | datetime) -> int:
    day = local_date(value)
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of a fiscal year, both inclusive."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def retention_ends(year: int, years: int | None = None) -> date:
    """3-6: the last day a record of fiscal year `year` must be kept.

    The period is counted from 1 April of the next fiscal year (起算日), so a record of fiscal
    year Y under a 3-year rule is kept until the 31 March that ends fiscal year Y+3.
    """
    kept = settings.ITAKU_RETENTION_FISCAL_YEARS if years is None else years
    return fiscal_year_bounds(year + kept)[1]


def display_date(value: date | datetime) -> str:
    """A date as a reader of the active language expects it: 令和7年4月1日, or 1 April 2025."""
    if (get_language() or "ja").startswith("ja"):
        return wareki(value)
    return formats.date_format(local_date(value), "j F Y")


# For messages built before the reader's language is known (compliance facts, errors).
display_date_lazy = lazy(display_date, str)
