"""Forms of the LGWAN screens. They clean input; the actions enforce the procedure's rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itaku.area.models import Area
from itaku.core.forms import PeriodDateField
from itaku.lgwan.models import LogSource, Measure
from itaku.people.models import Person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TerminalForm(forms.Form):
    asset_number = forms.CharField(label=_("Asset number"), max_length=40)
    place = forms.CharField(label=_("Place"), max_length=200)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.all())
    log_name = forms.CharField(
        label=_("Name in the lookup logs"),
        max_length=40,
        required=False,
        help_text=_("Leave empty when the logs use the asset number."),
    )
    media_block_method = forms.CharField(
        label=_("How external media are blocked"),
        max_length=200,
        help_text=_("4-3: e.g. USB storage disabled by device control policy."),
    )
    screen_lock_minutes = forms.IntegerField(
        label=_("Screen lock after (minutes)"), min_value=1, max_value=120, initial=10
    )
    verify_every_days = forms.IntegerField(
        label=_("Verify every (days)"), min_value=1, max_value=366, initial=30
    )


class VerificationForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Passed")), ("0", _("Failed"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AccountForm(forms.Form):
    account_id = forms.CharField(label=_("LGWAN ID"), max_length=40)
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.order_by("name"))


class ImportForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Source system"), queryset=LogSource.objects.all())
    file = forms.FileField(label=_("Lookup log file (CSV or TSV)"))


class ApplicationsForm(forms.Form):
    file = forms.FileField(
        label=_("Applications (CSV)"), help_text=_("Columns 受付番号 and 受付日 (YYYY-MM-DD).")
    )


class DayForm(forms.Form):
    day = PeriodDateField(label=_("Day"), widget=DateInput())


class CloseForm(forms.Form):
    note = forms.CharField(label=_("What was found out"), widget=forms.Textarea(attrs={"rows": 2}))


class SignOffForm(forms.Form):
    day = PeriodDateField(widget=forms.HiddenInput())
    note = forms.CharField(label=_("Note"), required=False)
