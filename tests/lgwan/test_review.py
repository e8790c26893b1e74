"""The daily review (4-4): each rule finds its pattern; findings are closed, days signed off."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from itaku.area import actions as area_actions
from itaku.area.models import Passage
from itaku.audit.models import Event
from itaku.lgwan import actions
from itaku.lgwan.models import Application, DayReview, Finding, Rule, Terminal, is_business_day
from itaku.lgwan.rules import Day, _read_apart, _read_in_one, parameters, review_day
from itaku.people.roles import Role
from tests.area.factories import READY, run_clock_at
from tests.lgwan.factories import (
    at_today,
    load,
    make_account,
    make_terminal,
    sample_file,
    sample_line,
    yesterday,
)


@pytest.fixture
def terminal(area, manager):
    return make_terminal(area, manager)


@pytest.fixture
def clerk(personas):
    return personas[Role.CITY_STAFF]


@pytest.fixture
def account(clerk, manager):
    return make_account(clerk, manager, "U1001")


def _inside(person, area, when, direction=Passage.Direction.ENTRY):
    """A stored entry (or another passage) at `when`, as the entry log would hold it."""
    return Passage.objects.create(
        area=area,
        person=person,
        direction=direction,
        outcome=Passage.Outcome.ADMITTED,
        occurred_at=when,
        recorded_at=when,
    )


def _rules(day):
    """The rules that found something; on a weekend every lookup is also out of hours."""
    review_day(day)
    found = Finding.objects.filter(day=day)
    if not is_business_day(day):
        found = found.exclude(rule="off_hours")
    return sorted(found.values_list("rule", flat=True))


def test_a_lookup_without_a_receipt_number_is_a_finding(source, terminal, account, area, clerk):
    day = yesterday(0).date()
    _inside(clerk, area, yesterday(8))
    Application.objects.create(receipt_number="R-1", day=day, recorded_at=timezone.now())
    load(
        source,
        sample_file(
            [
                sample_line(yesterday(9), "LG-01", "U1001", receipt="R-1"),
                sample_line(yesterday(9, 5), "LG-01", "U1001"),
            ]
        ),
    )

    assert _rules(day) == ["no_receipt"]


def test_a_receipt_number_of_no_application_that_day_is_a_finding(
    source, terminal, account, area, clerk
):
    day = yesterday(0).date()
    _inside(clerk, area, yesterday(8))
    Application.objects.create(
        receipt_number="R-1", day=day - timedelta(days=1), recorded_at=timezone.now()
    )
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U1001", receipt="R-1")]))

    assert _rules(day) == ["unknown_receipt"]


def test_an_id_used_while_its_owner_has_left_the_area_is_a_sharing_signal(
    source, terminal, account, area, clerk, monkeypatch
):
    """The entry log's real records: inside at the first lookup, gone at the second."""
    with monkeypatch.context() as clock:  # admitted within the area's hours (3-3)
        run_clock_at(clock)
        area_actions.record_entry(clerk, area, READY, by=clerk)
        area_actions.record_exit(clerk, area, by=clerk)
    entry, exit_ = Passage.objects.filter(person=clerk).order_by("occurred_at", "pk")
    Passage.objects.filter(pk=entry.pk).update(occurred_at=at_today(0, 0, 1))
    Passage.objects.filter(pk=exit_.pk).update(occurred_at=at_today(0, 30))
    Application.objects.create(
        receipt_number="R-1", day=timezone.localdate(), recorded_at=timezone.now()
    )
    load(
        source,
        sample_file(
            [
                sample_line(at_today(0, 10), "LG-01", "U1001", receipt="R-1"),
                sample_line(at_today(0, 40), "LG-01", "U1001", receipt="R-1"),
            ]
        ),
    )

    review_day(timezone.localdate())

    shared = Finding.objects.get(rule="owner_not_inside")
    assert shared.lookup.occurred_at == at_today(0, 40)
    assert shared.owner == clerk
    assert shared.clause_id == "4-2"


def test_a_lookup_by_someone_never_inside_is_a_sharing_signal(source, terminal, account):
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U1001", receipt="R-1")]))

    assert "owner_not_inside" in _rules(yesterday(0).date())


def test_a_cancelled_entry_does_not_count_as_inside(source, terminal, account, area, clerk):
    entry = _inside(clerk, area, yesterday(8))
    Passage.objects.create(
        area=area,
        person=clerk,
        direction=Passage.Direction.ENTRY,
        outcome=Passage.Outcome.ADMITTED,
        occurred_at=yesterday(8),
        recorded_at=yesterday(8),
        corrects=entry,
        cancelled=True,
    )
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U1001", receipt="R-1")]))

    assert "owner_not_inside" in _rules(yesterday(0).date())


def test_one_id_on_two_terminals_at_once(source, terminal, account, area, clerk, manager):
    make_terminal(area, manager, "LG-02")
    _inside(clerk, area, yesterday(8))
    load(
        source,
        sample_file(
            [
                sample_line(yesterday(9), "LG-01", "U1001", receipt="R-1"),
                sample_line(yesterday(9, 2), "LG-02", "U1001", receipt="R-2"),
            ]
        ),
    )

    found = Finding.objects.filter(rule="two_terminals")
    review_day(yesterday(0).date())
    assert found.count() == 1
    assert found.get().owner == clerk


def test_lookups_outside_office_hours(source, terminal, account, area, clerk):
    _inside(clerk, area, yesterday(6))
    load(source, sample_file([sample_line(yesterday(7), "LG-01", "U1001", receipt="R-1")]))
    day = yesterday(0).date()

    review_day(day)

    assert Finding.objects.filter(rule="off_hours").exists() or day.weekday() >= 5


def test_a_volume_far_above_the_persons_baseline(source, terminal, account, area, clerk):
    lines = []
    for days_ago in range(2, 6):
        _inside(clerk, area, yesterday(8) - timedelta(days=days_ago - 1))
        base = yesterday(10) - timedelta(days=days_ago - 1)
        lines += [
            sample_line(base + timedelta(minutes=m), "LG-01", "U1001", receipt="R")
            for m in range(5)
        ]
    _inside(clerk, area, yesterday(8))
    lines += [
        sample_line(yesterday(10) + timedelta(seconds=20 * m), "LG-01", "U1001", receipt="R")
        for m in range(30)
    ]
    load(source, sample_file(lines))

    review_day(yesterday(0).date())

    assert Finding.objects.get(rule="volume").detail.startswith("U1001 30")


def test_an_id_never_issued_is_a_finding(source, terminal, account, manager):
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U9999", receipt="R-1")]))

    review_day(yesterday(0).date())

    unknown = Finding.objects.get(rule="unknown_id")
    assert unknown.detail.startswith("U9999")
    assert unknown.owner is None


def test_a_terminal_the_register_does_not_have_in_service_is_a_finding(
    source, terminal, account, clerk
):
    """4-1: the back office's PC, and a counter terminal retired the day before."""
    Terminal.objects.filter(pk=terminal.pk).update(retired_on=yesterday(0).date())
    load(
        source,
        sample_file(
            [
                sample_line(yesterday(9), "LG-77", "U1001", receipt="R-1"),
                sample_line(yesterday(9, 5), "LG-77", "U1001", receipt="R-1"),
                sample_line(yesterday(10), "LG-01", "U1001", receipt="R-1"),
            ]
        ),
    )

    review_day(yesterday(0).date())

    found = Finding.objects.filter(rule="unknown_terminal").order_by("detail")
    assert [f.detail for f in found] == [
        "LG-01 / U1001 10:00:00〜 (1)",
        "LG-77 / U1001 09:00:00〜 (2)",
    ]
    assert {f.clause_id for f in found} == {"4-1"}
    assert {f.owner for f in found} == {clerk}


def test_a_session_without_logout_and_a_terminal_idle_past_its_lock(
    source, terminal, account, area, clerk
):
    _inside(clerk, area, yesterday(8))
    load(
        source,
        sample_file(
            [
                sample_line(yesterday(9), "LG-01", "U1001", "ログイン"),
                sample_line(yesterday(9, 1), "LG-01", "U1001", receipt="R-1"),
                sample_line(yesterday(9, 30), "LG-01", "U1001", receipt="R-2"),
            ]
        ),
    )

    rules = _rules(yesterday(0).date())

    assert "open_session" in rules
    assert "idle_past_lock" in rules  # 29 minutes idle on a 10-minute lock, no new login


def test_a_logged_out_session_is_not_a_finding(source, terminal, account, area, clerk):
    _inside(clerk, area, yesterday(8))
    load(
        source,
        sample_file(
            [
                sample_line(yesterday(9), "LG-01", "U1001", "ログイン"),
                sample_line(yesterday(9, 1), "LG-01", "U1001", receipt="R-1"),
                sample_line(yesterday(9, 2), "LG-01", "U1001", "ログアウト"),
            ]
        ),
    )

    rules = _rules(yesterday(0).date())

    assert "open_session" not in rules and "idle_past_lock" not in rules


def test_a_rule_switched_off_as_data_finds_nothing(source, terminal, account, manager):
    actions.set_rule("no_receipt", enabled=False, params={}, by=manager)
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U1001")]))

    assert "no_receipt" not in _rules(yesterday(0).date())
    assert Event.objects.filter(code="lgwan.rule.changed").exists()


def test_reviewing_a_day_twice_adds_no_finding_twice(source, terminal, account):
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U1001")]))
    day = yesterday(0).date()

    first = review_day(day)
    again = review_day(day)

    assert first > 0 and again == 0


def test_the_owner_of_the_id_cannot_close_their_own_finding(source, terminal, personas, manager):
    make_account(manager, personas[Role.SUPERIOR], "U2001")
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U2001")]))
    review_day(yesterday(0).date())
    finding = Finding.objects.filter(owner=manager).first()

    with pytest.raises(ValidationError, match="3-1"):
        actions.close_finding(finding, note="本人が確認", by=manager)
    finding.refresh_from_db()
    assert finding.state == Finding.State.OPEN


def test_a_finding_is_closed_with_a_note_and_the_day_signed_off(source, terminal, account, manager):
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U1001")]))
    day = yesterday(0).date()
    review_day(day)

    with pytest.raises(ValidationError, match="4-4"):
        actions.sign_off_day(day, by=manager)
    with pytest.raises(ValidationError, match="4-4"):
        actions.close_finding(Finding.objects.first(), note=" ", by=manager)
    for finding in Finding.objects.filter(day=day):
        actions.close_finding(finding, note="申請書控えで確認済み", by=manager)
    review = actions.sign_off_day(day, note="異常なし", by=manager)

    assert review.state == DayReview.State.SIGNED
    assert review.decided_by == manager
    event = Event.objects.filter(code="lgwan.day.signed_off").get()
    assert event.changes["day"] == day.isoformat()
    assert Event.objects.filter(code="lgwan.finding.closed").count() == Finding.objects.count()


def test_today_cannot_be_signed_off_yet(manager):
    with pytest.raises(ValidationError, match="4-4"):
        actions.sign_off_day(timezone.localdate(), by=manager)


def test_city_staff_cannot_close_a_finding(source, terminal, account, personas):
    load(source, sample_file([sample_line(yesterday(9), "LG-01", "U1001")]))
    review_day(yesterday(0).date())

    with pytest.raises(ValidationError, match="3-1"):
        actions.close_finding(
            Finding.objects.first(), note="確認", by=personas[Role.CONTRACTOR_LEAD]
        )


def test_rule_rows_tune_parameters(source, terminal, account, area, clerk, manager):
    _inside(clerk, area, yesterday(0, 1))
    Rule.objects.create(code="off_hours", params={"opens": "00:00", "closes": "23:59"})
    load(source, sample_file([sample_line(yesterday(7), "LG-01", "U1001", receipt="R-1")]))

    assert "off_hours" not in _rules(yesterday(0).date()) or yesterday(0).weekday() >= 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one statement is PostgreSQL's")
def test_the_days_one_statement_reads_what_the_separate_reads_do(
    source, terminal, account, area, clerk, manager
):
    """PostgreSQL reads the day in one statement, SQLite in a read per kind of rule: the same
    rows for every rule, each rule finding something here."""
    make_terminal(area, manager, "LG-02")
    day = yesterday(0).date()
    _inside(clerk, area, yesterday(8))
    _inside(clerk, area, yesterday(12), Passage.Direction.EXIT)
    Application.objects.create(receipt_number="R-1", day=day, recorded_at=timezone.now())
    lines = [
        sample_line(yesterday(7), "LG-01", "U1001", receipt="R-1"),  # off hours, not inside
        sample_line(yesterday(9), "LG-01", "U1001", "ログイン"),  # never logged out
        sample_line(yesterday(9, 1), "LG-01", "U1001", receipt="R-1"),
        sample_line(yesterday(9, 2), "LG-02", "U1001", receipt="R-1"),  # two terminals
        sample_line(yesterday(9, 40), "LG-01", "U1001"),  # idle past the lock, no receipt
        sample_line(yesterday(10), "LG-02", "U9999", receipt="R-1"),  # never issued
        sample_line(yesterday(10, 30), "LG-77", "U1001", receipt="R-1"),  # not in the register
        sample_line(yesterday(12, 30), "LG-02", "U1001", receipt="R-9"),  # unknown, gone
    ]
    for days_ago in range(2, 6):
        base = yesterday(14) - timedelta(days=days_ago - 1)
        lines += [
            sample_line(base + timedelta(minutes=m), "LG-01", "U1001", receipt="R")
            for m in range(5)
        ]
    lines += [
        sample_line(yesterday(11) + timedelta(seconds=20 * m), "LG-01", "U1001", receipt="R-1")
        for m in range(30)
    ]
    load(source, sample_file(lines))
    span = Day.of(day)
    enabled = {code: params for code, (on, params) in parameters().items() if on}

    def rows(read):
        return {
            code: [{key: value for key, value in row.items() if key != "counted"} for row in found]
            for code, found in read(span, enabled).items()
        }

    in_one = rows(_read_in_one)  # the days of the baseline counted first
    apart = rows(_read_apart)

    assert in_one == apart
    assert rows(_read_in_one) == apart  # the baseline from the kept counts
    assert all(apart[code] for code in enabled), apart
