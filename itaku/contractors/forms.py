"""Forms clean the input; the actions check the rules. Field names match the actions' keywords,
so an action's ValidationError lands on the field at fault."""

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.contractors.contract_check import MAX_UPLOAD_BYTES
from itaku.contractors.models import (
    Contract,
    ContractDocument,
    DocumentKind,
    Inspection,
    ReturnItem,
    RosterEntry,
)
from itaku.core.templatetags.itaku_dates import jdate
from itaku.people.models import Organization, Person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _date(label: Any, *, today: bool = False, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        required=required,
        initial=timezone.localdate if today else None,
    )


def _text(label: Any, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


def _limited(upload: "UploadedFile[bytes]", limit: int) -> bytes:
    """The upload's bytes, read in chunks and refused as soon as they pass the size limit.

    The declared size is checked first, but not trusted: reading stops at limit + 1 bytes.
    """
    too_large = forms.ValidationError(
        _("The file is larger than %(limit)d MB.") % {"limit": limit // (1024 * 1024)}
    )
    if (upload.size or 0) > limit:
        raise too_large
    parts, received = [], 0
    upload.seek(0)
    for chunk in upload.chunks():
        received += len(chunk)
        if received > limit:
            raise too_large
        parts.append(chunk)
    return b"".join(parts)


def contractor_people(contract: Contract) -> Any:
    # 5-1: only the contractor's own people; a visitor's organisation never qualifies (3-4).
    return Person.objects.filter(
        organization=contract.contractor_id, organization__kind=Organization.Kind.CONTRACTOR
    )


class ContractForm(forms.ModelForm):  # type: ignore[type-arg]
    """2-1: the contract, its term, and how and why the contractor was chosen."""

    class Meta:
        model = Contract
        fields = [
            "contractor",
            "title",
            "starts_on",
            "ends_on",
            "selection_method",
            "selection_grounds",
            "city_responsible",
            "work_place",
            "per_person_pledges",
            "report_interval_months",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "selection_grounds": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contractors = Organization.objects.filter(kind=Organization.Kind.CONTRACTOR)
        self.fields["contractor"].queryset = contractors  # type: ignore[attr-defined]
        city = Person.objects.filter(organization__kind=Organization.Kind.CITY)
        self.fields["city_responsible"].queryset = city  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: date | None = data.get("starts_on")
        ends: date | None = data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end of the term is before its start."))
        return data


class ServiceLevelForm(forms.Form):
    item = forms.CharField(label=_("Service-level item"), max_length=200)
    target = forms.CharField(label=_("Target"), max_length=200)


class SubcontractorForm(forms.Form):
    name = forms.CharField(label=_("Subcontractor"), max_length=200)
    work = forms.CharField(label=_("Subcontracted work"), max_length=200)


class DocumentForm(forms.Form):
    """2-2: a contract or specification text (TXT, DOCX or PDF with a text layer)."""

    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("TXT, DOCX or PDF with a text layer; scanned PDFs cannot be checked."),
    )
    replaces = forms.ModelChoiceField(
        label=_("Amends (replaces) the document"),
        queryset=ContractDocument.objects.none(),
        required=False,
        help_text=_("Choose the earlier text when this upload is its amended version."),
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = contract.documents.current()  # type: ignore[attr-defined]

    def clean_file(self) -> tuple[str, bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        return upload.name or "", _limited(upload, MAX_UPLOAD_BYTES)


class WaiverForm(forms.Form):
    """2-2: why a missing provision is acceptable for this contract."""

    provision_id = forms.ChoiceField(label=_("Missing provision"))
    reason = _text(_("Why the contract is acceptable without it"))

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        missing = contract.missing_provisions()
        self.fields["provision_id"].choices = [(pid, pid) for pid in missing]  # type: ignore[attr-defined]


class RosterForm(forms.Form):
    """5-1: the named lead and workers."""

    lead = forms.ModelChoiceField(label=_("Contractor lead"), queryset=Person.objects.none())
    workers = forms.ModelMultipleChoiceField(
        label=_("Contractor workers"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = _text(_("Note"), required=False, rows=2)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = contractor_people(contract)
        self.fields["lead"].queryset = people  # type: ignore[attr-defined]
        self.fields["workers"].queryset = people  # type: ignore[attr-defined]
        # A new version usually changes a few names: start from the current roster.
        current = contract.current_roster()
        if current is not None:
            self.initial.setdefault("lead", current.lead())
            self.initial.setdefault(
                "workers",
                [
                    entry.person
                    for entry in current.entries.filter(position=RosterEntry.Position.WORKER)
                ],
            )


class ReceiveRosterForm(forms.Form):
    received_on = _date(_("Received on"), today=True)


class PledgeForm(forms.Form):
    """5-3: the signed and sealed pledge as a scan."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— the contractor's pledge —"),
        help_text=_("Leave empty for the contractor's own pledge; choose a person for theirs."),
    )
    signed_on = _date(_("Signed on"))
    file = forms.FileField(label=_("Signed and sealed scan"), help_text=_("PDF, JPEG or PNG."))

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = contractor_people(contract)  # type: ignore[attr-defined]

    def clean_file(self) -> tuple[str, bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        return upload.name or "", _limited(upload, settings.ITAKU_SCAN_MAX_BYTES)


class TrainingForm(forms.Form):
    """5-6: a training session and who attended."""

    held_on = _date(_("Held on"))
    content = _text(_("Content"))
    material = forms.CharField(label=_("Material"), max_length=200)
    trainer = forms.CharField(label=_("Trainer"), max_length=100)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = contractor_people(contract)  # type: ignore[attr-defined]


class ReportContentForm(forms.Form):
    """5-10: what a periodic report states, with its attestations (5-7, 5-8, 5-5)."""

    no_copying = forms.BooleanField(
        label=_("No information of the city was copied or reproduced (5-7)."), required=False
    )
    no_third_party = forms.BooleanField(
        label=_("No information of the city was provided to a third party (5-8)."),
        required=False,
    )
    policy_obeyed = forms.BooleanField(
        label=_("The lead and workers obeyed the city's security policy (5-5)."), required=False
    )
    text = _text(_("Status of the work"), rows=5)


class ReportForm(ReportContentForm):
    """5-10: the periodic report for one period of the schedule."""

    period_start = forms.TypedChoiceField(label=_("Reporting period"), coerce=date.fromisoformat)
    field_order = ["period_start"]

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reported = set(contract.periodic_reports.values_list("period_start", flat=True))
        self.fields["period_start"].choices = [  # type: ignore[attr-defined]
            (start.isoformat(), f"{jdate(start)} – {jdate(end)}")
            for start, end in contract.report_periods(timezone.localdate())
            if start not in reported
        ]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Manager's review"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("To send the report back, say here what the contractor must correct."),
    )


class InspectionForm(forms.Form):
    """5-11: an inspection by the city."""

    trigger = forms.ChoiceField(label=_("Trigger"), choices=Inspection.Trigger.choices)
    held_on = _date(_("Held on"), today=True)
    findings = _text(_("Findings"), rows=5)
    copying_found = forms.BooleanField(
        label=_("Copying or reproduction of the city's information was found (5-7)."),
        required=False,
    )
    third_party_found = forms.BooleanField(
        label=_("Provision of the city's information to a third party was found (5-8)."),
        required=False,
    )


class CorrectiveActionForm(forms.Form):
    description = _text(_("Corrective action"))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.all())
    due_on = _date(_("Due on"))


class CompleteActionForm(forms.Form):
    done_on = _date(_("Done on"), today=True)
    note = _text(_("What was done"), required=False, rows=2)


class CloseInspectionForm(forms.Form):
    note = _text(_("Closing note"), required=False, rows=2)


class ReturnItemForm(forms.Form):
    """2-2-i: an information asset handed over to the contractor."""

    asset = forms.CharField(label=_("Information asset"), max_length=200)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    method = forms.ChoiceField(label=_("Return or disposal"), choices=ReturnItem.Method.choices)


class ReturnDoneForm(forms.Form):
    done_on = _date(_("Done on"), today=True)


class DisposalCertificateForm(forms.Form):
    """2-2-i: what, how many, how, when, witnessed by whom."""

    what = _text(_("What was disposed of"), rows=2)
    how_many = forms.IntegerField(label=_("How many"), min_value=1)
    how = forms.CharField(label=_("How"), max_length=200)
    disposed_on = _date(_("Disposed on"))
    witnessed_by = forms.CharField(label=_("Witnessed by"), max_length=200)
