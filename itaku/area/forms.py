"""Forms of the area screens. They clean input; the actions enforce the procedure's rules."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from itaku.area.models import (
    Area,
    CarryInRequest,
    CarryRecord,
    DeviceCategory,
    StoragePlace,
    requestable_by,
)
from itaku.core.forms import PeriodDateField, choose_the_only_record
from itaku.people.forms import LocalDateTimeInput
from itaku.people.models import Person, RoleAssignment
from itaku.people.roles import STAFF_ROLES, Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


# A name search needs this many characters, so that a stray digit or letter finds no one.
NAME_SEARCH_MIN = 2


def find_by_badge(text: str) -> Person | None:
    """What the person carries: the badge number as typed, or as read by a card reader acting
    as a keyboard (3-7). Never an internal key."""
    text = text.strip()
    if not text:
        return None
    return Person.objects.filter(badge_number__iexact=text).first()


def find_by_name(text: str) -> list[Person]:
    """People whose name or kana contains `text`; the desk officer picks one of them."""
    text = text.strip()
    if len(text) < NAME_SEARCH_MIN:
        return []
    return list(
        Person.objects.filter(Q(name__icontains=text) | Q(name_kana__icontains=text))
        .select_related("organization")
        .order_by("name_kana", "name")[:20]
    )


class CarryInChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: CarryInRequest) -> str:
        return f"{obj.person} — {obj.device}"


class DeskForm(forms.Form):
    """The entry desk: who, and what they confirm at the door (3-7, 5-9, 3-11).

    The person is found by the badge they carry, or by a name search from which the officer
    picks exactly one person; a number that is no badge finds no one (3-3).
    """

    person = forms.CharField(
        label=_("Badge number or name"),
        max_length=40,
        help_text=_("Read the badge with the card reader, type its number, or search a name."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "list": "desk-people"}
        ),
    )
    badge_worn = forms.BooleanField(label=_("Wears an ID card or name tag (3-7)"), required=False)
    only_valuables = forms.BooleanField(
        label=_("Carries only valuables such as a wallet (5-9)"), required=False
    )
    no_prohibited_device = forms.BooleanField(
        label=_("Carries no USB memory, phone, camera, PC or other prohibited device (3-11)"),
        required=False,
    )
    carry_in = CarryInChoiceField(
        label=_("Device under an approved carry-in request (3-12)"),
        queryset=CarryInRequest.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        valid = CarryInRequest.objects.valid_on(today).select_related("person")
        self.fields["carry_in"].queryset = valid  # type: ignore[attr-defined]
        # The people a name search found, for the officer to pick one from.
        self.candidates: list[Person] = []

    def clean_person(self) -> Person:
        text: str = self.cleaned_data["person"]
        found = find_by_badge(text)
        if found is not None:
            return found
        candidates = find_by_name(text)
        picked = str(self.data.get("pick", ""))
        for candidate in candidates:
            # The pick is only a choice among the people the typed name found.
            if picked and str(candidate.pk) == picked:
                return candidate
        if not candidates:
            raise ValidationError(_("No one has this badge number, and no name contains it (3-3)."))
        self.candidates = candidates
        raise ValidationError(_("Pick the person from the names found, then record again."))


class CorrectionForm(forms.Form):
    """3-3: correct a wrong passage by a new record."""

    cancel = forms.BooleanField(label=_("This passage did not happen: cancel it"), required=False)
    occurred_at = forms.DateTimeField(
        label=_("Right time"), required=False, widget=LocalDateTimeInput()
    )
    reason = forms.CharField(label=_("Why the record is wrong"), max_length=300)


class MissedExitForm(forms.Form):
    """A forgotten exit, recorded afterwards with its real time and the reason."""

    occurred_at = forms.DateTimeField(label=_("Time of the exit"), widget=LocalDateTimeInput())
    note = forms.CharField(label=_("Why it is recorded afterwards"), max_length=300)


class AreaForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Area
        fields = ["name", "place", "boundary", "signage_checked_on", "closing_time"]
        widgets = {
            "signage_checked_on": DateInput(),
            "closing_time": TimeInput(),
            "boundary": forms.Textarea(attrs={"rows": 3}),
        }


class SignageForm(forms.Form):
    signage_checked_on = forms.DateField(label=_("Signage checked on"), widget=DateInput())


class VisitorPermissionForm(forms.Form):
    """3-4: who, why, when, and the contractor lead who monitors them."""

    person = forms.ModelChoiceField(
        label=_("Visitor"),
        queryset=Person.objects.select_related("organization"),
        required=False,
        help_text=_("Choose a known visitor, or register a new one below."),
    )
    new_name = forms.CharField(label=_("New visitor: name"), max_length=100, required=False)
    new_organization = forms.CharField(
        label=_("New visitor: organization"), max_length=200, required=False
    )
    new_badge = forms.CharField(
        label=_("New visitor: visitor badge number"), max_length=40, required=False
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    starts_at = forms.DateTimeField(label=_("From"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Until"), widget=LocalDateTimeInput())
    monitor = forms.ModelChoiceField(label=_("Monitor (contractor lead)"), queryset=Person.objects)
    works_in_area = forms.BooleanField(
        label=_("Will work in the area (declaration and report required, 3-5)"), required=False
    )

    def __init__(self, *args: Any, requester: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        leads = Person.objects.holding(Role.CONTRACTOR_LEAD, today)
        self.fields["monitor"].queryset = leads  # type: ignore[attr-defined]
        # Staff need no permission (3-3): offer only people without a staff role today, and
        # only those the requester may ask for (3-4: a lead asks for their own visitors).
        staff = RoleAssignment.objects.current(today).filter(role__in=STAFF_ROLES)
        visitors = requestable_by(requester, today).exclude(pk__in=staff.values("person_id"))
        self.fields["person"].queryset = visitors.select_related(  # type: ignore[attr-defined]
            "organization"
        )

    def clean_new_badge(self) -> str:
        badge: str = self.cleaned_data["new_badge"].strip()
        if badge and Person.objects.filter(badge_number__iexact=badge).exists():
            raise ValidationError(_("This badge number is already in use."))
        return badge

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person") is None and not data.get("new_name", "").strip():
            self.add_error("person", _("Choose a visitor or give the new visitor's name."))
        if data.get("person") is not None and data.get("new_name", "").strip():
            self.add_error("new_name", _("Either choose a visitor or register a new one."))
        if data.get("new_name", "").strip() and not data.get("new_organization", "").strip():
            self.add_error("new_organization", _("Give the new visitor's organization."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class AfterHoursForm(forms.Form):
    """3-3: who needs the area after closing time or on a closed day, when, and why."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects)
    starts_at = forms.DateTimeField(label=_("From"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Until"), widget=LocalDateTimeInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, requester: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_the_only_record(self, "area")
        # A request is made in one's own name, like a device request (3-12).
        people = requestable_by(requester, timezone.localdate())
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["person"].initial = requester.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CarryInDecisionForm(DecisionForm):
    conditions = forms.CharField(
        label=_("Conditions of approval"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        initial=CarryInRequest.STANDARD_CONDITIONS,
    )


class DeclarationForm(forms.Form):
    work = forms.CharField(label=_("Work to be done"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    report_content = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 3}))
    report_result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}))


class CarryForm(forms.Form):
    """3-8: what was carried, which way, and what the staff witness checked."""

    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects)
    direction = forms.ChoiceField(label=_("Direction"), choices=CarryRecord.Direction.choices)
    items = forms.CharField(label=_("Items"), widget=forms.Textarea(attrs={"rows": 2}))
    carried_by = forms.ModelChoiceField(label=_("Carried by"), queryset=Person.objects)
    witness = forms.ModelChoiceField(label=_("Witness (staff)"), queryset=Person.objects)
    checked = forms.CharField(
        label=_("What the witness checked"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_the_only_record(self, "area")


class CarryInRequestForm(forms.Form):
    """3-12: the device, the reason and work, the period, the storage place."""

    person = forms.ModelChoiceField(label=_("Brought by"), queryset=Person.objects)
    category = forms.ModelChoiceField(label=_("Category (3-11)"), queryset=DeviceCategory.objects)
    device = forms.CharField(label=_("Device"), max_length=200)
    reason = forms.CharField(
        label=_("Reason and work done with it"), widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())
    storage_place = forms.CharField(label=_("Storage place"), max_length=200)

    def __init__(self, *args: Any, requester: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # 3-12: a request is made in one's own name; offer no one else.
        people = requestable_by(requester, timezone.localdate())
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["person"].initial = requester.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: date | None = data.get("starts_on")
        ends: date | None = data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class StoragePlaceForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects)
    name = forms.CharField(label=pgettext_lazy("of a thing", "Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=StoragePlace.Kind.choices)
    contents = forms.CharField(label=_("What is kept"), widget=forms.Textarea(attrs={"rows": 2}))
    key_holder = forms.ModelChoiceField(label=_("Key holder"), queryset=Person.objects)
    ic_cards = forms.IntegerField(label=_("Terminal IC cards kept"), min_value=0, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_the_only_record(self, "area")


class StorageCheckForm(forms.Form):
    """3-10: one line per storage place: IC cards present, locked, a note."""

    checked_on = forms.DateField(
        label=_("Day"),
        widget=DateInput(),
        help_text=_(
            "A check recorded after its day counts only with a note saying why it is late; "
            "until then the missed business day stays a finding (3-10)."
        ),
    )

    def __init__(self, places: list[StoragePlace], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = places
        self.fields["checked_on"].initial = timezone.localdate()
        for place in places:
            self.fields[f"present_{place.pk}"] = forms.IntegerField(
                label=_("%(place)s: IC cards present") % {"place": place.name},
                min_value=0,
                initial=place.ic_cards,
            )
            self.fields[f"locked_{place.pk}"] = forms.BooleanField(
                label=_("%(place)s: locked") % {"place": place.name}, required=False
            )
            self.fields[f"note_{place.pk}"] = forms.CharField(
                label=_("%(place)s: note") % {"place": place.name},
                max_length=300,
                required=False,
            )

    def lines(self) -> list[tuple[StoragePlace, Any, Any, Any]]:
        return [
            (
                place,
                self[f"present_{place.pk}"],
                self[f"locked_{place.pk}"],
                self[f"note_{place.pk}"],
            )
            for place in self.places
        ]


class PatrolForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects)
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("IC cards, personal data or documents left unattended; empty if none."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_the_only_record(self, "area")


# The entry and exit register (PDF) covers at most five years at a time; the CSV has no limit.
PDF_MONTHS = 60


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


class ExportForm(forms.Form):
    """3-6: the records of any period, on request."""

    date_from = PeriodDateField(label=_("From"), widget=DateInput())
    date_to = PeriodDateField(label=_("To"), widget=DateInput())
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("csv", _("CSV (opens in Excel)")), ("pdf", _("PDF: entry and exit register"))],
    )
    records = forms.ChoiceField(
        label=_("Records (CSV)"),
        choices=[
            ("passages", _("Entries and exits, refused attempts, corrections")),
            ("visitors", _("Visitor permissions with work declarations and reports")),
            ("carried", _("Items carried in and out")),
        ],
        initial="passages",
        required=False,
        help_text=_("The PDF is always the entry and exit register."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        elif start and end and data.get("format") == "pdf" and _months(start, end) > PDF_MONTHS:
            # One section per month: a period of centuries would keep a server busy for hours.
            self.add_error(
                "date_to",
                _("The register is printed for at most %(months)d months at a time.")
                % {"months": PDF_MONTHS},
            )
        return data


class ReaderForm(forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects)
    name = forms.CharField(label=pgettext_lazy("of a thing", "Name"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_the_only_record(self, "area")
