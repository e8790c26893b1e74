"""Forms of the LGWAN screens. They clean input; the actions enforce the procedure's rules."""

from datetime import time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from itaku.area.models import Area
from itaku.core.forms import PeriodDateField, add_refusal, choose_the_only_record
from itaku.lgwan import mapping, rule_params
from itaku.lgwan.models import Finding, LogSource, Measure
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_the_only_record(self, "area")


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


class RetireTerminalForm(forms.Form):
    """4-1, 4-3: the day a terminal went out of service, and why."""

    retired_on = PeriodDateField(label=_("Out of service from"), widget=DateInput())
    note = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("For example: replaced by LG-05, handed back to the lease company."),
    )


class AccountForm(forms.Form):
    account_id = forms.CharField(label=_("LGWAN ID"), max_length=40)
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.order_by("name"))


class ImportForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Source system"),
        queryset=LogSource.objects.all(),
        help_text=_("Its column mapping says how the file is read (lookup log sources)."),
    )
    file = forms.FileField(label=_("Lookup log file (CSV or TSV)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_the_only_record(self, "source")


class ApplicationsForm(forms.Form):
    file = forms.FileField(
        label=_("Applications (CSV)"), help_text=_("Columns 受付番号 and 受付日 (YYYY-MM-DD).")
    )


class DayForm(forms.Form):
    day = PeriodDateField(label=_("Day"), widget=DateInput())


class CloseFindingsForm(forms.Form):
    """The open findings of a day ticked on the review, closed with one note."""

    day = PeriodDateField(widget=forms.HiddenInput())
    findings = forms.ModelMultipleChoiceField(
        label=_("Findings"),
        queryset=Finding.objects.filter(state=Finding.State.OPEN),
        error_messages={
            "required": _("Choose the findings to close."),
            "invalid_choice": _("A chosen finding is closed already or does not exist."),
            "invalid_pk_value": _("A chosen finding is closed already or does not exist."),
        },
    )
    note = forms.CharField(
        label=_("What was found out"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what was found out before closing (4-4).")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, findings = cleaned.get("day"), cleaned.get("findings")
        if day is not None and findings and any(f.day != day for f in findings):
            raise ValidationError(_("A chosen finding is of another day."))
        return cleaned


class SignOffForm(forms.Form):
    day = PeriodDateField(widget=forms.HiddenInput())
    note = forms.CharField(label=_("Note"), required=False)


def _mapping_field(
    part: mapping.Part, *, lines: bool = False, header: bool = True
) -> forms.CharField:
    required = {"required": mapping.required_message(part.key, header)}
    return forms.CharField(
        label=str(part.label),
        help_text=str(part.help),
        required=part.required,
        max_length=None if lines else mapping.LONGEST_NAME,
        error_messages=required if part.required else {},
        widget=forms.Textarea(attrs={"rows": 3}) if lines else forms.TextInput,
    )


def _choice_field(part: mapping.Part, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=str(part.label), help_text=str(part.help), choices=choices)


class SourceForm(forms.Form):
    """A source system and its column mapping, one field per entry (docs/lgwan-import.md).

    `clean` builds the mapping and checks it as the actions will; the refusals land on the
    field they name.
    """

    name = forms.CharField(label=_("Name of the source"), max_length=60)
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=LogSource.Encoding.choices,
        initial=LogSource.Encoding.AUTO,
        help_text=_("With “detected”, a file whose first line is not UTF-8 is read as Shift_JIS."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[mapping.FIRST_LINE.key] = _choice_field(
            mapping.FIRST_LINE, mapping.FIRST_LINE_CHOICES
        )
        self.fields[mapping.DELIMITER.key] = _choice_field(
            mapping.DELIMITER, mapping.DELIMITER_CHOICES
        )
        self.fields[mapping.DELIMITER_OTHER.key] = forms.CharField(
            label=str(mapping.DELIMITER_OTHER.label),
            help_text=str(mapping.DELIMITER_OTHER.help),
            required=False,
            strip=False,  # a space may be the delimiter
            widget=forms.TextInput(attrs={"class": "one-character"}),
        )
        self.fields[mapping.QUOTE.key] = _choice_field(mapping.QUOTE, mapping.QUOTE_CHOICES)
        # A required column's message asks for a name or a position, as the first line says.
        first_line = self[mapping.FIRST_LINE.key].value() if self.is_bound else None
        header = (first_line or self.initial.get(mapping.FIRST_LINE.key)) != "data"
        for part in mapping.COLUMNS:
            self.fields[part.key] = _mapping_field(part, header=header)
        self.fields[mapping.SUBJECT.key] = _mapping_field(mapping.SUBJECT, lines=True)
        for part in (*mapping.ACTIONS, *mapping.KINDS):
            self.fields[f"{part.key}_values"] = _mapping_field(part, lines=True)
        for part in (mapping.TIMESTAMP_FORMAT, mapping.TIME_ZONE):
            self.fields[part.key] = _mapping_field(part)
        self.mapping: dict[str, Any] = {}

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if cleaned is None:
            return None
        built, doubles = mapping.from_fields(cleaned)
        for key, problems in {**mapping.check_mapping(built), **doubles}.items():
            if key == mapping.DELIMITER.key and cleaned.get(key) == "other":
                key = mapping.DELIMITER_OTHER.key  # the character typed is what is wrong
            name = key if key in self.fields else None
            if name is None or name not in self.errors:
                for problem in problems:
                    self.add_error(name, problem)
        self.mapping = built
        return cleaned

    def sections(self) -> list["Section"]:
        """The fields in the groups the page shows them in, each under its heading."""
        words = [f"{part.key}_values" for part in (*mapping.ACTIONS, *mapping.KINDS)]
        layout = [part.key for part in mapping.LAYOUT]
        return [
            Section(self, _("The source"), ["name"], first=True),
            Section(self, _("The file's format"), ["encoding", *layout]),
            Section(
                self,
                _("Columns"),
                [p.key for p in mapping.COLUMNS] + ["subject"],
                hint=_(
                    "Each by the name the header line writes or, for a file without a header "
                    "line, by its position: 1 for the first column."
                ),
            ),
            Section(self, _("What the log writes"), words),
            Section(self, _("Times"), ["timestamp_format", "time_zone"]),
        ]


class Section:
    """Some of a form's fields, rendered by form_fields.html like a form of their own."""

    def __init__(
        self, form: forms.Form, title: Any, names: list[str], *, first: bool = False, hint: Any = ""
    ) -> None:
        self.form, self.title, self.names, self.first = form, title, names, first
        self.hint = hint

    def visible_fields(self) -> list[forms.BoundField]:
        return [self.form[name] for name in self.names]

    def hidden_fields(self) -> list[forms.BoundField]:
        return []

    def non_field_errors(self) -> Any:
        return self.form.non_field_errors() if self.first else []


class PreviewForm(forms.Form):
    file = forms.FileField(
        label=_("The first lines of a log file"),
        required=False,
        help_text=_(
            "Up to 200 lines are read as the import would read them; nothing is stored. "
            "The subject's columns, and the columns the mapping leaves out, are never shown."
        ),
    )


def rule_field(name: str, default: Any) -> forms.Field:
    """The form field of one rule parameter, checked by its `Param` (names it in errors)."""
    param = rule_params.PARAMS.get(name)
    if param is None:  # a parameter without words yet: shown by its name, kept as typed
        return forms.CharField(label=name, initial=default)
    widget: forms.Widget
    if param.kind is time:
        widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    else:
        attrs = {"step": "1" if param.kind is int else "any"}
        if param.minimum is not None:
            attrs["min"] = str(param.minimum)
        if param.maximum is not None:
            attrs["max"] = str(param.maximum)
        widget = forms.NumberInput(attrs=attrs)
    return ParamField(param, label=param.label, help_text=param.help, widget=widget)


class ParamField(forms.Field):
    def __init__(self, param: rule_params.Param, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.param = param
        self.error_messages["required"] = _("%(field)s: give a value.") % {"field": param.label}

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        return self.param.clean(value)


class RuleForm(forms.Form):
    enabled = forms.BooleanField(label=_("Enabled"), required=False)

    def __init__(self, *args: Any, defaults: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.defaults = defaults
        for name, default in defaults.items():
            self.fields[name] = rule_field(name, default)

    def clean(self) -> dict[str, Any] | None:
        """The parameters together (the office closes after it opens), as `set_rule` checks."""
        cleaned = super().clean()
        if cleaned is None:
            return None
        given = {name: cleaned[name] for name in self.defaults if cleaned.get(name) is not None}
        try:
            rule_params.clean_params(self.defaults, given)
        except ValidationError as error:
            add_refusal(self, error)
        return cleaned

    @property
    def params(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.defaults}
