"""A log source's column mapping: what each part means, and what makes one unusable (4-4).

The mapping is data (`LogSource.mapping`, docs/lgwan-import.md); the importer reads it. Besides
the columns it says how the source's files are cut into fields (`FileFormat`): the delimiter,
the quoting, and whether the first line is a header naming the columns or already a lookup (then
the columns are given by position, 1 for the first, as a clerk counts them). This module says,
field by field, what a mapping must hold, so the screen, the command line and the actions refuse
the same mistakes with the same words, each naming the field concerned. The errors are keyed by
the source form's field names (`itaku.lgwan.forms.SourceForm`).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.functional import Promise
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Part:
    """One entry of the mapping as the form shows it: its key, label and help."""

    key: str
    label: Promise
    help: Promise | str = ""
    required: bool = False


FIRST_LINE = Part(
    "first_line",
    _("First line of the file"),
    _(
        "Whether the file's first line names the columns. Without such a header line the first "
        "line is already a lookup, and each column below is given by its position."
    ),
    required=True,
)
DELIMITER = Part(
    "delimiter",
    _("Delimiter"),
    _(
        "What separates the fields. “Detected”: a tab in the first line makes the file TSV, "
        "otherwise CSV."
    ),
    required=True,
)
DELIMITER_OTHER = Part(
    "delimiter_other",
    _("The other delimiter"),
    _("One character, such as | or ;, when the delimiter is “another character”."),
)
QUOTE = Part(
    "quote",
    _("Quoting"),
    _("How the export writes a field that holds the delimiter."),
    required=True,
)
# The form's choices, and what the mapping keeps for each: the delimiter and the quote mark as
# the file writes them; a mapping without "delimiter" has it detected, as every source had
# before the delimiter could be given.
FIRST_LINE_CHOICES = (
    ("header", _("A header line naming the columns")),
    ("data", _("Already a lookup (no header line)")),
)
DELIMITER_CHOICES = (
    ("auto", _("Detected: tab or comma")),
    ("comma", _("Comma (CSV)")),
    ("tab", _("Tab (TSV)")),
    ("other", _("Another character")),
)
DELIMITERS = {"comma": ",", "tab": "\t"}
QUOTE_CHOICES = (
    ("double", _('Double quotes "…", as CSV usually does')),
    ("single", _("Single quotes '…'")),
    ("none", _("None: a quote mark is part of the value")),
)
QUOTES = {"double": '"', "single": "'", "none": ""}
LAYOUT = (FIRST_LINE, DELIMITER, DELIMITER_OTHER, QUOTE)
# A column's position is counted from 1, as a clerk reads a file; more than this is a typo.
LAST_POSITION = 1000


@dataclass(frozen=True)
class FileFormat:
    """How a source's files are cut into fields, from its mapping. A mapping that says nothing
    is read as every file was before these could be given: a header line, the delimiter
    detected, fields in double quotes."""

    delimiter: str = ""  # empty: detected from the first line
    quote: str = '"'  # empty: no quoting, a quote mark is an ordinary character
    header: bool = True

    @classmethod
    def of(cls, mapping: dict[str, Any]) -> "FileFormat":
        return cls(
            delimiter=mapping.get("delimiter", ""),
            quote=mapping.get("quote", '"'),
            header=mapping.get("header", True),
        )

    def delimiter_for(self, first_line: str) -> str:
        """The delimiter of a file whose first line (decoded) is `first_line`."""
        if self.delimiter:
            return self.delimiter
        return "\t" if "\t" in first_line else ","


def delimiter_label(delimiter: str) -> str:
    """A delimiter in words, for the screens."""
    named = {",": _("Comma (CSV)"), "\t": _("Tab (TSV)"), " ": _("Space")}
    if delimiter in named:
        return str(named[delimiter])
    return gettext("“%(character)s”") % {"character": delimiter}


def quote_label(quote: str) -> str:
    for key, label in QUOTE_CHOICES:
        if QUOTES[key] == quote:
            return str(label)
    return quote


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
        "One column per line (住民票コード, 識別符号, 氏名 …), by name or by position as above. "
        "Never stored: kept only as a keyed hash."
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
KEYS = {
    "columns",
    "actions",
    "kinds",
    "timestamp_format",
    "time_zone",
    "delimiter",
    "quote",
    "header",
}
KIND_VALUES = {"resident", "koseki", "other"}
LONGEST_NAME = 200

Errors = dict[str, list[str]]
Column = str | int  # a header's name, or a position counted from 1 in a file without one


def _label(key: str) -> str:
    for part in (*LAYOUT, *COLUMNS, SUBJECT, TIMESTAMP_FORMAT, TIME_ZONE):
        if part.key == key:
            return str(part.label)
    for part in (*ACTIONS, *KINDS):
        if f"{part.key}_values" == key:
            return str(part.label)
    return key


def _add(errors: Errors, field: str, message: str, /, **params: Any) -> None:
    errors.setdefault(field, []).append(message % {"field": _label(field), **params})


def required_message(key: str, header: bool = True) -> str:
    if not header:
        return gettext("%(field)s: give the column's position (1 for the first column).") % {
            "field": _label(key)
        }
    return gettext("%(field)s: give the column's name as the file's header line writes it.") % {
        "field": _label(key)
    }


def _column_problem(value: Any, header: bool) -> str:
    """Why `value` names no column of a file with (or without) a header line; empty if it does."""
    if header:
        if not isinstance(value, str) or len(value) > LONGEST_NAME:
            return gettext("%(field)s: give one column name of at most 200 characters.")
        if value.strip().isdecimal():
            return gettext(
                "%(field)s: “%(value)s” is a position, but the file's first line is a header "
                "line: give the column's name, or choose “%(choice)s” for the first line."
            )
        return ""
    if isinstance(value, str):
        return gettext(
            "%(field)s: the file has no header line, so give the column's position as a number "
            "(1 for the first column), not “%(value)s”."
        )
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LAST_POSITION:
        return gettext(
            "%(field)s: a column's position is a whole number from 1 (the first column) to "
            "%(last)d, not “%(value)s”."
        )
    return ""


def _hints() -> dict[str, Any]:
    """What a column's refusal may point to: the last position, the choice to make instead."""
    return {"last": LAST_POSITION, "choice": dict(FIRST_LINE_CHOICES)["data"]}


def _check_columns(columns: Any, header: bool, errors: Errors) -> None:
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
    used: dict[Column, str] = {}
    for part in COLUMNS:
        value = columns.get(part.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if part.required:
                errors.setdefault(part.key, []).append(required_message(part.key, header))
            continue
        problem = _column_problem(value, header)
        if problem:
            _add(errors, part.key, problem, value=value, **_hints())
            continue
        _claim(used, value.strip() if isinstance(value, str) else value, part.key, errors)
    subject = columns.get(SUBJECT.key, [])
    subject = subject if isinstance(subject, list) else [subject]
    if header and not all(isinstance(name, str) for name in subject):
        _add(errors, SUBJECT.key, gettext("%(field)s: give column names, one per line."))
        return
    for column in subject:
        problem = _column_problem(column, header)
        if problem:
            _add(errors, SUBJECT.key, problem, value=column, **_hints())
        else:
            _claim(used, column.strip() if isinstance(column, str) else column, SUBJECT.key, errors)


def _claim(used: dict[Column, str], column: Column, key: str, errors: Errors) -> None:
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


def _check_layout(mapping: dict[str, Any], errors: Errors) -> bool:
    """The delimiter, the quoting and the first line; whether the file has a header line."""
    header = mapping.get("header", True)
    if not isinstance(header, bool):
        _add(
            errors,
            FIRST_LINE.key,
            gettext("%(field)s: “header” is true (a header line) or false, not “%(value)s”."),
            value=header,
        )
        header = True
    quote = mapping.get("quote", '"')
    if quote not in QUOTES.values():
        _add(
            errors,
            QUOTE.key,
            gettext("%(field)s: “%(value)s” is none of \" ' or nothing (no quoting)."),
            value=quote,
        )
    delimiter = mapping.get("delimiter")
    if delimiter is None:
        return header
    if (
        not isinstance(delimiter, str)
        or len(delimiter) != 1
        or delimiter in "\r\n"
        or delimiter.isalnum()
    ):
        _add(
            errors,
            DELIMITER.key,
            gettext(
                "%(field)s: give one character that is neither a letter nor a digit, such as | "
                "or ;, not “%(value)s”."
            ),
            value=delimiter,
        )
    elif delimiter == quote:
        _add(
            errors,
            DELIMITER.key,
            gettext("%(field)s: “%(value)s” is the quote mark; it cannot separate the fields too."),
            value=delimiter,
        )
    return header


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
    header = _check_layout(mapping, errors)
    _check_columns(mapping.get("columns"), header, errors)
    _check_words(mapping.get("actions"), {p.key for p in ACTIONS}, "actions", errors)
    _check_words(mapping.get("kinds"), KIND_VALUES, "kinds", errors)
    _check_format(mapping.get("timestamp_format"), errors)
    _check_zone(mapping.get("time_zone"), errors)
    return errors


def mapping_problems(mapping: Any) -> list[str]:
    """`check_mapping`'s refusals for the command line: each in Japanese, then in English."""
    languages = []
    for language in ("ja", "en"):
        with override(language):
            languages.append([p for problems in check_mapping(mapping).values() for p in problems])
    return [ja if ja == en else f"{ja}\n{en}" for ja, en in zip(*languages, strict=True)]


# The form shows the mapping as one field per entry; the words as one value per line.


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _column(text: str, header: bool) -> Column:
    """A column as typed: a position when the file has no header line (full-width digits too)."""
    text = text.strip()
    return int(text) if not header and text.isdecimal() else text


def _layout_from_fields(data: dict[str, Any], mapping: dict[str, Any], errors: Errors) -> bool:
    header = (data.get(FIRST_LINE.key) or "header") != "data"
    mapping["header"] = header
    delimiter = data.get(DELIMITER.key) or "auto"
    if delimiter == "other":
        other = data.get(DELIMITER_OTHER.key) or ""
        if other:
            mapping["delimiter"] = other
        else:
            _add(
                errors,
                DELIMITER_OTHER.key,
                gettext("%(field)s: give the one character that separates the fields."),
            )
    elif delimiter in DELIMITERS:
        mapping["delimiter"] = DELIMITERS[delimiter]
    mapping["quote"] = QUOTES.get(data.get(QUOTE.key) or "double", '"')
    return header


def from_fields(data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """The mapping the form's fields describe, and the words given twice (by field)."""
    errors: Errors = {}
    mapping: dict[str, Any] = {}
    header = _layout_from_fields(data, mapping, errors)
    columns: dict[str, Any] = {
        part.key: _column(data[part.key], header)
        for part in COLUMNS
        if (data.get(part.key) or "").strip()
    }
    subject = [_column(line, header) for line in _lines(data.get(SUBJECT.key) or "")]
    if subject:
        columns[SUBJECT.key] = subject
    mapping["columns"] = columns
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
    layout = FileFormat.of(mapping)
    fields = {
        FIRST_LINE.key: "header" if layout.header else "data",
        QUOTE.key: next((key for key, quote in QUOTES.items() if quote == layout.quote), "double"),
        DELIMITER_OTHER.key: "",
    }
    if not layout.delimiter:
        fields[DELIMITER.key] = "auto"
    else:
        named = [key for key, delimiter in DELIMITERS.items() if delimiter == layout.delimiter]
        fields[DELIMITER.key] = named[0] if named else "other"
        if not named:
            fields[DELIMITER_OTHER.key] = layout.delimiter
    columns = mapping.get("columns") or {}
    fields |= {part.key: str(columns.get(part.key) or "") for part in COLUMNS}
    subject = columns.get(SUBJECT.key) or []
    subject = subject if isinstance(subject, list) else [subject]
    fields[SUBJECT.key] = "\n".join(str(column) for column in subject)
    for key, parts in (("actions", ACTIONS), ("kinds", KINDS)):
        words = mapping.get(key) or {}
        for part in parts:
            fields[f"{part.key}_values"] = "\n".join(w for w, m in words.items() if m == part.key)
    for part in (TIMESTAMP_FORMAT, TIME_ZONE):
        fields[part.key] = str(mapping.get(part.key) or "")
    return fields
