"""5-10: the manager sends a periodic report back (差戻し) with the reason; the lead corrects it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from itaku.audit.models import Event
from itaku.contractors import actions
from itaku.contractors.models import PeriodicReport
from itaku.people.roles import Role

pytestmark = pytest.mark.django_db


def _submitted(as_role, contract) -> PeriodicReport:
    start = contract.report_periods(timezone.localdate())[0][0]
    as_role(Role.CONTRACTOR_LEAD).post(
        reverse("contractors:reports", args=[contract.pk]),
        {"period_start": start.isoformat(), "no_copying": "on", "text": "異常なし"},
    )
    return contract.periodic_reports.get()


def test_the_manager_sends_a_report_back_with_the_reason(as_role, contract):
    report = _submitted(as_role, contract)

    as_role(Role.MANAGER).post(
        reverse("contractors:report_detail", args=[report.pk]),
        {"comment": "第三者提供の有無を明記してください", "send_back": "1"},
    )

    report.refresh_from_db()
    assert report.state == PeriodicReport.State.RETURNED
    assert not report.reviewed
    event = Event.objects.get(code="contractors.report.returned")
    assert event.changes["note"] == "第三者提供の有無を明記してください"
    page = as_role(Role.CONTRACTOR_LEAD).get(reverse("contractors:report_detail", args=[report.pk]))
    assert "第三者提供の有無を明記してください" in page.content.decode()
    assert reverse("contractors:report_resubmit", args=[report.pk]) in page.content.decode()


def test_sending_back_without_a_reason_is_refused_on_the_comment(as_role, contract):
    report = _submitted(as_role, contract)

    response = as_role(Role.MANAGER).post(
        reverse("contractors:report_detail", args=[report.pk]), {"comment": " ", "send_back": "1"}
    )

    assert "comment" in response.context["form"].errors
    report.refresh_from_db()
    assert report.state == PeriodicReport.State.SUBMITTED


def test_the_lead_corrects_a_returned_report_and_the_manager_then_reviews_it(as_role, contract):
    report = _submitted(as_role, contract)
    manager = as_role(Role.MANAGER)
    detail = reverse("contractors:report_detail", args=[report.pk])
    manager.post(detail, {"comment": "第三者提供の欄を確認", "send_back": "1"})

    as_role(Role.CONTRACTOR_LEAD).post(
        reverse("contractors:report_resubmit", args=[report.pk]),
        {"no_copying": "on", "no_third_party": "on", "policy_obeyed": "on", "text": "訂正版"},
    )
    report.refresh_from_db()
    assert report.state == PeriodicReport.State.SUBMITTED
    assert (report.no_third_party, report.text) == (True, "訂正版")

    manager.post(detail, {"comment": "確認しました"})
    report.refresh_from_db()
    assert report.reviewed
    steps = [step.label for step in manager.get(detail).context["history"]]
    assert steps == ["定期報告の提出", "定期報告の差戻し", "定期報告の再提出", "定期報告の確認"]


def test_a_reviewed_report_cannot_be_sent_back(contract, lead, manager):
    report = actions.submit_report(
        contract,
        period_start=contract.starts_on,
        no_copying=True,
        no_third_party=True,
        policy_obeyed=True,
        text="異常なし",
        by=lead,
    )
    actions.review_report(report, comment="", by=manager)
    with pytest.raises(ValidationError):
        actions.return_report(report, reason="遅れて気付いた", by=manager)


def test_someone_outside_the_contractor_cannot_resubmit(contract, lead, manager, personas):
    report = actions.submit_report(
        contract,
        period_start=contract.starts_on,
        no_copying=True,
        no_third_party=True,
        policy_obeyed=True,
        text="異常なし",
        by=lead,
    )
    actions.return_report(report, reason="記載不足", by=manager)
    with pytest.raises(ValidationError):
        actions.resubmit_report(
            report,
            no_copying=True,
            no_third_party=True,
            policy_obeyed=True,
            text="市職員が書き換え",
            by=personas[Role.CITY_STAFF],
        )
