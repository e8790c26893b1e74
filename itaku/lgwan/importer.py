"""Import of the lookup logs the terminals' systems export (4-4).

CSV or TSV, UTF-8 or Shift_JIS (CP932), columns named by the source's mapping (so the column
order does not matter). The file is read twice, line by line, in constant memory: once for its
SHA-256 and the Merkle root over its lines (a file already imported stops here), once to store
the lookups in batches. A line already stored — from this file or an overlapping one — is not
stored again (a unique key per source: terminal, ID, time and a hash of the line's values). A
bad line is set aside with its number and reason; the good ones are stored. One audit event per
file names its hash and Merkle root, so any single line can later be proven part of it.
"""

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from itaku.audit.log import record
from itaku.audit.verifier import tree_root
from itaku.core.bilingual import both
from itaku.lgwan.events import LgwanEvent
from itaku.lgwan.models import (
    Account,
    Application,
    LogFile,
    LogSource,
    Lookup,
    RejectedLine,
    Terminal,
)
from itaku.lgwan.subjects import subject_hash
from itaku.people.models import Person

BATCH = 5000
REQUIRED = ("timestamp", "terminal", "account", "action")
OPTIONAL = ("kind", "receipt")
# What the logs write for each action and kind, unless the source's mapping says otherwise.
DEFAULT_ACTIONS = {
    "照会": "lookup",
    "lookup": "lookup",
    "ログイン": "login",
    "login": "login",
    "ログアウト": "logout",
    "logout": "logout",
}
DEFAULT_KINDS = {
    "本人確認情報": "resident",
    "住基": "resident",
    "resident": "resident",
    "戸籍": "koseki",
    "戸籍情報連携": "koseki",
    "koseki": "koseki",
}

Progress = Callable[[int], None]


@dataclass
class ImportResult:
    file: LogFile
    already_imported: bool = False
    # The first rejected lines, (line number, reason), for the screen and the command.
    rejected: list[tuple[int, str]] = field(default_factory=list)


class _Refused(Exception):
    """A line that cannot be stored: a message naming `%(line)d`, and its parameters."""

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template)
        self.template, self.params = template, params

    def reason(self, line: int) -> str:
        return both(self.template, line=line, **self.params)


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    """Each line without its line ending; `bytes.splitlines` would read the file at once."""
    for raw in stream:
        yield raw.rstrip(b"\r\n")


def fingerprint(stream: IO[bytes]) -> tuple[str, str, int]:
    """SHA-256 of the file, the Merkle root over its lines and their number, in one pass."""
    digest = hashlib.sha256()
    count = 0

    def lines() -> Iterator[bytes]:
        nonlocal count
        for raw in stream:
            digest.update(raw)
            count += 1
            yield raw.rstrip(b"\r\n")

    root = tree_root(lines())
    return digest.hexdigest(), root.hex(), count


def _decoder(source: LogSource, header: bytes) -> str:
    if source.encoding != LogSource.Encoding.AUTO:
        return str(source.encoding)
    try:
        header.decode("utf-8")
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8"


def _refuse_file(template: str, **params: Any) -> ValidationError:
    return ValidationError(both(template, **params))


class _Parser:
    """Turns one decoded line into a Lookup, by the source's mapping."""

    def __init__(self, source: LogSource, header: list[str]) -> None:
        mapping = source.mapping
        columns = mapping.get("columns", {})
        positions = {name.strip(): index for index, name in enumerate(header)}
        self.width = len(header)
        self.index: dict[str, int] = {}
        for name in REQUIRED + OPTIONAL:
            column = columns.get(name)
            if column is None:
                if name in REQUIRED:
                    raise _refuse_file(
                        gettext_noop("The mapping of %(source)s names no column for “%(field)s”."),
                        source=source.name,
                        field=name,
                    )
                continue
            if column not in positions:
                raise _refuse_file(
                    gettext_noop("Line 1: the header has no column “%(column)s” (for %(field)s)."),
                    column=column,
                    field=name,
                )
            self.index[name] = positions[column]
        subject = columns.get("subject", [])
        subject = [subject] if isinstance(subject, str) else subject
        missing = [column for column in subject if column not in positions]
        if missing:
            raise _refuse_file(
                gettext_noop("Line 1: the header has no column “%(column)s” (for subject)."),
                column=missing[0],
            )
        self.subject = [positions[column] for column in subject]
        self.format = mapping.get("timestamp_format", "")
        self.actions = {**DEFAULT_ACTIONS, **mapping.get("actions", {})}
        self.kinds = {**DEFAULT_KINDS, **mapping.get("kinds", {})}
        self.zone = ZoneInfo(mapping.get("time_zone", settings.TIME_ZONE))
        self.source_id = source.pk

    def _time(self, text: str) -> datetime:
        try:
            if self.format:
                moment = datetime.strptime(text, self.format)  # noqa: DTZ007 - zone set below
            else:
                moment = datetime.fromisoformat(text.replace("/", "-"))
        except ValueError:
            raise _Refused(
                gettext_noop("Line %(line)d: “%(value)s” is not a date and time."), value=text
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return moment

    def parse(self, fields: list[str]) -> dict[str, Any]:
        if len(fields) != self.width:
            raise _Refused(
                gettext_noop(
                    "Line %(line)d: %(count)d fields where the header has %(width)d "
                    "(a line cut short?)."
                ),
                count=len(fields),
                width=self.width,
            )
        get = self.index.get
        values = {name: fields[i].strip() for name, i in self.index.items()}
        for name in REQUIRED:
            if not values[name]:
                raise _Refused(
                    gettext_noop("Line %(line)d: the field “%(field)s” is empty."), field=name
                )
        action = self.actions.get(values["action"])
        if action is None:
            raise _Refused(
                gettext_noop("Line %(line)d: unknown action “%(value)s”."), value=values["action"]
            )
        kind = ""
        if get("kind") is not None and values["kind"]:
            kind = self.kinds.get(values["kind"], Lookup.Kind.OTHER)
        receipt = values.get("receipt", "")
        if len(receipt) > 40 or len(values["terminal"]) > 40 or len(values["account"]) > 40:
            raise _Refused(gettext_noop("Line %(line)d: a field is longer than 40 characters."))
        return {
            "occurred_at": self._time(values["timestamp"]),
            "terminal_name": values["terminal"],
            "account_name": values["account"],
            "action": action,
            "kind": kind,
            "receipt_number": receipt,
            "subject_hash": subject_hash(*(fields[i] for i in self.subject)),
        }


def line_key(values: dict[str, Any]) -> str:
    """Terminal, ID, time and a hash of the line's values: the same lookup in any column order,
    from any file of the source, gives the same key."""
    moment = values["occurred_at"].isoformat()
    content = "\x1f".join(
        (
            values["action"],
            values["kind"],
            values["receipt_number"],
            values["subject_hash"],
        )
    )
    line_hash = hashlib.sha256(content.encode()).hexdigest()
    key = f"{values['terminal_name']}\x1f{values['account_name']}\x1f{moment}\x1f{line_hash}"
    return hashlib.sha256(key.encode()).hexdigest()


COLUMNS = (
    "source_id",
    "file_id",
    "line_number",
    "line_key",
    "occurred_at",
    "terminal_name",
    "terminal_id",
    "account_name",
    "account_id",
    "action",
    "kind",
    "receipt_number",
    "subject_hash",
)
Row = tuple[Any, ...]
_NAMES = ", ".join(COLUMNS)
_PLACES = ", ".join(["%s"] * len(COLUMNS))
# Built from the constant column names above, never from input.
_INSERT = (
    f"INSERT INTO lgwan_lookup ({_NAMES}) VALUES ({_PLACES}) "  # noqa: S608
    "ON CONFLICT (source_id, line_key) DO NOTHING"
)
_COPY = f"COPY lgwan_lookup_load ({_NAMES}) FROM STDIN"
_MOVE = (
    f"INSERT INTO lgwan_lookup ({_NAMES}) SELECT {_NAMES} FROM lgwan_lookup_load "  # noqa: S608
    "ON CONFLICT (source_id, line_key) DO NOTHING"
)


class _Writer:
    """Stores batches of lookup rows, a line already stored being skipped (ON CONFLICT).

    The rows go to the database as plain tuples: building a model instance per line would cost
    more than the insert. PostgreSQL takes each batch by COPY into a temporary table, then one
    INSERT … ON CONFLICT DO NOTHING; SQLite by executemany with the same conflict clause.
    """

    def __init__(self) -> None:
        self.database = transaction.get_connection()
        self.vendor = self.database.vendor
        if self.vendor == "postgresql":
            with self.database.cursor() as cursor:
                cursor.execute(
                    "CREATE TEMPORARY TABLE IF NOT EXISTS lgwan_lookup_load "
                    "(LIKE lgwan_lookup INCLUDING DEFAULTS) ON COMMIT DROP"
                )
                cursor.execute("ALTER TABLE lgwan_lookup_load ALTER COLUMN id DROP NOT NULL")

    def adapt(self, moment: datetime) -> Any:
        if self.vendor == "postgresql":
            return moment
        if self.vendor == "sqlite":  # as Django stores it there: UTC, without the zone
            return str(moment.astimezone(UTC).replace(tzinfo=None))
        return self.database.ops.adapt_datetimefield_value(moment)

    def write(self, rows: list[Row]) -> None:
        if not rows:
            return
        with self.database.cursor() as cursor:
            if self.vendor == "postgresql":
                raw = cursor.cursor  # the driver's own cursor, for COPY
                with raw.copy(_COPY) as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(_MOVE)
                cursor.execute("TRUNCATE lgwan_lookup_load")
            else:
                cursor.executemany(_INSERT, rows)


def _split(text: str, delimiter: str) -> list[str]:
    if '"' not in text:  # the common case, much quicker than the csv module
        return text.split(delimiter)
    return next(csv.reader([text], delimiter=delimiter))


@transaction.atomic
def import_log(
    source: LogSource,
    stream: IO[bytes],
    *,
    name: str,
    by: Person | None,
    progress: Progress | None = None,
) -> ImportResult:
    """Store the lookups of one file; the same file twice stores nothing the second time."""
    sha256, root, count = fingerprint(stream)
    existing = LogFile.objects.filter(source=source, sha256=sha256).first()
    if existing is not None:
        return ImportResult(existing, already_imported=True)
    if count == 0:
        raise _refuse_file(gettext_noop("The file is empty: not even a header line."))
    stream.seek(0)
    lines = iter(stream)
    raw_header = next(lines)
    encoding = _decoder(source, raw_header)
    try:
        header_text = raw_header.decode(encoding).rstrip("\r\n").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise _refuse_file(
            gettext_noop("Line 1 is not %(encoding)s: is the file in another encoding?"),
            encoding=LogSource.Encoding(encoding).label,
        ) from None
    delimiter = "\t" if "\t" in header_text else ","
    parser = _Parser(source, _split(header_text, delimiter))

    log_file = LogFile.objects.create(
        source=source,
        name=name[:255],
        sha256=sha256,
        lines_root=root,
        lines=count,
        imported_at=timezone.now(),
        imported_by=by,
    )
    terminals = {t.name_in_logs: t.pk for t in Terminal.objects.all()}
    accounts = dict(Account.objects.values_list("account_id", "pk"))
    writer = _Writer()
    batch: list[Row] = []
    rejects: list[RejectedLine] = []
    shown: list[tuple[int, str]] = []
    good = rejected = 0
    read = len(raw_header)
    for number, raw in enumerate(lines, start=2):
        read += len(raw)
        if progress is not None and number % 1000 == 0:
            progress(read)
        try:
            text = raw.decode(encoding).rstrip("\r\n")
        except UnicodeDecodeError:
            reason = both(
                gettext_noop("Line %(line)d is not %(encoding)s."),
                line=number,
                encoding=LogSource.Encoding(encoding).label,
            )
        else:
            if not text.strip():
                continue
            try:
                values = parser.parse(_split(text, delimiter))
            except _Refused as refused:
                reason = refused.reason(number)
            else:
                good += 1
                batch.append(
                    (
                        source.pk,
                        log_file.pk,
                        number,
                        line_key(values),
                        writer.adapt(values["occurred_at"]),
                        values["terminal_name"],
                        terminals.get(values["terminal_name"]),
                        values["account_name"],
                        accounts.get(values["account_name"]),
                        values["action"],
                        values["kind"],
                        values["receipt_number"],
                        values["subject_hash"],
                    )
                )
                if len(batch) >= BATCH:
                    writer.write(batch)
                    batch = []
                continue
        rejected += 1
        if len(shown) < 100:
            shown.append((number, reason))
        rejects.append(
            RejectedLine(
                file=log_file,
                line_number=number,
                line_sha256=hashlib.sha256(raw.rstrip(b"\r\n")).hexdigest(),
                reason=reason,
            )
        )
        if len(rejects) >= BATCH:
            RejectedLine.objects.bulk_create(rejects)
            rejects = []
    writer.write(batch)
    RejectedLine.objects.bulk_create(rejects)
    if progress is not None:
        progress(read)
    log_file.stored = Lookup.objects.filter(file=log_file).count()
    log_file.duplicates = good - log_file.stored
    log_file.rejected = rejected
    log_file.save(update_fields=["stored", "duplicates", "rejected"])
    record(
        LgwanEvent.LOG_IMPORTED,
        actor=by,
        target=log_file,
        changes={
            "source": source.name,
            "stored": log_file.stored,
            "duplicates": log_file.duplicates,
            "rejected": rejected,
            # As itaku.audit.log.record_import writes it, computed while streaming.
            "file": {"name": name, "sha256": sha256, "lines": count, "lines_root": root},
        },
    )
    return ImportResult(log_file, rejected=shown)


APPLICATION_COLUMNS = {"receipt": ("受付番号", "receipt_number"), "day": ("受付日", "day")}


@transaction.atomic
def import_applications(
    stream: IO[bytes], *, name: str, by: Person | None
) -> tuple[int, list[tuple[int, str]]]:
    """Applications from a CSV with the columns 受付番号 and 受付日 (or receipt_number, day)."""
    lines = _lines(stream)
    try:
        raw_header = next(lines)
    except StopIteration:
        raise _refuse_file(gettext_noop("The file is empty: not even a header line.")) from None
    encoding = "utf-8"
    try:
        header_text = raw_header.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError:
        encoding = "cp932"
        header_text = raw_header.decode(encoding, errors="replace")
    delimiter = "\t" if "\t" in header_text else ","
    header = [column.strip() for column in _split(header_text, delimiter)]
    index = {}
    for field_name, names in APPLICATION_COLUMNS.items():
        found = [header.index(n) for n in names if n in header]
        if not found:
            raise _refuse_file(
                gettext_noop("Line 1: the header has no column “%(column)s”."), column=names[0]
            )
        index[field_name] = found[0]
    now = timezone.now()
    batch: list[Application] = []
    problems: list[tuple[int, str]] = []
    for number, raw in enumerate(lines, start=2):
        try:
            fields = _split(raw.decode(encoding), delimiter)
            receipt = fields[index["receipt"]].strip()
            day = datetime.fromisoformat(fields[index["day"]].strip().replace("/", "-")).date()
            if not receipt or len(receipt) > 40:
                raise ValueError
        except (UnicodeDecodeError, ValueError, IndexError):
            if raw.strip():
                problems.append(
                    (
                        number,
                        both(
                            gettext_noop(
                                "Line %(line)d: not a receipt number and a day (YYYY-MM-DD)."
                            ),
                            line=number,
                        ),
                    )
                )
            continue
        batch.append(Application(receipt_number=receipt, day=day, recorded_at=now))
    before = Application.objects.count()
    for start in range(0, len(batch), BATCH):
        Application.objects.bulk_create(batch[start : start + BATCH], ignore_conflicts=True)
    added = Application.objects.count() - before
    record(
        LgwanEvent.APPLICATIONS_IMPORTED,
        actor=by,
        changes={"file": name, "added": added, "rejected": [n for n, _ in problems]},
    )
    return added, problems
