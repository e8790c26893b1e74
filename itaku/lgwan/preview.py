"""How a source's mapping reads the first lines of a file, without storing anything (4-4).

The manager tries a mapping (saved or not) on the head of an exported file before importing:
each line read as the importer would read it, or the reason it would be set aside. The lines are
parsed by the importer's own parser, so what the preview says is what the import will do. Nothing
is written: no file record, no lookup, no audit event. The subject's columns are never shown,
only whether the line names one (they may name a resident).
"""

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from itaku.core.bilingual import both
from itaku.lgwan import importer
from itaku.lgwan.models import LogSource, Lookup

# The head of a file is enough to see a mapping at work; a whole day's log is for the import.
LINES = 200
BYTES = 512 * 1024


@dataclass(frozen=True)
class Line:
    number: int
    values: dict[str, Any] | None = None
    reason: str = ""
    already_stored: bool = False


@dataclass
class Preview:
    refused: list[str] = field(default_factory=list)  # the whole file would be refused
    encoding: Any = ""
    delimiter: Any = ""
    header: list[str] = field(default_factory=list)
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
    encoding = importer.choose_encoding(source, raw_lines[0])
    result.encoding = LogSource.Encoding(encoding).label
    try:
        header_text = raw_lines[0].decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError:
        result.refused = [
            both(
                gettext_noop("Line 1 is not %(encoding)s: is the file in another encoding?"),
                encoding=result.encoding,
            )
        ]
        return result
    delimiter = "\t" if "\t" in header_text else ","  # as the importer decides
    result.delimiter = _("Tab (TSV)") if delimiter == "\t" else _("Comma (CSV)")
    result.header = [name.strip() for name in importer.split_fields(header_text, delimiter)]
    try:
        parser = importer.LineParser(source, importer.split_fields(header_text, delimiter))
    except ValidationError as error:
        result.refused = list(error.messages)
        return result
    keys: dict[str, int] = {}
    for number, raw in enumerate(raw_lines[1:], start=2):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
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
            values = parser.parse(importer.split_fields(text, delimiter))
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
    return result


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
