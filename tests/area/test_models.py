"""Rules on single records: closing time, fiscal years, badge lookup, reader tokens."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from itaku.area import actions
from itaku.area.forms import find_by_badge
from itaku.area.models import Area, Passage
from itaku.people.account_models import secret_hash
from tests.area.factories import READY

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("now", "closing"),
    [
        (datetime(2025, 4, 2, 19, 0, tzinfo=TOKYO), datetime(2025, 4, 2, 18, 0, tzinfo=TOKYO)),
        (datetime(2025, 4, 2, 9, 0, tzinfo=TOKYO), datetime(2025, 4, 1, 18, 0, tzinfo=TOKYO)),
        (datetime(2025, 4, 2, 18, 0, tzinfo=TOKYO), datetime(2025, 4, 2, 18, 0, tzinfo=TOKYO)),
    ],
)
def test_the_last_closing_is_today_after_closing_time_and_yesterday_before(now, closing):
    area = Area(name="x", place="x", boundary="x", closing_time=time(18, 0))

    assert area.last_closing(now) == closing


@pytest.mark.parametrize(
    ("entered", "now", "missed"),
    [
        ((4, 2, 9, 0), (4, 2, 17, 0), False),  # in since the morning, before closing
        ((4, 2, 9, 0), (4, 2, 18, 30), True),  # still in after closing
        ((4, 2, 18, 30), (4, 2, 20, 0), False),  # overtime after closing, same evening
        ((4, 2, 18, 30), (4, 3, 9, 0), True),  # overtime, still in the next morning
    ],
)
def test_a_stay_past_closing_or_over_a_night_is_a_missed_exit(entered, now, missed):
    area = Area(name="x", place="x", boundary="x", closing_time=time(18, 0))

    def at(month: int, day: int, hour: int, minute: int) -> datetime:
        return datetime(2025, month, day, hour, minute, tzinfo=TOKYO)

    assert area.missed_closing(at(*entered), at(*now)) is missed


def test_a_passage_carries_the_fiscal_year_of_its_own_date(area, worker, city_staff):
    entry = actions.record_entry(worker, area, READY, by=city_staff).passage
    march = datetime(2025, 3, 31, 23, 30, tzinfo=TOKYO)
    april = datetime(2025, 4, 1, 0, 30, tzinfo=TOKYO)

    entry.occurred_at = march
    entry.save()
    in_march = entry.fiscal_year
    correction = actions.correct_passage(
        entry, cancel=False, occurred_at=april, reason="日付の誤り", by=city_staff
    )

    assert in_march == 2024
    assert correction.fiscal_year == 2025


def test_a_badge_is_found_whatever_its_case_and_a_bare_number_is_no_one(worker):
    assert find_by_badge(f"  {worker.badge_number.lower()} ") == worker
    assert find_by_badge(str(worker.pk)) is None
    assert find_by_badge("") is None
    assert find_by_badge("NO-SUCH") is None


def test_a_reader_token_is_random_and_kept_only_as_its_hash(area, manager):
    first, token_one = actions.register_reader(area=area, name="入口A", by=manager)
    _second, token_two = actions.register_reader(area=area, name="入口B", by=manager)

    assert token_one != token_two
    assert first.token_hash == secret_hash(token_one)
    assert first.token_hint == token_one[:8]


def test_an_exit_recorded_afterwards_cannot_precede_the_entry(area, worker, city_staff):
    entry = actions.record_entry(worker, area, READY, by=city_staff).passage

    with pytest.raises(ValidationError) as raised:
        actions.record_exit(
            worker,
            area,
            by=city_staff,
            occurred_at=entry.occurred_at - timedelta(minutes=1),
            note="記録漏れ",
        )

    assert "occurred_at" in raised.value.message_dict
    assert Passage.objects.count() == 1
