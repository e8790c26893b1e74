"""How a source's mapping reads the first lines of a file, without storing anything (4-4).

The manager tries a mapping (saved or not) on the head of an exported file before importing:
the first lines cut into fields under the chosen delimiter, quoting and first line, then each
line read as the importer would read it, or the reason it would be set aside. The lines are
parsed by the importer's own parser, so what the preview says is what the import will do. Nothing
is written: no file record, no lookup, no audit event. The subject's columns, and the columns
the mapping leaves out, are never shown, only whether they are empty (they may name a
resident).
"""

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from itaku.core.bilingual import both
from itaku.lgwan import importer, mapping
from itaku.lgwan.models import LogSource, Lookup

# The head of a file is enough to see a mapping at work; a whole day's log is for the import.
LINES = 200
BYTES = 512 * 1024
# Lines shown cut into their fields: enough to see the columns line up.
SPLIT_LINES = 6
# The mapped fields in a word, as the lines' table heads them.
SHORT = {
    "timestamp": _("Time"),
    "terminal": _("Terminal"),
    "account": _("LGWAN ID"),
    "action": _("Action"),
    "kind": _("Kind"),
    "receipt": _("Receipt number"),
    "subject": _("Subject"),
}


@dataclass(frozen=True)
class Line:
    number: int
    values: dict[str, Any] | None = None
    reason: str = ""
    already_stored: bool = False


@dataclass(frozen=True)
class Column:
    """One column of the file as the split lines show it."""

    position: int  # counted from 1
    field: Any = ""  # the mapped field, in a word; empty when the mapping leaves it out


@dataclass(frozen=True)
class Cell:
    text: str = ""
    hidden: bool = False  # may name a resident: only whether it is empty is shown
    empty: bool = False
    missing: bool = False  # the line has fewer fields than the widest line shown


@dataclass(frozen=True)
class Split:
    """A line cut into fields under the chosen delimiter and quoting."""

    number: int
    cells: list[Cell]
    header: bool = False


@dataclass
class Preview:
    refused: list[str] = field(default_factory=list)  # the whole file would be refused
    encoding: Any = ""
    delimiter: Any = ""
    quote: Any = ""
    first_line: Any = ""
    header: list[str] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    split: list[Split] = field(default_factory=list)
    hints: list[Any] = field(default_factory=list)  # likely mistakes in the settings
    lines: list[Line] = field(default_factory=list)
    cut: bool = False  # the file goes on beyond what was read

    @property
    def good(self) -> int:
        return sum(1 for line in self.lines if line.values is not None)

    @property
    def bad(self) -> int:
        return sum(1 for line in self.lines if line.values is None)

    @property
    def already_stored(self) -> int:
        return sum(1 for line in self.lines if line.already_stored)


def _head(stream: IO[bytes]) -> tuple[list[bytes], bool]:
    """The first lines of the stream, within LINES and BYTES; whether more followed."""
    lines: list[bytes] = []
    size = 0
    for raw in stream:
        if len(lines) > LINES or size + len(raw) > BYTES:
            return lines, True
        lines.append(raw.rstrip(b"\r\n"))
        size += len(raw)
    return lines, False


def preview(source: LogSource, stream: IO[bytes]) -> Preview:
    """Read the head of `stream` with `source`'s mapping and encoding; store nothing."""
    raw_lines, cut = _head(stream)
    result = Preview(cut=cut)
    if not raw_lines:
        result.refused = [both(gettext_noop("The file is empty: not even a header line."))]
        return result
    layout = mapping.FileFormat.of(source.mapping)
    encoding = importer.choose_encoding(source, raw_lines[0])
    result.encoding = LogSource.Encoding(encoding).label
    try:
        first_text = raw_lines[0].decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError:
        result.refused = [
            both(
                gettext_noop("Line 1 is not %(encoding)s: is the file in another encoding?"),
                encoding=result.encoding,
            )
        ]
        return result
    delimiter = layout.delimiter_for(first_text)
    result.delimiter = mapping.delimiter_label(delimiter)
    if not layout.delimiter:
        result.delimiter = _("%(delimiter)s, detected") % {"delimiter": result.delimiter}
    result.quote = mapping.quote_label(layout.quote)
    result.first_line = dict(mapping.FIRST_LINE_CHOICES)["header" if layout.header else "data"]
    first = importer.split_fields(first_text, delimiter, layout.quote)
    if layout.header:
        result.header = [name.strip() for name in first]
    try:
        parser = importer.LineParser(source, first)
    except ValidationError as error:
        result.refused = list(error.messages)
        parser = None
    texts = _decoded(raw_lines, encoding)
    _split(result, source, layout, delimiter, texts, accepted=parser is not None)
    if parser is None:
        return result
    keys: dict[str, int] = {}
    start = 2 if layout.header else 1
    for number, text in enumerate(texts[start - 1 :], start=start):
        if text is None:
            reason = both(
                gettext_noop("Line %(line)d is not %(encoding)s."),
                line=number,
                encoding=result.encoding,
            )
            result.lines.append(Line(number, reason=reason))
            continue
        if not text.strip():
            continue
        try:
            values = parser.parse(importer.split_fields(text, delimiter, layout.quote))
        except importer.LineRefused as refused:
            result.lines.append(Line(number, reason=refused.reason(number)))
            continue
        keys[importer.line_key(values)] = number
        result.lines.append(Line(number, values=_shown(values)))
    stored = _stored(source, keys)
    result.lines = [
        Line(line.number, line.values, line.reason, already_stored=line.number in stored)
        for line in result.lines
    ]
    opening = result.lines[0] if result.lines else None
    if not layout.header and opening and opening.number == 1 and opening.values is None:
        result.hints.append(
            _(
                "Line 1 was set aside: if it names the columns, choose “%(choice)s” for the "
                "first line of the file."
            )
            % {"choice": dict(mapping.FIRST_LINE_CHOICES)["header"]}
        )
    return result


def _decoded(raw_lines: list[bytes], encoding: str) -> list[str | None]:
    texts: list[str | None] = []
    for raw in raw_lines:
        try:
            texts.append(raw.decode(encoding))
        except UnicodeDecodeError:
            texts.append(None)
    if texts[0] is not None:
        texts[0] = texts[0].lstrip("\ufeff")
    return texts


def _split(
    result: Preview,
    source: LogSource,
    layout: mapping.FileFormat,
    delimiter: str,
    texts: list[str | None],
    *,
    accepted: bool,
) -> None:
    """The first lines cut into fields, each column headed by the field mapped to it."""
    fields_of: dict[Any, str] = {}
    for key, column in source.mapping.get("columns", {}).items():
        for one in column if isinstance(column, list) else [column]:
            fields_of[one] = key
    split = [
        (number, importer.split_fields(text, delimiter, layout.quote))
        for number, text in enumerate(texts[:SPLIT_LINES], start=1)
        if text is not None
    ]
    width = max(len(cells) for _number, cells in split)
    if layout.header:  # line 1 decoded, or the preview stopped there
        keys = [fields_of.get(name.strip(), "") for name in split[0][1]]
    else:
        keys = [fields_of.get(position, "") for position in range(1, width + 1)]
    keys += [""] * (width - len(keys))
    result.columns = [Column(n, SHORT.get(key, "")) for n, key in enumerate(keys, start=1)]
    for number, cells in split:
        header = layout.header and number == 1
        shown = [_cell(text, key, header, accepted) for text, key in zip(cells, keys, strict=False)]
        shown += [Cell(missing=True)] * (width - len(shown))
        result.split.append(Split(number, shown, header=header))
    if width == 1 and split[0][1][0].strip():
        result.hints.append(_("Line 1 is a single field: is the delimiter right?"))


def _cell(text: str, key: str, header: bool, accepted: bool) -> Cell:
    """A field as the screen may show it. Of the lookups, only the mapped columns' values: the
    subject's and the columns left out may name a resident. A header line is shown when the
    parser took it as one (else it may be a lookup), or the names in it the mapping gives."""
    visible = (accepted or bool(key)) if header else key not in ("", "subject")
    return Cell(text) if visible else Cell(hidden=True, empty=not text.strip())


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    """What the line says, for the screen: never the subject itself."""
    return {
        "occurred_at": values["occurred_at"],
        "terminal": values["terminal_name"],
        "account": values["account_name"],
        "action": Lookup.Action(values["action"]).label,
        "kind": Lookup.Kind(values["kind"]).label if values["kind"] else "",
        "receipt": values["receipt_number"],
        "subject": bool(values["subject_hash"]),
    }


def _stored(source: LogSource, keys: dict[str, int]) -> set[int]:
    """The line numbers whose lookup this (saved) source already holds."""
    if source.pk is None or not keys:
        return set()
    found = Lookup.objects.filter(source=source, line_key__in=list(keys)).values_list(
        "line_key", flat=True
    )
    return {keys[key] for key in found}
