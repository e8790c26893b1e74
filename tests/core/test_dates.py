from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from itaku.core.dates import (
    fiscal_year,
    fiscal_year_bounds,
    retention_ends,
    wareki,
    wareki_year,
)


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2025, 12, 31), 2025)],
)
def test_fiscal_year_turns_on_the_first_of_april(day, year):
    assert fiscal_year(day) == year


def test_fiscal_year_of_a_moment_is_taken_in_tokyo_time():
    # 2026-03-31 15:30 UTC is already 1 April 00:30 in Tokyo: fiscal year 2026.
    assert fiscal_year(datetime(2026, 3, 31, 15, 30, tzinfo=UTC)) == 2026
    assert fiscal_year(datetime(2026, 3, 31, 14, 59, tzinfo=UTC)) == 2025


def test_fiscal_year_bounds_are_first_of_april_to_thirty_first_of_march():
    assert fiscal_year_bounds(2025) == (date(2025, 4, 1), date(2026, 3, 31))


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2025, 4, 1), "令和7年4月1日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2012, 10, 1), "平成24年10月1日"),
    ],
)
def test_era_dates_change_on_the_day_of_accession(day, text):
    assert wareki(day) == text


def test_fiscal_year_names_follow_the_era_of_their_first_day():
    assert wareki_year(2025) == "令和7年度"
    assert wareki_year(2019) == "令和元年度"
    assert wareki_year(2018) == "平成30年度"
    assert wareki_year(1988) == "昭和63年度"
    assert wareki_year(1989) == "平成元年度"


def test_records_are_kept_until_the_end_of_the_third_following_fiscal_year():
    # 3-6: a record of fiscal year 2025 is counted from 2026-04-01 and kept to 2029-03-31.
    assert retention_ends(2025) == date(2029, 3, 31)
    assert retention_ends(2025, years=5) == date(2031, 3, 31)


def test_retention_period_follows_the_setting(settings):
    settings.ITAKU_RETENTION_FISCAL_YEARS = 5
    assert retention_ends(2025) == date(2031, 3, 31)


def test_templates_show_era_dates_in_japanese_and_plain_dates_in_english():
    template = Template("{% load itaku_dates %}{{ day|jdate }}")
    with translation.override("ja"):
        assert template.render(Context({"day": date(2025, 4, 1)})) == "令和7年4月1日"
    with translation.override("en"):
        assert template.render(Context({"day": date(2025, 4, 1)})) == "1 April 2025"
