"""Pages for chapter 6: report an incident from a phone, follow it through to its close.

Each view: its access rule, the record, one action, render or redirect.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itaku.audit.log import record_view
from itaku.core.forms import add_refusal, errors_to_messages, run_action
from itaku.incidents import actions, exports, forms, pdf
from itaku.incidents.holds import open_incident_holds
from itaku.incidents.models import (
    ContactChart,
    Incident,
    InvestigationTask,
    Publication,
    WrittenReport,
)
from itaku.people.access import allow, may, require_person, viewer
from itaku.people.roles import CITY_OVERSIGHT, STAFF_ROLES, Role

# Everyone reads incidents: the contractor's people report them and follow what they reported.
READERS = (*CITY_OVERSIGHT, Role.CITY_STAFF, Role.CONTRACTOR_LEAD, Role.CONTRACTOR_WORKER)
# 6-2: the contractor's lead, or any staff member, opens an incident.
REPORTERS = tuple(STAFF_ROLES)
# 6-2, 6-3: the manager, or the deputy in the manager's place, receives and escalates.
RECEIVERS = (Role.MANAGER, Role.DEPUTY)
# 6-4: the contractor writes the report; the city adds its instructions.
REPORT_WRITERS = (Role.CONTRACTOR_LEAD, Role.MANAGER, Role.DEPUTY, Role.CITY_STAFF)
# 6-5: city staff investigate; the contractor's lead completes the tasks it owns.
INVESTIGATORS = (Role.MANAGER, Role.DEPUTY, Role.CITY_STAFF)
TASK_DOERS = (*INVESTIGATORS, Role.CONTRACTOR_LEAD)
CITY_READERS = (*CITY_OVERSIGHT, Role.CITY_STAFF)


# The list, and what awaits the manager


@allow(*READERS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    visible = Incident.objects.visible_to(require_person(request), timezone.localdate(now))
    incidents = list(visible.select_related("reported_by")[:200])
    awaiting = []
    if viewer(request).roles & set(RECEIVERS):
        awaiting = [
            incident
            for incident in incidents
            if incident.state == Incident.State.OPEN
            and (incident.manager_told_at is None or incident.superior_told_at is None)
        ]
    context = {
        "incidents": incidents,
        "awaiting": awaiting,
        "now": now,
        "chart": ContactChart.objects.current(timezone.localdate(now)),
        "holds": open_incident_holds(now),
        "can_report": may(request, report_new),
    }
    return render(request, "incidents/index.html", context)


@allow(*REPORTERS)
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """6-2: the phone-sized form: kind, what happened, when it was known, where."""
    form = forms.ReportIncidentForm(request.POST or None)
    created: list[Incident] = []
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: created.append(
            actions.report_incident(by=require_person(request), **form.cleaned_data)
        ),
        _("The incident was reported. The manager and the deputy have been told."),
    ):
        return redirect("incidents:detail", pk=created[0].pk)
    return render(request, "incidents/report_new.html", {"form": form})


def _incident(request: HttpRequest, pk: int) -> Incident:
    visible = Incident.objects.visible_to(require_person(request), timezone.localdate())
    return get_object_or_404(
        visible.select_related("reported_by", "manager_told", "superior"), pk=pk
    )


def _detail(request: HttpRequest, incident: Incident, **bound: BaseForm) -> HttpResponse:
    now = timezone.now()
    report = incident.written()
    publication: Publication | None = getattr(incident, "publication", None)
    assessment = incident.assessment()
    forms_: dict[str, BaseForm] = {
        "receive_form": forms.ReceiveForm(prefix="receive"),
        "superior_form": forms.TellSuperiorForm(prefix="superior"),
        "task_form": forms.TaskForm(prefix="task"),
        "commission_form": forms.CommissionReportForm(prefix="commission"),
        "notice_form": forms.NoticeForm(
            prefix="notice",
            initial={
                "on": incident.persons_notified_on,
                "exemption": incident.notice_exemption,
            },
        ),
        "draft_form": forms.PublicationDraftForm(
            prefix="draft",
            initial={"text": publication.text, "reasons": publication.reasons}
            if publication
            else None,
        ),
        "decide_form": forms.PublicationDecisionForm(prefix="decide"),
        "sign_off_form": forms.NoteForm(prefix="sign_off"),
        "close_form": forms.NoteForm(prefix="close"),
    }
    forms_.update(bound)
    context: dict[str, Any] = {
        "incident": incident,
        "report": report,
        "publication": publication,
        "assessment": assessment,
        "criteria": [exports.criterion_label(c) for c in assessment.criteria] if assessment else [],
        "exempted": [exports.criterion_label(c) for c in assessment.exempted] if assessment else [],
        "deadlines": incident.legal_deadlines(),
        "legal_overdue": incident.legal_overdue(timezone.localdate(now)),
        "tasks": incident.tasks.select_related("owner"),
        "today": timezone.localdate(now),
        "manager_late": incident.manager_late(now),
        "superior_late": incident.superior_late(now),
        "prompt_minutes": settings.ITAKU_INCIDENT_PROMPT_MINUTES,
        "publication_threshold": settings.ITAKU_INCIDENT_PUBLICATION_PERSONS,
        "publication_suggested": report is not None
        and report.persons_count > settings.ITAKU_INCIDENT_PUBLICATION_PERSONS,
        "closing_missing": [str(actions.CLOSING_STEPS[k]) for k in incident.closing_refusals()]
        if incident.state == Incident.State.OPEN
        else [],
        "can_receive": may(request, receive),
        "can_write_report": may(request, written_report),
        "can_investigate": may(request, task_add),
        "can_do_tasks": may(request, task_done),
        "can_draft": may(request, publication_draft),
        **forms_,
    }
    return render(request, "incidents/detail.html", context)


@allow(*READERS)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _incident(request, pk))


@allow(*RECEIVERS)
@require_POST
def receive(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = forms.ReceiveForm(request.POST, prefix="receive")
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.receive_incident(incident, by=by, at=form.cleaned_data["at"]),
        _("Recorded: the manager has been told."),
    ):
        return redirect("incidents:detail", pk=pk)
    return _detail(request, incident, receive_form=form)


@allow(*RECEIVERS)
@require_POST
def tell_superior(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = forms.TellSuperiorForm(request.POST, prefix="superior")
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.tell_superior(incident, by=by, **form.cleaned_data),
        _("Recorded: the superior has been told."),
    ):
        return redirect("incidents:detail", pk=pk)
    return _detail(request, incident, superior_form=form)


@allow(*RECEIVERS)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = forms.NoteForm(request.POST, prefix="close")
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.close_incident(incident, by=by, **form.cleaned_data),
        _("The incident was closed."),
    ):
        return redirect("incidents:detail", pk=pk)
    return _detail(request, incident, close_form=form)


# The written report (6-4)


@allow(*REPORT_WRITERS, read=CITY_READERS)
@require_http_methods(["GET", "POST"])
def written_report(request: HttpRequest, pk: int) -> HttpResponse:
    """6-4: submit the written report, or correct it until the manager signs it off."""
    incident = _incident(request, pk)
    report = incident.written()
    form = forms.WrittenReportForm(request.POST or None, instance=report)
    by = require_person(request)
    if request.method == "POST" and form.is_valid():
        facts = {name: form.cleaned_data[name] for name in WrittenReport.FACT_FIELDS}
        try:
            if report is None:
                actions.submit_written_report(incident, by=by, **facts)
            else:
                actions.correct_written_report(report, by=by, **facts)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The written report was saved."))
            return redirect("incidents:detail", pk=pk)
    return render(
        request,
        "incidents/written_report.html",
        {"incident": incident, "report": report, "form": form},
    )


@allow(*RECEIVERS)
@require_POST
def report_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    report = get_object_or_404(WrittenReport, incident=incident)
    form = forms.NoteForm(request.POST, prefix="sign_off")
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.sign_off_written_report(report, by=by, **form.cleaned_data),
        _("The written report was signed off."),
    ):
        return redirect("incidents:detail", pk=pk)
    return _detail(request, incident, sign_off_form=form)


@allow(*READERS)
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    record_view([incident.reported_by], actor=require_person(request), page="incidents:report_pdf")
    response = HttpResponse(pdf.written_report_pdf(incident), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="incident-{incident.pk}.pdf"'
    return response


# Investigation and measures (6-5)


@allow(*INVESTIGATORS)
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = forms.TaskForm(request.POST, prefix="task")
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.add_task(incident, by=by, **form.cleaned_data),
        _("The task was added."),
    ):
        return redirect("incidents:detail", pk=pk)
    return _detail(request, incident, task_form=form)


@allow(*TASK_DOERS)
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(InvestigationTask, pk=pk)
    form = forms.CompleteTaskForm(request.POST)
    by = require_person(request)
    if not run_action(
        request,
        form,
        lambda: actions.complete_task(task, by=by, **form.cleaned_data),
        _("The task was recorded as done."),
    ):
        errors_to_messages(request, form)
    return redirect("incidents:detail", pk=task.incident_id)


# What the law requires


@allow(*RECEIVERS)
@require_POST
def commission_report(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = forms.CommissionReportForm(request.POST, prefix="commission")
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.record_commission_report(incident, by=by, **form.cleaned_data),
        _("The report to the Commission was recorded."),
    ):
        return redirect("incidents:detail", pk=pk)
    return _detail(request, incident, commission_form=form)


@allow(*RECEIVERS)
@require_POST
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = forms.NoticeForm(request.POST, prefix="notice")
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.record_notice(incident, by=by, **form.cleaned_data),
        _("The notice to the persons concerned was recorded."),
    ):
        return redirect("incidents:detail", pk=pk)
    return _detail(request, incident, notice_form=form)


@allow(*CITY_READERS)
@require_GET
def commission_items(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's items in the Commission form's order, to copy into its web form."""
    incident = _incident(request, pk)
    response = HttpResponse(exports.commission_csv(incident), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="commission-{incident.pk}.csv"'
    return response


# Publication (6-6)


@allow(*INVESTIGATORS)
@require_POST
def publication_draft(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    form = forms.PublicationDraftForm(request.POST, prefix="draft")
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.draft_publication(incident, by=by, **form.cleaned_data),
        _("The publication draft was saved."),
    ):
        return redirect("incidents:detail", pk=pk)
    return _detail(request, incident, draft_form=form)


@allow(*RECEIVERS)
@require_POST
def publication_decide(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    publication = get_object_or_404(Publication, incident=incident)
    form = forms.PublicationDecisionForm(request.POST, prefix="decide")
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.decide_publication(publication, by=by, **form.cleaned_data),
        _("Publication was decided."),
    ):
        return redirect("incidents:detail", pk=pk)
    return _detail(request, incident, decide_form=form)


# Contact chart (6-1)


@allow(*RECEIVERS, read=READERS)
@require_http_methods(["GET", "POST"])
def charts(request: HttpRequest) -> HttpResponse:
    """6-1: the chart in force, earlier versions, and a new version (manager or deputy)."""
    form = forms.ContactChartForm(request.POST or None)
    entries = forms.ContactEntryFormSet(request.POST or None, prefix="entries")
    if request.method == "POST" and form.is_valid() and entries.is_valid():
        rows = [
            actions.EntryData(**entry.cleaned_data)
            for entry in entries.forms
            if entry.has_changed() and entry.cleaned_data
        ]
        try:
            actions.issue_contact_chart(
                by=require_person(request), entries=rows, **form.cleaned_data
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The contact chart was issued."))
            return redirect("incidents:charts")
    today = timezone.localdate()
    current = ContactChart.objects.current(today)
    context = {
        "current": current,
        "stale": current.stale_entries(today) if current else [],
        "charts": ContactChart.objects.all()[:20],
        "form": form,
        "entries": entries,
        "can_issue": may(request, charts),
    }
    return render(request, "incidents/charts.html", context)


@allow(*READERS)
@require_GET
def chart_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    chart = get_object_or_404(ContactChart, pk=pk)
    response = HttpResponse(pdf.chart_pdf(chart), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="contact-chart-v{chart.version}.pdf"'
    return response
