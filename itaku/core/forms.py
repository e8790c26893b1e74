"""Helpers shared by the apps' forms and views."""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

# Dates a period may start or end on. A period's bounds are turned into midnights in Japan time
# and the end into the next day: both must exist in Python's calendar (year 1 to 9999), and the
# PDF register prints era dates, which start with Meiji.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(9998, 12, 31)


def within_calendar(value: date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


class PeriodDateField(forms.DateField):
    """A date that starts or ends a period of records: refused plainly outside the calendar."""

    default_validators = [within_calendar]


def add_refusal(form: BaseForm, error: ValidationError) -> None:
    """Put an action's refusal on the field it names, or above the form when it names none.

    Actions validate the rules that hold for every entry point (views, API, commands); a view
    shows such a refusal where the user will look for it.
    """
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_action(
    request: HttpRequest, form: BaseForm, action: Callable[[], object], success: "StrOrPromise"
) -> bool:
    """Run the action on a valid form; its refusal lands on the form. True when it succeeded,
    with `success` shown on the next page (the caller redirects)."""
    if not form.is_valid():
        return False
    try:
        action()
    except ValidationError as error:
        add_refusal(form, error)
        return False
    messages.success(request, success)
    return True


def errors_to_messages(request: HttpRequest, form: BaseForm) -> None:
    """For the small forms posted from another page: each error (an action's refusal too, put
    on the form by run_action), named by its field, goes back to that page as a message."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for text in errors:
            messages.error(request, f"{label}: {text}" if label else str(text))


# An empty choice says what choosing nothing does. Where a value is wanted, Django's "---------"
# reads 「選択してください」 (core/templates/django/forms/widgets/select_option.html); in a form
# that narrows a list, choosing nothing narrows nothing: 「すべて」.
ALL = _("All")


class FilterForm(forms.Form):
    """A form that narrows a list (sent with GET): optional select boxes start with 「すべて」."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label_empty_choice(field, ALL)


def label_empty_choice(field: forms.Field, label: "StrOrPromise") -> None:
    """Give an optional select box's empty choice `label` (a filter's 「すべて」, an 「なし」)."""
    if field.required:
        return
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = label
    elif isinstance(field, forms.ChoiceField):
        choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
        field.choices = [("", label) if value == "" else (value, text) for value, text in choices]


def choose_the_only_record(form: BaseForm, name: str) -> None:
    """A choice among records that holds a single record starts on it: an office with one area
    or one log source is not asked to pick it each time."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - a choice of records
    records = list(field.queryset[:2]) if field.queryset is not None else []
    if len(records) == 1:
        field.initial = records[0].pk
