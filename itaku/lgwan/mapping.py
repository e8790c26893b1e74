"""A log source's column mapping: what each part means, and what makes one unusable (4-4).

The mapping is data (`LogSource.mapping`, docs/lgwan-import.md); the importer reads it. This
module says, field by field, what a mapping must hold, so the screen, the command line and the
actions refuse the same mistakes with the same words, each naming the field concerned. The
errors are keyed by the source form's field names (`itaku.lgwan.forms.SourceForm`).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Part:
    """One entry of the mapping as the form shows it: its key, label and help."""

    key: str
    label: Promise
    help: Promise | str = ""
    required: bool = False


COLUMNS = (
    Part("timestamp", _("Time column"), _("The time of the line."), required=True),
    Part(
        "terminal",
        _("Terminal column"),
        _("The terminal as the log names it: its name in the lookup logs or its asset number."),
        required=True,
    ),
    Part("account", _("LGWAN ID column"), _("The ID that was used (4-2)."), required=True),
    Part(
        "action",
        _("Action column"),
        _("Lookup, login or logout; the words are set below."),
        required=True,
    ),
    Part("kind", _("Kind column"), _("本人確認情報 or 戸籍情報連携; may be left empty.")),
    Part(
        "receipt",
        _("Receipt number column (受付番号)"),
        _("The application that justifies the lookup; may be left empty."),
    ),
)
SUBJECT = Part(
    "subject",
    _("Subject columns"),
    _(
        "One column name per line (住民票コード, 識別符号, 氏名 …). Never stored: kept only as "
        "a keyed hash."
    ),
)
# What the log writes for each action and kind; the importer also understands its defaults.
ACTIONS = (
    Part("lookup", _("Written for a lookup"), _("One per line; 照会 and lookup are understood.")),
    Part("login", _("Written for a login"), _("One per line; ログイン and login are understood.")),
    Part(
        "logout",
        _("Written for a logout"),
        _("One per line; ログアウト and logout are understood."),
    ),
)
KINDS = (
    Part(
        "resident",
        _("Written for 本人確認情報"),
        _("One per line; 本人確認情報, 住基 and resident are understood."),
    ),
    Part(
        "koseki",
        _("Written for 戸籍情報連携"),
        _("One per line; 戸籍, 戸籍情報連携 and koseki are understood. Any other kind is “other”."),
    ),
)
TIMESTAMP_FORMAT = Part(
    "timestamp_format",
    _("Time format"),
    _(
        "Leave empty for 2026/11/26 09:12:30 or ISO 8601; otherwise a strptime format such as "
        "%Y%m%d%H%M%S."
    ),
)
TIME_ZONE = Part(
    "time_zone",
    _("Time zone of times written without one"),
    _("Leave empty for the city's time zone (Asia/Tokyo)."),
)
KEYS = {"columns", "actions", "kinds", "timestamp_format", "time_zone"}
KIND_VALUES = {"resident", "koseki", "other"}
LONGEST_NAME = 200

Errors = dict[str, list[str]]


def _label(key: str) -> str:
    for part in (*COLUMNS, SUBJECT, TIMESTAMP_FORMAT, TIME_ZONE):
        if part.key == key:
            return str(part.label)
    for part in (*ACTIONS, *KINDS):
        if f"{part.key}_values" == key:
            return str(part.label)
    return key


def _add(errors: Errors, field: str, message: str, /, **params: Any) -> None:
    errors.setdefault(field, []).append(message % {"field": _label(field), **params})


def required_message(key: str) -> str:
    return gettext("%(field)s: give the column's name as the file's header line writes it.") % {
        "field": _label(key)
    }


def _check_columns(columns: Any, errors: Errors) -> None:
    if not isinstance(columns, dict):
        _add(errors, "mapping", gettext("The mapping needs a “columns” object."))
        return
    known = {part.key for part in COLUMNS} | {SUBJECT.key}
    for key in sorted(set(columns) - known):
        _add(
            errors,
            "mapping",
            gettext("The mapping has an unknown column entry “%(key)s”."),
            key=key,
        )
    used: dict[str, str] = {}
    for part in COLUMNS:
        value = columns.get(part.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if part.required:
                errors.setdefault(part.key, []).append(required_message(part.key))
            continue
        if not isinstance(value, str) or len(value) > LONGEST_NAME:
            _add(
                errors,
                part.key,
                gettext("%(field)s: give one column name of at most 200 characters."),
            )
            continue
        _claim(used, value.strip(), part.key, errors)
    subject = columns.get(SUBJECT.key, [])
    subject = [subject] if isinstance(subject, str) else subject
    if not isinstance(subject, list) or not all(isinstance(name, str) for name in subject):
        _add(errors, SUBJECT.key, gettext("%(field)s: give column names, one per line."))
        return
    for name in subject:
        if len(name) > LONGEST_NAME:
            _add(
                errors,
                SUBJECT.key,
                gettext("%(field)s: give one column name of at most 200 characters."),
            )
        else:
            _claim(used, name.strip(), SUBJECT.key, errors)


def _claim(used: dict[str, str], column: str, key: str, errors: Errors) -> None:
    """A column means one thing: the same header for two fields is a slip of the pen."""
    if column in used:
        _add(
            errors,
            key,
            gettext("%(field)s: the column “%(column)s” is already given for “%(other)s”."),
            column=column,
            other=_label(used[column]),
        )
    else:
        used[column] = key


def _check_words(words: Any, allowed: set[str], key: str, errors: Errors) -> None:
    """`actions` or `kinds`: what the log writes → what it means."""
    if words is None:
        return
    if not isinstance(words, dict):
        _add(
            errors,
            "mapping",
            gettext("“%(key)s” must map what the log writes to its meaning."),
            key=key,
        )
        return
    for written, meaning in words.items():
        if meaning not in allowed:
            _add(
                errors,
                "mapping",
                gettext(
                    "“%(key)s”: “%(written)s” maps to “%(meaning)s”, which is none of %(allowed)s."
                ),
                key=key,
                written=written,
                meaning=meaning,
                allowed=", ".join(sorted(allowed)),
            )


def _check_format(value: Any, errors: Errors) -> None:
    if value in (None, ""):
        return
    sample = datetime(2026, 11, 26, 9, 12, 30)  # noqa: DTZ001 - a format check, no moment
    try:
        if not isinstance(value, str) or "%" not in value:
            raise ValueError
        datetime.strptime(sample.strftime(value), value)  # noqa: DTZ007 - format check only
    except ValueError:
        _add(
            errors,
            TIMESTAMP_FORMAT.key,
            gettext(
                "%(field)s: “%(value)s” is not a time format (for example %%Y/%%m/%%d %%H:%%M:%%S)."
            ),
            value=value,
        )


def _check_zone(value: Any, errors: Errors) -> None:
    if value in (None, ""):
        return
    try:
        if not isinstance(value, str):
            raise ValueError
        ZoneInfo(value)
    except (ValueError, ZoneInfoNotFoundError):
        _add(
            errors,
            TIME_ZONE.key,
            gettext("%(field)s: “%(value)s” is not a time zone (for example Asia/Tokyo)."),
            value=value,
        )


def check_mapping(mapping: Any) -> Errors:
    """What makes `mapping` unusable, by field; empty when the importer can use it."""
    errors: Errors = {}
    if not isinstance(mapping, dict):
        _add(errors, "mapping", gettext("The mapping needs a “columns” object."))
        return errors
    for key in sorted(set(mapping) - KEYS):
        _add(errors, "mapping", gettext("The mapping has an unknown entry “%(key)s”."), key=key)
    _check_columns(mapping.get("columns"), errors)
    _check_words(mapping.get("actions"), {p.key for p in ACTIONS}, "actions", errors)
    _check_words(mapping.get("kinds"), KIND_VALUES, "kinds", errors)
    _check_format(mapping.get("timestamp_format"), errors)
    _check_zone(mapping.get("time_zone"), errors)
    return errors


# The form shows the mapping as one field per entry; the words as one value per line.


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def from_fields(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """The mapping the form's fields describe, and the words given twice (by field)."""
    errors: Errors = {}
    columns: dict[str, Any] = {
        part.key: data[part.key].strip() for part in COLUMNS if (data.get(part.key) or "").strip()
    }
    subject = _lines(data.get(SUBJECT.key) or "")
    if subject:
        columns[SUBJECT.key] = subject
    mapping: dict[str, Any] = {"columns": columns}
    for key, parts in (("actions", ACTIONS), ("kinds", KINDS)):
        words: dict[str, str] = {}
        for part in parts:
            for written in _lines(data.get(f"{part.key}_values") or ""):
                if written in words and words[written] != part.key:
                    _add(
                        errors,
                        f"{part.key}_values",
                        gettext("%(field)s: “%(value)s” is already given for “%(other)s”."),
                        value=written,
                        other=_label(f"{words[written]}_values"),
                    )
                words[written] = part.key
        if words:
            mapping[key] = words
    for part in (TIMESTAMP_FORMAT, TIME_ZONE):
        value = (data.get(part.key) or "").strip()
        if value:
            mapping[part.key] = value
    return mapping, errors


def to_fields(mapping: dict[str, Any]) -> dict[str, str]:
    """The form's initial values for `mapping`."""
    columns = mapping.get("columns") or {}
    fields = {part.key: str(columns.get(part.key) or "") for part in COLUMNS}
    subject = columns.get(SUBJECT.key) or []
    fields[SUBJECT.key] = "\n".join([subject] if isinstance(subject, str) else subject)
    for key, parts in (("actions", ACTIONS), ("kinds", KINDS)):
        words = mapping.get(key) or {}
        for part in parts:
            fields[f"{part.key}_values"] = "\n".join(w for w, m in words.items() if m == part.key)
    for part in (TIMESTAMP_FORMAT, TIME_ZONE):
        fields[part.key] = str(mapping.get(part.key) or "")
    return fields
