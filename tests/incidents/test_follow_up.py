"""6-4 … 6-6 and the law: the written report, tasks, the Commission, publication, closing."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from itaku.audit.models import Event
from itaku.core.dates import fiscal_year
from itaku.incidents import actions, exports, pdf
from itaku.incidents.holds import open_incident_holds
from itaku.incidents.law import Criterion
from itaku.incidents.models import (
    ContactChart,
    Incident,
    InvestigationTask,
    Publication,
    WrittenReport,
)
from itaku.people.roles import Role
from tests.incidents.factories import FACTS, escalated, ready_to_close, reported, task, with_report

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_lead_submits_the_written_report_through_the_form(people, as_role):
    incident = escalated(people)
    data = {**FACTS, "sensitive": "", "financial_risk": "", "improper_purpose": "", "encrypted": ""}
    data = {key: value for key, value in data.items() if value != ""}
    response = as_role(Role.CONTRACTOR_LEAD).post(
        reverse("incidents:written_report", args=[incident.pk]), data
    )
    assert response.status_code == 302
    report = WrittenReport.objects.get(incident=incident)
    assert report.persons_count == 3 and not report.sensitive
    assert Event.objects.filter(code="incidents.written_report.submitted").exists()


def test_a_correction_is_audited_with_old_and_new(people):
    report = with_report(people)
    actions.correct_written_report(
        report, city_instructions="本人へ連絡すること", by=people[Role.MANAGER]
    )
    event = Event.objects.get(code="incidents.written_report.corrected")
    assert event.changes["city_instructions"] == ["捜索と保管手順の見直し", "本人へ連絡すること"]


def test_the_lead_cannot_sign_off_her_own_report_and_the_manager_can(people):
    report = with_report(people)
    with pytest.raises(ValidationError, match="3-1"):
        actions.sign_off_written_report(report, note="", by=people[Role.CONTRACTOR_LEAD])
    signed = actions.sign_off_written_report(report, note="確認", by=people[Role.MANAGER])
    assert signed.state == WrittenReport.State.SIGNED_OFF
    assert Event.objects.filter(code="incidents.written_report.signed_off").count() == 1
    with pytest.raises(ValidationError, match="6-4"):
        actions.correct_written_report(signed, cause="別の原因", by=people[Role.MANAGER])


def test_sign_off_needs_the_cause(people):
    report = with_report(people, cause="")
    with pytest.raises(ValidationError):
        actions.sign_off_written_report(report, note="", by=people[Role.MANAGER])


def test_the_pdf_is_a_japanese_incident_report_with_era_dates(people):
    report = with_report(people, circumstances="<b>太字</b> & 記号")
    actions.sign_off_written_report(report, note="", by=people[Role.MANAGER])
    text = _pdf_text(pdf.written_report_pdf(report.incident))
    assert "事故報告書" in text
    assert "令和" in text
    assert "<b>太字</b> & 記号" in text  # shown literally, not read as markup
    assert "旅券申請書（紙）" in text


def test_the_pdf_page_is_served(people, as_role):
    report = with_report(people)
    response = as_role(Role.MANAGER).get(reverse("incidents:report_pdf", args=[report.incident_id]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_sensitive_leak_needs_a_report_and_the_page_says_why(people, as_role):
    report = with_report(people, sensitive=True, persons_count=2)
    incident = report.incident
    assert incident.assessment().criteria == (Criterion.SENSITIVE,)
    page = as_role(Role.MANAGER).get(reverse("incidents:detail", args=[incident.pk]))
    text = page.content.decode()
    assert "個人情報保護委員会への報告及び本人への通知が必要です" in text
    assert "要配慮個人情報が含まれる" in text


def test_deadlines_come_from_the_day_known_and_overdue_steps_are_found(people):
    known = timezone.now() - timedelta(days=40)
    incident = escalated(people, known_at=known)
    actions.submit_written_report(
        incident, by=people[Role.CONTRACTOR_LEAD], **{**FACTS, "persons_count": 150}
    )
    incident.refresh_from_db()
    due = incident.legal_deadlines()
    assert due.preliminary == timezone.localtime(known).date() + timedelta(days=4)
    today = timezone.localdate()
    assert incident.legal_overdue(today) == ["preliminary", "final", "notice"]

    actions.record_commission_report(
        incident, stage="preliminary", on=today, by=people[Role.MANAGER]
    )
    actions.record_commission_report(incident, stage="final", on=today, by=people[Role.MANAGER])
    actions.record_notice(
        incident, on=None, exemption="連絡先不明のため公表で代替", by=people[Role.MANAGER]
    )
    incident.refresh_from_db()
    assert incident.legal_overdue(today) == []
    assert Event.objects.filter(code="incidents.commission.reported").count() == 2


def test_the_final_report_needs_the_preliminary_one_first(people):
    incident = with_report(people, sensitive=True).incident
    with pytest.raises(ValidationError):
        actions.record_commission_report(
            incident, stage="final", on=timezone.localdate(), by=people[Role.MANAGER]
        )


def test_only_the_manager_records_the_reports_to_the_commission(people):
    incident = with_report(people, sensitive=True).incident
    with pytest.raises(ValidationError, match="3-1"):
        actions.record_commission_report(
            incident, stage="preliminary", on=timezone.localdate(), by=people[Role.CITY_STAFF]
        )


def test_the_commission_items_follow_the_forms_order(people, as_role):
    report = with_report(people, persons_count=120, cause="=HYPERLINK()")
    items = exports.commission_items(report.incident)
    labels = [label for label, _ in items]
    assert labels[0].startswith("1.") and labels[-1].startswith("9.")
    assert [label.split(" ", 1)[1] for label in labels] == [
        "概要",
        "漏えい等が発生し、又は発生したおそれがある保有個人情報の項目",
        "本人の数",
        "原因",
        "二次被害又はそのおそれの有無及びその内容",
        "本人への対応の実施状況",
        "公表の実施状況",
        "再発防止のための措置",
        "その他参考となる事項",
    ]
    response = as_role(Role.MANAGER).get(
        reverse("incidents:commission_items", args=[report.incident_id])
    )
    text = response.content.decode("utf-8-sig")
    assert text.index("概要") < text.index("本人の数") < text.index("再発防止のための措置")
    assert "'=HYPERLINK()" in text


def test_an_overdue_task_is_found_and_done_tasks_keep_their_outcome(people):
    incident = escalated(people)
    late = task(people, incident, due_on=timezone.localdate() - timedelta(days=1))
    assert list(InvestigationTask.objects.overdue(timezone.localdate())) == [late]
    with pytest.raises(ValidationError):
        actions.complete_task(
            late, done_on=timezone.localdate(), outcome=" ", by=people[Role.CITY_STAFF]
        )
    done = actions.complete_task(
        late, done_on=timezone.localdate(), outcome="原因判明", by=people[Role.CONTRACTOR_LEAD]
    )
    assert done.state == InvestigationTask.State.DONE and done.decision_note == "原因判明"
    assert list(InvestigationTask.objects.overdue(timezone.localdate())) == []


def test_publication_is_decided_by_the_manager_with_text_and_date(people):
    incident = escalated(people)
    draft = actions.draft_publication(
        incident, text="本市の委託先において…", reasons="150名", by=people[Role.CITY_STAFF]
    )
    with pytest.raises(ValidationError, match="3-1"):
        actions.decide_publication(
            draft,
            publish=True,
            published_on=timezone.localdate(),
            note="",
            by=people[Role.CITY_STAFF],
        )
    with pytest.raises(ValidationError):
        actions.decide_publication(
            draft, publish=True, published_on=None, note="", by=people[Role.MANAGER]
        )
    published = actions.decide_publication(
        draft, publish=True, published_on=timezone.localdate(), note="", by=people[Role.MANAGER]
    )
    assert published.state == Publication.State.PUBLISHED
    assert Event.objects.filter(code="incidents.publication.published").exists()


def test_an_incident_closes_only_when_every_step_is_done(people):
    incident = escalated(people)
    with pytest.raises(ValidationError, match="6-4"):
        actions.close_incident(incident, note="", by=people[Role.MANAGER])
    ready = ready_to_close(people)
    closed = actions.close_incident(ready, note="終結", by=people[Role.MANAGER])
    assert closed.state == Incident.State.CLOSED
    assert Event.objects.filter(code="incidents.incident.closed").count() == 1


def test_a_required_report_holds_the_close_until_made(people):
    ready = ready_to_close(people)
    report = ready.written_report
    WrittenReport.objects.filter(pk=report.pk).update(sensitive=True)
    ready.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.close_incident(ready, note="", by=people[Role.MANAGER])


def test_the_chart_pdf_lists_everyone_in_order(people):
    chart = actions.issue_contact_chart(
        effective_from=timezone.localdate(),
        entries=[
            actions.EntryData(
                people[Role.CONTRACTOR_LEAD], Role.CONTRACTOR_LEAD, "090-1", "", True, True
            ),
            actions.EntryData(people[Role.MANAGER], Role.MANAGER, "090-2"),
        ],
        by=people[Role.MANAGER],
    )
    text = _pdf_text(pdf.chart_pdf(chart))
    assert "連絡体制表" in text
    assert text.index(people[Role.CONTRACTOR_LEAD].name) < text.index(people[Role.MANAGER].name)


def test_the_chart_is_issued_from_its_page(people, as_role):
    data = {
        "effective_from": timezone.localdate().isoformat(),
        "entries-TOTAL_FORMS": "2",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "1",
        "entries-MAX_NUM_FORMS": "1000",
        "entries-0-person": people[Role.MANAGER].pk,
        "entries-0-role": "manager",
        "entries-0-phone": "090-0000-0001",
        "entries-0-reachable_day": "on",
        "entries-0-reachable_night": "on",
        "entries-1-reachable_day": "on",
    }
    response = as_role(Role.MANAGER).post(reverse("incidents:charts"), data)
    assert response.status_code == 302
    chart = ContactChart.objects.get()
    assert chart.version == 1 and chart.entries.count() == 1


def test_open_incidents_hold_the_fiscal_years_they_span(people):
    known = datetime(2026, 3, 20, 10, 0, tzinfo=timezone.get_current_timezone())
    incident = reported(people, known_at=known)
    at = datetime(2026, 4, 5, 10, 0, tzinfo=timezone.get_current_timezone())
    assert open_incident_holds(at) == {2025: [incident], 2026: [incident]}
    Incident.objects.filter(pk=incident.pk).update(state=Incident.State.CLOSED)
    assert open_incident_holds(at) == {}


def test_an_incident_known_at_23_59_in_japan_counts_from_that_day(people):
    zone = timezone.get_current_timezone()
    known = datetime(2026, 6, 1, 23, 59, tzinfo=zone)  # 14:59 UTC, the same calendar day
    incident = Incident.objects.create(
        kind=Incident.Kind.LEAK,
        summary="誤送信",
        known_at=known,
        reported_by=people[Role.CONTRACTOR_LEAD],
    )
    WrittenReport.objects.create(
        incident=incident,
        submitted_by=people[Role.CONTRACTOR_LEAD],
        **{**FACTS, "sensitive": True},
    )
    due = incident.legal_deadlines()
    assert (due.preliminary.isoformat(), due.final.isoformat()) == ("2026-06-05", "2026-06-30")
    assert incident.legal_overdue(datetime(2026, 6, 5, tzinfo=zone).date()) == []
    assert incident.legal_overdue(datetime(2026, 6, 6, tzinfo=zone).date()) == ["preliminary"]


def test_a_final_report_due_on_a_holiday_is_late_only_after_the_next_open_day(people, settings):
    """Known 31 March 2026 at 23:59: day 30 is 29 April (昭和の日), so 30 April is the last day;
    the setting turns the move off."""
    zone = timezone.get_current_timezone()
    incident = Incident.objects.create(
        kind=Incident.Kind.LEAK,
        summary="誤送付（見本）",
        known_at=datetime(2026, 3, 31, 23, 59, tzinfo=zone),
        reported_by=people[Role.CONTRACTOR_LEAD],
        preliminary_reported_on=datetime(2026, 4, 2, tzinfo=zone).date(),
        persons_notified_on=datetime(2026, 4, 10, tzinfo=zone).date(),
    )
    WrittenReport.objects.create(
        incident=incident,
        submitted_by=people[Role.CONTRACTOR_LEAD],
        **{**FACTS, "sensitive": True},
    )
    assert incident.legal_deadlines().final.isoformat() == "2026-04-30"
    assert incident.legal_overdue(datetime(2026, 4, 30, tzinfo=zone).date()) == []
    assert incident.legal_overdue(datetime(2026, 5, 1, tzinfo=zone).date()) == ["final"]
    settings.ITAKU_INCIDENT_FINAL_MOVES_OFF_CLOSED_DAYS = False
    assert incident.legal_deadlines().final.isoformat() == "2026-04-29"
    assert incident.legal_overdue(datetime(2026, 4, 30, tzinfo=zone).date()) == ["final"]


def test_a_leak_known_in_march_has_its_final_report_due_in_the_next_fiscal_year(people):
    zone = timezone.get_current_timezone()
    incident = Incident.objects.create(
        kind=Incident.Kind.LEAK,
        summary="不正アクセス",
        known_at=datetime(2026, 3, 31, 23, 30, tzinfo=zone),
        reported_by=people[Role.CONTRACTOR_LEAD],
    )
    WrittenReport.objects.create(
        incident=incident,
        submitted_by=people[Role.CONTRACTOR_LEAD],
        **{**FACTS, "improper_purpose": True},
    )
    due = incident.legal_deadlines()
    assert due.final.isoformat() == "2026-05-29"  # 60 days, 31 March being day 1
    assert incident.fiscal_years(datetime(2026, 4, 1, 9, 0, tzinfo=zone)) == {2025, 2026}


def test_the_auditor_reads_an_incident_and_is_offered_no_form(people, as_role):
    incident = ready_to_close(people)
    page = as_role(Role.AUDITOR).get(reverse("incidents:detail", args=[incident.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and incident.summary in text
    assert 'method="post" action="/incidents/' not in text


def test_an_open_incident_holds_the_records_of_its_fiscal_year_from_disposal(people):
    from itaku.area.models import Patrol
    from itaku.retention.actions import dispose
    from tests.area.factories import make_area

    manager = people[Role.MANAGER]
    long_ago = timezone.now() - timedelta(days=365 * 5)
    patrol = Patrol.objects.create(
        area=make_area(), patrolled_at=long_ago, patrolled_by=manager, findings=""
    )
    Patrol.objects.filter(pk=patrol.pk).update(fiscal_year=fiscal_year(long_ago))
    incident = reported(people, known_at=long_ago)
    with pytest.raises(ValidationError, match="6-5"):
        dispose("area.Patrol", fiscal_year(long_ago), by=manager)
    assert Patrol.objects.filter(pk=patrol.pk).exists()
    Incident.objects.filter(pk=incident.pk).update(state=Incident.State.CLOSED)
    dispose("area.Patrol", fiscal_year(long_ago), by=manager)
    assert not Patrol.objects.filter(pk=patrol.pk).exists()
