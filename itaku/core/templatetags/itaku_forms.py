"""A form field's widget with its help and errors linked, as the design system asks.

`{{ field|described }}` renders the widget with `aria-describedby` naming the help text and each
error (ids `<id>_help`, `<id>_error`, `<id>_error_2`…, as form_fields.html writes them) and
`aria-invalid` when the field has errors, so a screen reader reads them with the field.
"""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


def description_ids(field: BoundField) -> list[str]:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    for n in range(1, len(field.errors) + 1):
        ids.append(f"{field.auto_id}_error" if n == 1 else f"{field.auto_id}_error_{n}")
    return ids


@register.filter
def described(field: BoundField) -> SafeString:
    attrs: dict[str, str | bool] = {}
    ids = description_ids(field)
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
