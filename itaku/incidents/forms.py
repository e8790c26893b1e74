"""Forms clean the input; the actions check the rules. Field names match the actions' keywords."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.core.forms import PeriodDateField
from itaku.incidents.models import Incident, InvestigationTask, WrittenReport
from itaku.people.models import Person
from itaku.people.roles import Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _now() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


def _date(label: Any, *, required: bool = True, today: bool = False) -> forms.DateField:
    return PeriodDateField(
        label=label,
        widget=DateInput(),
        required=required,
        initial=timezone.localdate if today else None,
    )


def _text(label: Any, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ReportIncidentForm(forms.Form):
    """6-2: a few fields, quick to fill on a phone."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Incident.Kind.choices)
    summary = forms.CharField(label=_("What happened"), max_length=200)
    known_at = forms.DateTimeField(label=_("Known at"), widget=DateTimeInput(), initial=_now)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    details = _text(_("Details"), required=False, rows=3)


class ReceiveForm(forms.Form):
    at = forms.DateTimeField(label=_("Told the manager at"), widget=DateTimeInput(), initial=_now)


class TellSuperiorForm(forms.Form):
    superior = forms.ModelChoiceField(label=_("Superior told"), queryset=Person.objects.none())
    at = forms.DateTimeField(label=_("Told the superior at"), widget=DateTimeInput(), initial=_now)
    measures = _text(_("Measures taken at once"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only current superiors: 6-3 reports go to whoever holds the role today.
        self.fields["superior"].queryset = Person.objects.holding(  # type: ignore[attr-defined]
            Role.SUPERIOR, timezone.localdate()
        )


class WrittenReportForm(forms.ModelForm[WrittenReport]):
    """6-4: the facts of the written report, in the order of the form the city files."""

    class Meta:
        model = WrittenReport
        fields = list(WrittenReport.FACT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "assets",
                "data_items",
                "circumstances",
                "cause",
                "secondary_damage",
                "city_instructions",
                "contractor_responses",
                "prevention",
            )
        }


class NoteForm(forms.Form):
    note = _text(_("Note"), required=False, rows=2)


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InvestigationTask.Kind.choices)
    description = _text(_("Task"), rows=2)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.all())
    due_on = _date(_("Due on"))


class CompleteTaskForm(forms.Form):
    done_on = _date(_("Done on"), today=True)
    outcome = _text(_("Outcome"), rows=2)


class CommissionReportForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Report"),
        choices=[
            ("preliminary", _("Preliminary report (速報)")),
            ("final", _("Final report (確報)")),
        ],
    )
    on = _date(_("Reported on"), today=True)


class NoticeForm(forms.Form):
    on = _date(_("Persons concerned notified on"), required=False)
    exemption = _text(_("Or the exemption used, and why"), required=False, rows=2)


class PublicationDraftForm(forms.Form):
    text = _text(_("Text to publish"), required=False, rows=4)
    reasons = _text(_("Reasons"), rows=2)


class PublicationDecisionForm(forms.Form):
    publish = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Publish")), ("no", _("Do not publish"))],
        coerce=lambda value: value == "yes",
    )
    published_on = _date(_("Published on"), required=False)
    note = _text(_("Note"), required=False, rows=2)


class ContactChartForm(forms.Form):
    effective_from = _date(_("Effective from"), today=True)
    note = _text(_("Note"), required=False, rows=2)


class ContactEntryForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    mail = forms.EmailField(label=_("Mail"), required=False)
    reachable_day = forms.BooleanField(label=_("By day"), required=False, initial=True)
    reachable_night = forms.BooleanField(label=_("At night"), required=False)


ContactEntryFormSet = forms.formset_factory(ContactEntryForm, extra=6, min_num=1)
