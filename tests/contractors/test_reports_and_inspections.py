"""Periodic reports (5-10, 5-7, 5-8), inspections (5-11) and the end of the work (2-2-i)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from itaku.audit.models import Event
from itaku.contractors import actions
from itaku.contractors.models import CorrectiveAction, Inspection, ReturnItem
from tests.contractors.factories import a_date, make_contract


def _report(contract, lead, start, **attested):
    values = {"no_copying": True, "no_third_party": True, "policy_obeyed": True, **attested}
    return actions.submit_report(contract, period_start=start, text="異常なし", by=lead, **values)


def test_monthly_periods_run_from_the_start_of_the_term(manager):
    contract = make_contract(manager, starts_on=a_date(70), ends_on=a_date(-300))
    periods = contract.report_periods(timezone.localdate())
    assert periods[0][0] == contract.starts_on
    for (_, end), (following, _) in zip(periods, periods[1:], strict=False):
        assert following == end + timedelta(days=1)
    assert len(periods) == 3


def test_a_period_without_a_report_after_the_grace_days_is_overdue(manager, lead, settings):
    settings.ITAKU_REPORT_GRACE_DAYS = 10
    contract = make_contract(manager, starts_on=a_date(70), ends_on=a_date(-300))
    periods = contract.report_periods(timezone.localdate())
    first, current = periods[0], periods[-1]
    overdue = contract.overdue_report_periods(timezone.localdate())
    assert first in overdue
    assert current not in overdue

    _report(contract, lead, first[0])

    assert first not in contract.overdue_report_periods(timezone.localdate())


def test_the_manager_reviews_a_report_with_capacity(contract, manager, lead):
    start = contract.report_periods(timezone.localdate())[0][0]
    report = _report(contract, lead, start, no_copying=False)
    assert not report.all_attested

    actions.review_report(report, comment="複写の件を確認すること。", by=manager)

    assert report.decided_capacity == "manager"
    assert Event.objects.get(code="contractors.report.reviewed").data["capacity"] == "manager"


def test_a_period_is_reported_once_and_must_have_begun(contract, lead):
    start = contract.report_periods(timezone.localdate())[0][0]
    _report(contract, lead, start)
    with pytest.raises(ValidationError) as again:
        _report(contract, lead, start)
    assert "period_start" in again.value.error_dict
    with pytest.raises(ValidationError):
        _report(contract, lead, contract.ends_on)


def test_an_inspection_closes_only_when_its_corrective_actions_are_done(contract, manager, lead):
    inspection = actions.record_inspection(
        contract,
        trigger=Inspection.Trigger.SUSPECTED_BREACH,
        held_on=timezone.localdate(),
        findings="申請書の控えが放置されていた。",
        by=manager,
    )
    action = actions.add_corrective_action(
        inspection, description="再周知", owner=lead, due_on=a_date(-7), by=manager
    )
    with pytest.raises(ValidationError):
        actions.close_inspection(inspection, note="", by=manager)

    actions.complete_corrective_action(action, done_on=timezone.localdate(), note="周知済", by=lead)
    actions.close_inspection(inspection, note="是正を確認", by=manager)

    assert inspection.state == Inspection.State.CLOSED
    assert inspection.decided_capacity == "manager"
    with pytest.raises(ValidationError):
        actions.add_corrective_action(
            inspection, description="追加", owner=lead, due_on=a_date(-7), by=manager
        )


def test_a_corrective_action_past_its_due_date_is_overdue(contract, manager, lead):
    inspection = actions.record_inspection(
        contract, trigger="routine", held_on=a_date(30), findings="所見", by=manager
    )
    action = actions.add_corrective_action(
        inspection, description="施錠の徹底", owner=lead, due_on=a_date(1), by=manager
    )
    assert list(CorrectiveAction.objects.overdue(timezone.localdate())) == [action]
    assert not CorrectiveAction.objects.overdue(a_date(1)).exists()

    actions.complete_corrective_action(action, done_on=timezone.localdate(), note="", by=lead)
    assert not CorrectiveAction.objects.overdue(timezone.localdate()).exists()


def test_the_disposal_certificate_needs_every_item_returned_or_disposed_of(contract, manager):
    with pytest.raises(ValidationError):
        actions.certify_disposal(
            contract,
            what="申請書控え",
            how_many=1,
            how="溶解",
            disposed_on=timezone.localdate(),
            witnessed_by="例田 三郎",
            by=manager,
        )
    item = actions.add_return_item(
        contract,
        asset="申請書控えの綴り",
        quantity=12,
        method=ReturnItem.Method.DISPOSAL,
        by=manager,
    )
    with pytest.raises(ValidationError):
        actions.certify_disposal(
            contract,
            what="申請書控え",
            how_many=12,
            how="溶解",
            disposed_on=timezone.localdate(),
            witnessed_by="例田 三郎",
            by=manager,
        )

    actions.complete_return_item(item, done_on=timezone.localdate(), by=manager)
    certificate = actions.certify_disposal(
        contract,
        what="申請書控え",
        how_many=12,
        how="溶解処理",
        disposed_on=timezone.localdate(),
        witnessed_by="例田 三郎",
        by=manager,
    )

    assert certificate.confirmed_capacity == "manager"
    with pytest.raises(ValidationError):
        actions.add_return_item(contract, asset="追加", quantity=1, method="return", by=manager)
