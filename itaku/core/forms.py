"""Helpers shared by the apps' forms and views."""

from django.core.exceptions import ValidationError
from django.forms import BaseForm


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
