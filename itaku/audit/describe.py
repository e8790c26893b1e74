"""Audit events in words for the screens: what happened, to whom, old → new.

The stored bytes stay the evidence; this module only reads them and looks up, for display, the
names behind the IDs they record. Each app names its events in its `events.py` as `LABELS`
(event code → translatable label); the recorded field names and values are shown with the
target model's own field labels, choice labels and era dates. An event whose details those
cannot say well (a rule's parameters kept as one record) has its own wording in the app's
`events.py` as `DETAILS` (event code → function of the event's data giving rows of label, old
value or None, new value).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itaku.audit.models import Event
from itaku.core import menu
from itaku.core.dates import display_date, wareki_year
from itaku.people.roles import Capacity, OversightCapacity


def _gathered(name: str) -> dict[str, Any]:
    """Every app's `<app>.events.<name>`, by event code."""
    found: dict[str, Any] = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.events")
        except ModuleNotFoundError:
            continue
        found.update({str(code): value for code, value in getattr(module, name, {}).items()})
    return found


@cache
def _labels() -> Mapping[str, Any]:
    """Every app's event labels, gathered once."""
    return _gathered("LABELS")


Wording = list[tuple[str, str | None, str]]


@cache
def _details() -> Mapping[str, Callable[[dict[str, Any]], Wording]]:
    """Every app's own wording of its events' details, gathered once."""
    return _gathered("DETAILS")


def event_label(code: str) -> str:
    label = _labels().get(code)
    return str(label) if label is not None else code


def capacity_label(value: str) -> str:
    for capacities in (Capacity, OversightCapacity):
        try:
            return str(capacities(value).label)
        except ValueError:
            continue
    return value


def stream_label(stream: str, fiscal_year: int) -> str:
    return f"{stream} {wareki_year(fiscal_year)}"


@dataclass(frozen=True)
class Change:
    field: str
    old: str | None  # None when the event records only the new value
    new: str


@dataclass(frozen=True)
class Described:
    event: Event
    label: str
    actor: str
    capacity: str
    target_kind: str
    target: str
    changes: list[Change]


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


class _Names:
    """The names behind recorded IDs, fetched with one query per related model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model: type[models.Model], value: Any) -> None:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, int | str) and not isinstance(item, bool):
                self.wanted[model].add(str(item))

    def fetch(self) -> None:
        for model, pks in self.wanted.items():
            usable = [pk for pk in pks if pk.isdigit() and len(pk) < 18]
            for obj in model._default_manager.filter(pk__in=usable):
                self.found[(model, str(obj.pk))] = str(obj)

    def name(self, model: type[models.Model], value: Any) -> str:
        return self.found.get((model, str(value)), f"#{value}")


def _related(field: models.Field[Any, Any] | None) -> type[models.Model] | None:
    if field is None or not field.is_relation:
        return None
    related = field.related_model
    return related if isinstance(related, type) else None


def _text(value: Any, field: models.Field[Any, Any] | None, names: _Names) -> str:
    if value is None or value == "":
        return "—"
    related = _related(field)
    if related is not None:
        items = value if isinstance(value, list) else [value]
        return "、".join(names.name(related, item) for item in items)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str):
        return _date_text(value)
    if isinstance(value, list):
        return "、".join(_text(item, None, names) for item in value)
    return str(value)


def _date_text(value: str) -> str:
    """ISO dates and times as the reader's dates (era dates in Japanese); other text as is."""
    if len(value) >= 16 and value[4:5] == "-" and "T" in value:
        moment = _parse(parse_datetime, value)
        if isinstance(moment, datetime) and moment.tzinfo is not None:
            local = timezone.localtime(moment)
            return f"{display_date(local)} {local:%H:%M}"
    if len(value) == 10 and value[4:5] == "-":
        day = _parse(parse_date, value)
        if isinstance(day, date):
            return display_date(day)
    return value


def _parse(parser: Any, value: str) -> Any:
    try:
        return parser(value)
    except ValueError:
        return None


def _is_step(value: Any) -> bool:
    return (
        isinstance(value, list) and len(value) == 2 and not any(isinstance(v, list) for v in value)
    )


def _field_label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    if field is not None:
        return str(field.verbose_name)
    return str(_GENERIC.get(name, name))


# Keys events record that are not fields of their target.
_GENERIC = {
    "state": gettext_lazy("state"),
    "note": gettext_lazy("note"),
    "reason": gettext_lazy("reason"),
    "refusals": gettext_lazy("reasons for refusal"),
    "reader": gettext_lazy("card reader"),
    "page": gettext_lazy("page"),
}


def _change(names: _Names, model: type[models.Model] | None, name: str, value: Any) -> Change:
    field = _field(model, name)
    label = _field_label(model, name)
    if _is_step(value):
        old, new = value
        return Change(label, _text(old, field, names), _text(new, field, names))
    if name == "page" and isinstance(value, str):
        return Change(label, None, menu.label_of(value) or value)
    return Change(label, None, _text(value, field, names))


def describe(events: Iterable[Event]) -> list[Described]:
    """The events in words, names looked up in one query per related model."""
    shown = list(events)
    names = _Names()
    plans = []
    for event in shown:
        data = event.data
        target = data.get("object") if isinstance(data.get("object"), dict) else None
        model = _model(str(target.get("type", ""))) if target else None
        changes = data.get("changes")
        recorded = changes.items() if isinstance(changes, dict) else []
        rows = [(name, value) for name, value in sorted(recorded) if name != "records"]
        for name, value in rows:
            related = _related(_field(model, name))
            if related is not None:
                for part in value if _is_step(value) else [value]:
                    names.want(related, part)
        plans.append((event, data, target, model, rows))
    names.fetch()
    return [_described(names, *plan) for plan in plans]


def _described(
    names: _Names,
    event: Event,
    data: dict[str, Any],
    target: dict[str, Any] | None,
    model: type[models.Model] | None,
    rows: list[tuple[str, Any]],
) -> Described:
    actor = data.get("actor")
    words = _details().get(str(data.get("code", event.code)))
    if words is not None:
        changes = [Change(*row) for row in words(data)]
    else:
        changes = [_change(names, model, name, value) for name, value in rows]
    return Described(
        event=event,
        label=event_label(str(data.get("code", event.code))),
        actor=str(actor.get("name", "")) if isinstance(actor, dict) else "",
        capacity=capacity_label(str(data.get("capacity") or "")),
        target_kind=str(model._meta.verbose_name) if model is not None else "",
        target=str(target.get("repr", "")) if target else "",
        changes=changes,
    )
