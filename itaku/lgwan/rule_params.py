"""The review rules' parameters in words, with the range each may take (4-4).

`rules.py` names each rule's parameters and their defaults; this module says what each one
means, its unit and what values make sense, so the rules screen shows a labelled field and
`set_rule` refuses a value that would switch the rule off by stealth (a window of 0 minutes, an
office day that closes before it opens). Every parameter a rule takes needs an entry here
(`tests/lgwan/test_rules_screen.py` fails otherwise).
"""

from dataclasses import dataclass
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Param:
    label: Promise
    kind: type  # int, float or time (kept as "HH:MM")
    help: Promise
    minimum: float | None = None
    maximum: float | None = None

    def clean(self, value: Any) -> Any:
        """The value as the rule reads it, or a refusal naming the parameter."""
        if self.kind is time:
            return self._time(value)
        try:
            number = Decimal(str(value).strip())
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise self._refuse(gettext("%(field)s: give a number.")) from None
        if self.kind is int and number != number.to_integral_value():
            raise self._refuse(gettext("%(field)s: give a whole number."))
        if self.minimum is not None and number < Decimal(str(self.minimum)):
            raise self._refuse(
                gettext("%(field)s: give at least %(minimum)s."), minimum=_plain(self.minimum)
            )
        if self.maximum is not None and number > Decimal(str(self.maximum)):
            raise self._refuse(
                gettext("%(field)s: give at most %(maximum)s."), maximum=_plain(self.maximum)
            )
        return int(number) if self.kind is int else float(number)

    def _time(self, value: Any) -> str:
        text = value.strftime("%H:%M") if isinstance(value, time) else str(value).strip()
        try:
            parsed = time.fromisoformat(text)
        except ValueError:
            raise self._refuse(gettext("%(field)s: give a time such as 08:30.")) from None
        return parsed.strftime("%H:%M")

    def _refuse(self, message: str, **params: Any) -> ValidationError:
        return ValidationError(message % {"field": self.label, **params})


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


PARAMS: dict[str, Param] = {
    "window_minutes": Param(
        _("Window (minutes)"),
        int,
        _("Lines of one ID on two terminals within this time count as at once."),
        minimum=1,
        maximum=24 * 60,
    ),
    "opens": Param(_("Office opens"), time, _("Lookups before this time are out of hours.")),
    "closes": Param(_("Office closes"), time, _("Lookups after this time are out of hours.")),
    "factor": Param(
        _("Factor over the baseline"),
        float,
        _("A day with more than this many times the ID's usual count is a finding."),
        minimum=1,
        maximum=100,
    ),
    "baseline_days": Param(
        _("Baseline (days)"),
        int,
        _("The ID's usual count is its mean over the days it was used in this period."),
        minimum=1,
        maximum=366,
    ),
    "minimum": Param(
        _("Smallest count that can be a finding"),
        int,
        _("Fewer lookups than this in a day are never a finding, whatever the baseline."),
        minimum=1,
        maximum=100_000,
    ),
}
# What a rule checks against that is not one of its parameters, said on its page.
NOTES: dict[str, Promise] = {
    "idle_past_lock": _(
        "The idle time is each terminal's own screen lock, set on the terminal's page (4-5)."
    ),
}


def changes_in_words(data: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """A rule's change as the audit trail shows it (`events.DETAILS`): the switch and each
    parameter that changed, by its label on the rule's form, old → new; an unchanged one is not
    listed. A parameter left at its default reads as the default's value."""
    from itaku.lgwan.rules import RULES  # the rules read the models, whose events import this

    changes = data.get("changes") or {}
    old, new = changes.get("old") or {}, changes.get("new") or {}
    target = data.get("object") or {}
    spec = RULES.get(str(changes.get("rule") or target.get("repr", "")))
    defaults = spec.defaults if spec else {}
    rows: list[tuple[str, str | None, str]] = []
    if old.get("enabled", True) != new.get("enabled", True):
        rows.append(
            (
                gettext("On or off"),
                _switch(old.get("enabled", True)),
                _switch(new.get("enabled", True)),
            )
        )
    before = {**defaults, **(old.get("params") or {})}
    after = {**defaults, **(new.get("params") or {})}
    for name in [*defaults, *sorted((set(before) | set(after)) - set(defaults))]:
        if before.get(name) != after.get(name):
            param = PARAMS.get(name)
            label = str(param.label) if param else name
            rows.append((label, value_text(before.get(name)), value_text(after.get(name))))
    return rows or [(gettext("Parameters"), None, gettext("unchanged"))]


def _switch(enabled: Any) -> str:
    return gettext("On") if enabled else gettext("Off")


def value_text(value: Any) -> str:
    """A parameter's value as the screens write it: 4, not the 4.0 a factor is kept as."""
    if value is None:
        return "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _plain(value)
    return str(value)


def clean_params(defaults: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """`given` checked against the rule's parameters (those of `defaults`), by parameter."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name in sorted(set(given) - set(defaults)):
        errors.setdefault("__all__", []).append(
            gettext("This rule takes no parameter “%(name)s”.") % {"name": name}
        )
    for name in defaults:
        if name not in given:
            continue
        param = PARAMS.get(name)
        try:
            cleaned[name] = param.clean(given[name]) if param else given[name]
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
    opens, closes = cleaned.get("opens"), cleaned.get("closes")
    if opens and closes and opens >= closes:
        errors.setdefault("closes", []).append(
            gettext("%(field)s: the office closes after it opens (%(opens)s).")
            % {"field": PARAMS["closes"].label, "opens": opens}
        )
    if errors:
        raise ValidationError(errors)
    return cleaned
