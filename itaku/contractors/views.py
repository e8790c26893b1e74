"""Pages for contracts and the contractor's records.

Each view: its access rule, the contract the viewer may see, one action, render. The
contractor's lead sees only their own organisation's contracts; the city sees all.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itaku.audit.describe import describe
from itaku.audit.log import record_view
from itaku.audit.models import Event
from itaku.contractors import actions, forms, pdf
from itaku.contractors.contract_check import DocumentError
from itaku.contractors.models import (
    Contract,
    ContractDocument,
    ContractQuerySet,
    CorrectiveAction,
    Inspection,
    PeriodicReport,
    Pledge,
    ReturnItem,
    RosterSubmission,
    Subcontractor,
    last_trained_on,
    training_valid_from,
)
from itaku.contractors.uploads import ScanError
from itaku.core.forms import add_refusal, errors_to_messages, run_action
from itaku.people.access import allow, may, require_person, viewer
from itaku.people.models import Person
from itaku.people.roles import CITY_OVERSIGHT, Role
from itaku.policy.models import Clause

# The city reads everything; the contractor's lead reads its own organisation's contracts.
READERS = (*CITY_OVERSIGHT, Role.CITY_STAFF, Role.CONTRACTOR_LEAD)
# The manager, or the deputy; actions check that the deputy acts only while the manager is away.
CITY_WRITERS = (Role.MANAGER, Role.DEPUTY)
CITY_SIDE = {*CITY_OVERSIGHT, Role.CITY_STAFF}


def _contracts(request: HttpRequest) -> ContractQuerySet:
    """The contracts the viewer may see: all for the city, its own for the contractor."""
    person = require_person(request)
    contractor_side = not (viewer(request).roles & CITY_SIDE)
    return Contract.objects.visible_to(person, contractor_side).select_related("contractor")


def _contract(request: HttpRequest, pk: int) -> Contract:
    return get_object_or_404(_contracts(request), pk=pk)


def _page(request: HttpRequest, template: str, contract: Contract, **context: Any) -> HttpResponse:
    context.update(contract=contract, today=timezone.localdate())
    return render(request, f"contractors/{template}", context)


# Contracts (2-1, 2-2)


@allow(*READERS)
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = list(_contracts(request))
    rows = [(contract, contract.missing_provisions()) for contract in contracts]
    context = {"rows": rows, "can_register": may(request, contract_new)}
    return render(request, "contractors/contract_list.html", context)


@allow(*CITY_WRITERS)
@require_http_methods(["GET", "POST"])
def contract_new(request: HttpRequest) -> HttpResponse:
    form = forms.ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = actions.register_contract(by=require_person(request), **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The contract was registered."))
            return redirect("contractors:contract_detail", pk=contract.pk)
    return render(request, "contractors/contract_form.html", {"form": form})


@allow(*CITY_WRITERS)
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct or amend the contract's particulars (2-1); every change is audited."""
    contract = _contract(request, pk)
    form = forms.ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        # The form has already written the values onto the instance: compare with the stored row.
        stored = Contract.objects.get(pk=pk)
        try:
            actions.change_contract(stored, by=require_person(request), **form.cleaned_data)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The contract was changed."))
            return redirect("contractors:contract_detail", pk=pk)
    return render(request, "contractors/contract_form.html", {"form": form, "contract": contract})


def _provision_rows(contract: Contract) -> list[dict[str, Any]]:
    """2-2: the 13 provisions with the text of the procedure, where found, or the waiver."""
    texts = dict(
        Clause.objects.filter(
            chapter__procedure__is_current=True, clause_id__startswith="2-2-"
        ).values_list("clause_id", "text")
    )
    return [
        {"id": pid, "text": texts.get(pid, ""), "status": status}
        for pid, status in contract.provision_status().items()
    ]


def _detail(request: HttpRequest, contract: Contract, **bound: Form) -> HttpResponse:
    writer = may(request, document_upload)
    blank = {
        "service_level_form": forms.ServiceLevelForm(),
        "subcontractor_form": forms.SubcontractorForm(),
        "waiver_form": forms.WaiverForm(contract=contract),
    }
    return _page(
        request,
        "contract_detail.html",
        contract,
        provisions=_provision_rows(contract),
        documents=contract.documents.select_related("uploaded_by", "replaced_by"),
        can_write=writer,
        can_request_subcontractor=may(request, subcontractor_add),
        **{**blank, **bound},
    )


@allow(*READERS)
@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _contract(request, pk))


@allow(*CITY_WRITERS)
@require_POST
def service_level_add(request: HttpRequest, pk: int) -> HttpResponse:
    """2-2-c: a service-level item of the contract."""
    contract = _contract(request, pk)
    form = forms.ServiceLevelForm(request.POST)
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.add_service_level(contract, by=by, **form.cleaned_data),
        _("The service-level item was added."),
    ):
        return redirect("contractors:contract_detail", pk=pk)
    return _detail(request, contract, service_level_form=form)


@allow(Role.CONTRACTOR_LEAD, Role.CITY_STAFF, *CITY_WRITERS)
@require_POST
def subcontractor_add(request: HttpRequest, pk: int) -> HttpResponse:
    """2-2-h: the contractor asks to subcontract (or staff record its written request); someone
    other than the one who recorded it approves (3-1)."""
    contract = _contract(request, pk)
    form = forms.SubcontractorForm(request.POST)
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.add_subcontractor(contract, by=by, **form.cleaned_data),
        _("The subcontractor was recorded. It may work once approved."),
    ):
        return redirect("contractors:contract_detail", pk=pk)
    return _detail(request, contract, subcontractor_form=form)


@allow(*CITY_WRITERS)
@require_POST
def subcontractor_approve(request: HttpRequest, pk: int) -> HttpResponse:
    subcontractor = get_object_or_404(Subcontractor, pk=pk)
    try:
        actions.approve_subcontractor(subcontractor, by=require_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The subcontractor was approved."))
    return redirect("contractors:contract_detail", pk=subcontractor.contract_id)


@allow(*CITY_WRITERS)
@require_POST
def waiver_add(request: HttpRequest, pk: int) -> HttpResponse:
    """2-2: the manager records why a missing provision is acceptable."""
    contract = _contract(request, pk)
    form = forms.WaiverForm(request.POST, contract=contract)
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.waive_provision(contract, by=by, **form.cleaned_data),
        _("The reason was recorded; the provision no longer shows as missing."),
    ):
        return redirect("contractors:contract_detail", pk=pk)
    return _detail(request, contract, waiver_form=form)


@allow(*CITY_WRITERS)
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """2-2: upload a contract or specification text; its provision check runs at once."""
    contract = _contract(request, pk)
    form = forms.DocumentForm(request.POST or None, request.FILES or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        filename, data = form.cleaned_data["file"]
        try:
            actions.upload_document(
                contract,
                kind=form.cleaned_data["kind"],
                filename=filename,
                data=data,
                replaces=form.cleaned_data["replaces"],
                by=require_person(request),
            )
        except DocumentError as error:
            form.add_error("file", str(error.message))
        except ValidationError as error:
            add_refusal(form, error)
        else:
            # 2-2 holds for the contract's texts together, so the message speaks of the contract
            # as the provisions table below does, never of this one text alone.
            if contract.missing_provisions():
                messages.warning(
                    request,
                    _("Uploaded. The table below shows which provisions are still missing."),
                )
            else:
                messages.success(request, _("Uploaded. All 13 provisions were found."))
            return redirect("contractors:contract_detail", pk=pk)
    return _page(request, "document_form.html", contract, form=form)


@allow(*READERS)
@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(ContractDocument, pk=pk, contract__in=_contracts(request))
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)


# Roster (5-1)


@allow(Role.CONTRACTOR_LEAD, read=READERS)
@require_http_methods(["GET", "POST"])
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = forms.RosterForm(request.POST or None, contract=contract)
    by = require_person(request)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.submit_roster(contract, by=by, **form.cleaned_data),
        _("The roster was submitted. It is current once the manager records receiving it."),
    ):
        return redirect("contractors:roster", pk=pk)
    submissions = contract.roster_submissions.prefetch_related("entries__person")
    people = {entry.person for submission in submissions for entry in submission.entries.all()}
    record_view(people, actor=by, page="contractors:roster")  # who looked at whom
    return _page(
        request,
        "roster.html",
        contract,
        form=form,
        submissions=submissions,
        current=contract.current_roster(),
        can_submit=may(request, roster),
        can_receive=may(request, roster_receive),
    )


@allow(*CITY_WRITERS)
@require_POST
def roster_receive(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(RosterSubmission, pk=pk)
    form = forms.ReceiveRosterForm(request.POST)
    by = require_person(request)
    if not run_action(
        request,
        form,
        lambda: actions.receive_roster(submission, by=by, **form.cleaned_data),
        _("Receipt of the roster was recorded."),
    ):
        errors_to_messages(request, form)
    return redirect("contractors:roster", pk=submission.contract_id)


@allow(*READERS)
@require_GET
def roster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(RosterSubmission, pk=pk, contract__in=_contracts(request))
    people = [entry.person for entry in submission.entries.select_related("person")]
    record_view(people, actor=require_person(request), page="contractors:roster_pdf")
    response = HttpResponse(pdf.roster_pdf(submission), content_type="application/pdf")
    name = f"roster-{submission.contract_id}-v{submission.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# Pledges (5-3, 5-4)


@allow(Role.CONTRACTOR_LEAD, read=READERS)
@require_http_methods(["GET", "POST"])
def pledges(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = forms.PledgeForm(request.POST or None, request.FILES or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        filename, data = form.cleaned_data["file"]
        try:
            actions.submit_pledge(
                contract,
                person=form.cleaned_data["person"],
                signed_on=form.cleaned_data["signed_on"],
                filename=filename,
                data=data,
                by=require_person(request),
            )
        except ScanError as error:
            form.add_error("file", str(error.message))
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("The pledge was submitted for the manager to confirm."))
            return redirect("contractors:pledges", pk=pk)
    shown = contract.pledges.select_related("person", "submitted_by", "decided_by")
    record_view(shown, actor=require_person(request), page="contractors:pledges")
    return _page(
        request,
        "pledges.html",
        contract,
        form=form,
        without_pledge=_rostered_without_own_pledge(contract),
        pledges=shown,
        can_submit=may(request, pledges),
        can_confirm=may(request, pledge_confirm),
    )


def _rostered_without_own_pledge(contract: Contract) -> list[Person]:
    """5-3: where the city asks for personal pledges, who on the roster has no confirmed one."""
    roster_now = contract.current_roster()
    if not contract.per_person_pledges or roster_now is None:
        return []
    pledged = set(contract.pledges.confirmed().values_list("person_id", flat=True))
    return [
        entry.person
        for entry in roster_now.entries.select_related("person")
        if entry.person_id not in pledged
    ]


@allow(*CITY_WRITERS)
@require_POST
def pledge_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_object_or_404(Pledge, pk=pk)
    try:
        actions.confirm_pledge(pledge, by=require_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pledge was confirmed as collected."))
    return redirect("contractors:pledges", pk=pledge.contract_id)


@allow(*READERS)
@require_GET
def pledge_file(request: HttpRequest, pk: int) -> FileResponse:
    pledge = get_object_or_404(Pledge, pk=pk, contract__in=_contracts(request))
    record_view([pledge], actor=require_person(request), page="contractors:pledge_file")
    return FileResponse(pledge.scan.open("rb"), as_attachment=True, filename=pledge.filename)


# Training (5-5, 5-6)


@allow(Role.CONTRACTOR_LEAD, read=READERS)
@require_http_methods(["GET", "POST"])
def training(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = forms.TrainingForm(request.POST or None, contract=contract)
    by = require_person(request)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.record_training(contract, by=by, **form.cleaned_data),
        _("The training session was recorded."),
    ):
        return redirect("contractors:training", pk=pk)
    roster_now = contract.current_roster()
    valid_from = training_valid_from(timezone.localdate())
    people: list[dict[str, Any]] = []
    if roster_now is not None:
        for entry in roster_now.entries.select_related("person"):
            trained = last_trained_on(entry.person)
            people.append(
                {
                    "person": entry.person,
                    "last": trained,
                    "flagged": trained is None or trained < valid_from,
                }
            )
    sessions = contract.training_sessions.prefetch_related(
        Prefetch("attendees", queryset=Person.objects.order_by("name_kana"))
    )
    shown = {row["person"] for row in people} | {
        person for session in sessions for person in session.attendees.all()
    }
    record_view(shown, actor=by, page="contractors:training")  # who looked at whom
    return _page(
        request,
        "training.html",
        contract,
        form=form,
        sessions=sessions,
        people=people,
        can_submit=may(request, training),
    )


# Periodic reports (5-10, 5-7, 5-8)


@allow(Role.CONTRACTOR_LEAD, read=READERS)
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = forms.ReportForm(request.POST or None, contract=contract)
    by = require_person(request)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.submit_report(contract, by=by, **form.cleaned_data),
        _("The periodic report was submitted."),
    ):
        return redirect("contractors:reports", pk=pk)
    return _page(
        request,
        "reports.html",
        contract,
        form=form,
        reports=contract.periodic_reports.select_related("submitted_by", "decided_by"),
        overdue=contract.overdue_report_periods(timezone.localdate()),
        can_submit=may(request, reports),
    )


@allow(*CITY_WRITERS, read=READERS)
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """5-10: one report, and the manager's review or sending back (差戻し)."""
    report = get_object_or_404(PeriodicReport, pk=pk, contract__in=_contracts(request))
    form = forms.ReviewForm(request.POST or None)
    by = require_person(request)
    if "send_back" in request.POST:
        step, done = (
            lambda: actions.return_report(report, reason=form.cleaned_data["comment"], by=by),
            _("The report was sent back to the contractor."),
        )
    else:
        step, done = (
            lambda: actions.review_report(report, by=by, **form.cleaned_data),
            _("The review was recorded."),
        )
    if request.method == "POST" and run_action(request, form, step, done):
        return redirect("contractors:reports", pk=report.contract_id)
    return _report_page(request, report, form=form)


@allow(Role.CONTRACTOR_LEAD, read=READERS)
@require_http_methods(["GET", "POST"])
def report_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """5-10: the contractor corrects a report that was sent back and submits it again."""
    report = get_object_or_404(PeriodicReport, pk=pk, contract__in=_contracts(request))
    initial = {name: getattr(report, name) for name in forms.ReportContentForm.base_fields}
    form = forms.ReportContentForm(request.POST or None, initial=initial)
    by = require_person(request)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.resubmit_report(report, by=by, **form.cleaned_data),
        _("The corrected report was submitted."),
    ):
        return redirect("contractors:report_detail", pk=report.pk)
    return _report_page(request, report, resubmit_form=form)


def _report_page(request: HttpRequest, report: PeriodicReport, **forms_: Form) -> HttpResponse:
    returned = report.state == PeriodicReport.State.RETURNED
    steps = Event.objects.filter(
        object_type=report._meta.label_lower, object_id=str(report.pk)
    ).order_by("pk")
    return _page(
        request,
        "report_detail.html",
        report.contract,
        report=report,
        history=describe(steps),
        form=forms_.get("form") or forms.ReviewForm(),
        resubmit_form=forms_.get("resubmit_form"),
        can_review=may(request, report_detail) and report.state == PeriodicReport.State.SUBMITTED,
        can_resubmit=returned and may(request, report_resubmit),
    )


# Inspections (5-11, 2-2-k)


@allow(*CITY_WRITERS, read=READERS)
@require_http_methods(["GET", "POST"])
def inspections(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = forms.InspectionForm(request.POST or None)
    by = require_person(request)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda: actions.record_inspection(contract, by=by, **form.cleaned_data),
        _("The inspection was recorded."),
    ):
        return redirect("contractors:inspections", pk=pk)
    return _page(
        request,
        "inspections.html",
        contract,
        form=form,
        inspections=contract.inspections.prefetch_related("actions"),
        can_record=may(request, inspections),
    )


def _inspection_page(request: HttpRequest, inspection: Inspection, **bound: Form) -> HttpResponse:
    blank = {
        "action_form": forms.CorrectiveActionForm(),
        "close_form": forms.CloseInspectionForm(),
    }
    return _page(
        request,
        "inspection_detail.html",
        inspection.contract,
        inspection=inspection,
        actions=inspection.actions.select_related("owner"),
        can_write=may(request, corrective_action_add),
        can_complete=may(request, corrective_action_done),
        **{**blank, **bound},
    )


@allow(*READERS)
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=pk, contract__in=_contracts(request))
    return _inspection_page(request, inspection)


@allow(*CITY_WRITERS)
@require_POST
def corrective_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=pk)
    form = forms.CorrectiveActionForm(request.POST)
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.add_corrective_action(inspection, by=by, **form.cleaned_data),
        _("The corrective action was added."),
    ):
        return redirect("contractors:inspection_detail", pk=pk)
    return _inspection_page(request, inspection, action_form=form)


@allow(*CITY_WRITERS, Role.CONTRACTOR_LEAD)
@require_POST
def corrective_action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        CorrectiveAction, pk=pk, inspection__contract__in=_contracts(request)
    )
    form = forms.CompleteActionForm(request.POST)
    by = require_person(request)
    if not run_action(
        request,
        form,
        lambda: actions.complete_corrective_action(action, by=by, **form.cleaned_data),
        _("The corrective action was recorded as done."),
    ):
        errors_to_messages(request, form)
    return redirect("contractors:inspection_detail", pk=action.inspection_id)


@allow(*CITY_WRITERS)
@require_POST
def inspection_close(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=pk)
    form = forms.CloseInspectionForm(request.POST)
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.close_inspection(inspection, by=by, **form.cleaned_data),
        _("The inspection was closed."),
    ):
        return redirect("contractors:inspection_detail", pk=pk)
    return _inspection_page(request, inspection, close_form=form)


# End of the work (2-2-i)


def _end_page(request: HttpRequest, contract: Contract, **bound: Form) -> HttpResponse:
    blank = {
        "item_form": forms.ReturnItemForm(),
        "certificate_form": forms.DisposalCertificateForm(),
    }
    return _page(
        request,
        "end_of_work.html",
        contract,
        items=contract.return_items.all(),
        certificate=getattr(contract, "disposal_certificate", None),
        can_write=may(request, end_of_work),
        **{**blank, **bound},
    )


@allow(*CITY_WRITERS, read=READERS)
@require_http_methods(["GET", "POST"])
def end_of_work(request: HttpRequest, pk: int) -> HttpResponse:
    """2-2-i: the checklist of information assets to return or dispose of."""
    contract = _contract(request, pk)
    if request.method == "GET":
        return _end_page(request, contract)
    form = forms.ReturnItemForm(request.POST)
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.add_return_item(contract, by=by, **form.cleaned_data),
        _("The item was added to the checklist."),
    ):
        return redirect("contractors:end_of_work", pk=pk)
    return _end_page(request, contract, item_form=form)


@allow(*CITY_WRITERS)
@require_POST
def return_item_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReturnItem, pk=pk)
    form = forms.ReturnDoneForm(request.POST)
    by = require_person(request)
    if not run_action(
        request,
        form,
        lambda: actions.complete_return_item(item, by=by, **form.cleaned_data),
        _("The item was recorded as returned or disposed of."),
    ):
        errors_to_messages(request, form)
    return redirect("contractors:end_of_work", pk=item.contract_id)


@allow(*CITY_WRITERS)
@require_POST
def disposal_certify(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    form = forms.DisposalCertificateForm(request.POST)
    by = require_person(request)
    if run_action(
        request,
        form,
        lambda: actions.certify_disposal(contract, by=by, **form.cleaned_data),
        _("The disposal certificate was recorded; the end of the work is closed."),
    ):
        return redirect("contractors:end_of_work", pk=pk)
    return _end_page(request, contract, certificate_form=form)
