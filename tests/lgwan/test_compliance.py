"""Chapter 4's clauses on the dashboard: each turns to attention on violating records written
straight into the database, and back to ok once repaired."""

from datetime import timedelta

import pytest
from django.utils import timezone

from itaku.contractors import actions as contractor_actions
from itaku.lgwan.models import (
    Account,
    DayReview,
    Finding,
    LogFile,
    LogSource,
    Lookup,
    Measure,
    Rule,
    Terminal,
    Verification,
    is_business_day,
)
from itaku.lgwan.sample import SAMPLE_MAPPING
from itaku.people.roles import Role
from itaku.policy.registry import assess
from tests.contractors.factories import make_contract
from tests.lgwan.factories import load, make_source, sample_file, sample_line, yesterday

CLAUSES = ["4-1", "4-2", "4-3", "4-4", "4-5"]


def _status(clause_id):
    return assess([clause_id], timezone.now())[clause_id]


@pytest.fixture
def terminal(area, manager):
    return Terminal.objects.create(
        asset_number="LG-09",
        place="窓口",
        area=area,
        media_block_method="USB無効化",
        screen_lock_minutes=10,
        verify_every_days=30,
        registered_at=timezone.now() - timedelta(days=90),
        registered_by=manager,
    )


def _verify(terminal, measure, manager, *, days_ago=1, passed=True):
    return Verification.objects.create(
        terminal=terminal,
        measure=measure,
        verified_at=timezone.now() - timedelta(days=days_ago),
        verified_by=manager,
        passed=passed,
    )


def test_every_chapter_4_clause_has_a_check(db):
    statuses = assess(CLAUSES, timezone.now())

    assert all(status.checked for status in statuses.values())
    assert {status.status for status in statuses.values()} == {"no_evidence"}


@pytest.mark.parametrize(
    ("clause_id", "measure"),
    [("4-1", Measure.NO_LOCAL_DATA), ("4-3", Measure.MEDIA_BLOCKED), ("4-5", Measure.SCREEN_LOCK)],
)
def test_an_overdue_or_failed_verification_needs_attention_until_verified_again(
    clause_id, measure, terminal, manager
):
    assert _status(clause_id).status == "attention"  # never verified

    _verify(terminal, measure, manager, days_ago=45)
    assert _status(clause_id).status == "attention"  # overdue on a 30-day schedule

    _verify(terminal, measure, manager, days_ago=2, passed=False)
    assert any("不適合" in finding for finding in _status(clause_id).findings)

    _verify(terminal, measure, manager, days_ago=1)
    assert _status(clause_id).status == "ok"


def test_a_passed_verification_is_told_with_its_day_as_the_dashboard_writes_days(terminal, manager):
    verification = _verify(terminal, Measure.SCREEN_LOCK, manager)
    day = timezone.localdate(verification.verified_at)

    facts = _status("4-5").facts

    assert f"LG-09：令和{day.year - 2018}年{day.month}月{day.day}日" in " ".join(facts)


def test_a_worker_off_the_roster_keeps_a_4_2_finding_until_the_id_is_revoked(personas, manager):
    worker, lead = personas[Role.CONTRACTOR_WORKER], personas[Role.CONTRACTOR_LEAD]
    contract = make_contract(manager, contractor=lead.organization)
    roster = contractor_actions.submit_roster(
        contract, lead=lead, workers=[worker], note="", by=lead
    )
    contractor_actions.receive_roster(roster, received_on=timezone.localdate(), by=manager)
    account = Account.objects.create(
        account_id="W-01", person=worker, issued_at=timezone.now(), issued_by=manager
    )
    assert _status("4-2").status == "ok"

    newer = contractor_actions.submit_roster(contract, lead=lead, workers=[], note="", by=lead)
    contractor_actions.receive_roster(newer, received_on=timezone.localdate(), by=manager)
    status = _status("4-2")
    assert status.status == "attention"
    assert any("W-01" in finding for finding in status.findings)

    Account.objects.filter(pk=account.pk).update(revoked_at=timezone.now(), revoked_by=manager)
    assert _status("4-2").status == "no_evidence"


def test_an_open_sharing_finding_needs_attention_on_4_2(personas, manager):
    worker = personas[Role.CITY_STAFF]
    account = Account.objects.create(
        account_id="S-01", person=worker, issued_at=timezone.now(), issued_by=manager
    )
    finding = Finding.objects.create(
        rule="owner_not_inside",
        clause_id="4-2",
        day=timezone.localdate(),
        key="owner_not_inside:1",
        account=account,
        owner=worker,
        detail="09:00 LG-01 / S-01",
        found_at=timezone.now(),
    )
    assert _status("4-2").status == "attention"

    Finding.objects.filter(pk=finding.pk).update(state=Finding.State.CLOSED)
    assert _status("4-2").status == "ok"


def _lookup_days_ago(days):
    source = LogSource.objects.create(
        name=f"S{days}", mapping=SAMPLE_MAPPING, registered_at=timezone.now()
    )
    log_file = LogFile.objects.create(
        source=source, name="f", sha256=str(days), lines_root="0", imported_at=timezone.now()
    )
    return Lookup.objects.create(
        source=source,
        file=log_file,
        line_number=2,
        line_key=str(days),
        occurred_at=timezone.now() - timedelta(days=days),
        terminal_name="LG-01",
        account_name="U1",
        action=Lookup.Action.LOOKUP,
    )


def test_an_unsigned_past_business_day_needs_attention_on_4_4(db, manager):
    _lookup_days_ago(8)
    status = _status("4-4")
    assert status.status == "attention"

    today = timezone.localdate()
    for offset in range(1, 9):
        day = today - timedelta(days=offset)
        if is_business_day(day):
            DayReview.objects.create(day=day, state=DayReview.State.SIGNED)
    assert _status("4-4").status == "ok"


def test_an_open_session_finding_needs_attention_on_4_5(terminal, manager):
    for measure in Measure:
        _verify(terminal, measure, manager)
    Finding.objects.create(
        rule="open_session",
        clause_id="4-5",
        day=timezone.localdate(),
        key="open_session:1",
        detail="09:00 LG-01 / U1",
        found_at=timezone.now(),
    )

    assert _status("4-5").status == "attention"


def test_thresholds_moved_from_their_defaults_are_told_with_the_clause(db):
    load(make_source(), sample_file([sample_line(yesterday(9), "LG-01", "U1001", receipt="R")]))
    Rule.objects.create(code="volume", params={"factor": 10, "baseline_days": 28, "minimum": 20})

    facts = " ".join(_status("4-4").facts)

    assert "点検ルール「本人の通常よりはるかに多い照会」のしきい値は既定値から変更" in facts
    assert "平常時に対する倍率 3 → 10" in facts
    assert "平常の算定期間" not in facts  # left at its default
