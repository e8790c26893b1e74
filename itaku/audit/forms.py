from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.audit.models import Event, Viewed
from itaku.core.forms import ALL, FilterForm, PeriodDateField
from itaku.people.models import Person


class DateInput(forms.DateInput):
    input_type = "date"


class EventFilterForm(FilterForm):
    """Filters of the event list: by person, object, event code and period."""

    person = forms.ModelChoiceField(
        label=_("Acting person"), queryset=Person.objects.none(), required=False
    )
    code = forms.CharField(
        label=_("Event code"),
        required=False,
        max_length=100,
        help_text=_("The start of a code is enough, e.g. people.role"),
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object ID"), required=False, max_length=64)
    date_from = PeriodDateField(label=_("From"), required=False, widget=DateInput())
    date_to = PeriodDateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actors = Event.objects.exclude(actor=None).values("actor_id")
        self.fields["person"].queryset = Person.objects.filter(pk__in=actors)  # type: ignore[attr-defined]
        types = set(Event.objects.exclude(object_type="").values_list("object_type", flat=True))
        types |= set(Viewed.objects.values_list("object_type", flat=True).distinct())
        self.fields["object_type"].choices = [("", ALL)] + [(t, t) for t in sorted(types)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            raise ValidationError({"date_to": _("The end date is before the start date.")})
        if cleaned.get("object_id") and not cleaned.get("object_type"):
            raise ValidationError({"object_type": _("Choose the type of the object.")})
        return cleaned

    def filter(self, events: "Any") -> Any:
        """Apply the cleaned filters to a queryset of events (call after is_valid())."""
        data = self.cleaned_data
        if data.get("person"):
            events = events.filter(actor=data["person"])
        if data.get("code"):
            events = events.filter(code__startswith=data["code"].strip())
        if data.get("object_type"):
            kind = data["object_type"]
            match = Q(object_type=kind) | Q(viewed__object_type=kind)
            if data.get("object_id"):
                match = Q(object_type=kind, object_id=data["object_id"]) | Q(
                    viewed__object_type=kind, viewed__object_id=data["object_id"]
                )
            events = events.filter(match).distinct()
        if data.get("date_from"):
            events = events.filter(occurred_at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(
                occurred_at__lt=_start_of(date.fromordinal(data["date_to"].toordinal() + 1))
            )
        return events


def _start_of(day: date) -> datetime:
    """Midnight in Asia/Tokyo: the period is given in the city's local dates."""
    return timezone.make_aware(datetime.combine(day, time.min))
