"""Import of the lookup logs the terminals' systems export (4-4).

CSV, TSV or another delimiter, UTF-8 or Shift_JIS (CP932), as the source's mapping says
(`itaku.lgwan.mapping.FileFormat`): columns named by the header line (so their order does not
matter) or, for a file without one, given by position. The file is read twice, line by line,
in constant memory: once for its SHA-256 and the Merkle root over its lines (a file already
imported stops here), once to store the lookups in batches. A line already stored — from this
file or an overlapping one — is not stored again (a unique key per source: terminal, ID, time
and a hash of the line's values). A bad line is set aside with its number and reason; the good
ones are stored. One audit event per file names its hash and Merkle root, so any single line
can later be proven part of it.
"""

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import chain, islice
from typing import IO, Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext_noop

from itaku.audit.log import record
from itaku.audit.verifier import Tree, tree_root
from itaku.core.bilingual import both
from itaku.core.dates import fiscal_year
from itaku.core.forms import within_calendar
from itaku.lgwan import apart
from itaku.lgwan.events import LgwanEvent
from itaku.lgwan.mapping import COLUMNS as MAPPED
from itaku.lgwan.mapping import SUBJECT, FileFormat
from itaku.lgwan.models import (
    Account,
    Application,
    LogFile,
    LogSource,
    Lookup,
    RejectedLine,
    Terminal,
)
from itaku.lgwan.rules import forget_day_counts
from itaku.lgwan.subjects import subject_hash
from itaku.people.models import Person

# Lines per batch: large enough that each batch costs the database few round trips, small
# enough that memory stays flat whatever the file's size.
BATCH = 20_000
# A file of at least this many bytes (some 80,000 lines) is read in a second process while this
# one stores it (`itaku.lgwan.apart`); a smaller one is over before a second process would pay.
APART = 8 << 20
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
    # A range of times holding every lookup this import stored (None when it stored none).
    first: datetime | None = None
    last: datetime | None = None

    def days(self) -> list[date]:
        """The days (in the city's zone) of the lookups this import stored, in order. The
        lookups are not indexed by file: read within the range of times the import gives."""
        if self.first is None or self.last is None:
            return []
        return sorted(
            {
                timezone.localdate(moment)
                for moment in Lookup.objects.filter(
                    file=self.file, occurred_at__gte=self.first, occurred_at__lte=self.last
                ).values_list("occurred_at", flat=True)
            }
        )


class LineRefused(Exception):
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


def choose_encoding(source: LogSource, first_line: bytes) -> str:
    """The source's encoding; when detected, UTF-8 unless the first line is not."""
    if source.encoding != LogSource.Encoding.AUTO:
        return str(source.encoding)
    try:
        first_line.decode("utf-8")
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8"


def _refuse_file(template: str, **params: Any) -> ValidationError:
    return ValidationError(both(template, **params))


def _field_label(key: str) -> Any:
    """A mapped field's name as the source form writes it (lazy: `both` renders each language)."""
    return next(part.label for part in (*MAPPED, SUBJECT) if part.key == key)


def _subject(columns: dict[str, Any]) -> list[Any]:
    subject = columns.get("subject", [])
    return subject if isinstance(subject, list) else [subject]


class LineParser:
    """Turns one decoded line into a Lookup, by the source's mapping.

    `first_line` is the file's first line cut into fields: the header naming the columns, or,
    for a source whose files have none, the first lookup, whose fields every line must match.
    A mapped column the first line lacks refuses the whole file, naming it.
    """

    def __init__(self, source: LogSource, first_line: list[str]) -> None:
        mapping = source.mapping
        columns = mapping.get("columns", {})
        layout = FileFormat.of(mapping)
        self.header, self.quote = layout.header, layout.quote
        self.width = len(first_line)
        find = self._named if layout.header else self._at
        if layout.header:
            self.names = {name.strip(): index for index, name in enumerate(first_line)}
            self._no_header_line(source, columns)
        self.index: dict[str, int] = {}
        for name in REQUIRED + OPTIONAL:
            column = columns.get(name)
            if column is None:
                if name in REQUIRED:
                    raise _refuse_file(
                        gettext_noop("The mapping of %(source)s names no column for “%(field)s”."),
                        source=source.name,
                        field=_field_label(name),
                    )
                continue
            self.index[name] = find(column, _field_label(name))
        self.subject = [find(column, _field_label("subject")) for column in _subject(columns)]
        self.format = mapping.get("timestamp_format", "")
        self.actions = {**DEFAULT_ACTIONS, **mapping.get("actions", {})}
        self.kinds = {**DEFAULT_KINDS, **mapping.get("kinds", {})}
        self.zone = ZoneInfo(mapping.get("time_zone", settings.TIME_ZONE))
        self.source_id = source.pk
        self.required = tuple(self.index[name] for name in REQUIRED)

    def _named(self, column: str, field: Any) -> int:
        if column not in self.names:
            raise _refuse_file(
                gettext_noop("Line 1: the header has no column “%(column)s” (for %(field)s)."),
                column=column,
                field=field,
            )
        return self.names[column]

    def _at(self, position: int, field: Any) -> int:
        """A column counted from 1; the first line says how many there are."""
        if position > self.width:
            raise _refuse_file(
                gettext_noop(
                    "Line 1: column %(column)d (for %(field)s) is beyond the line's %(count)d "
                    "fields: is the position or the delimiter wrong?"
                ),
                column=position,
                field=field,
                count=self.width,
            )
        return position - 1

    def _no_header_line(self, source: LogSource, columns: dict[str, Any]) -> None:
        """A first line that holds none of the mapped names is no header (or is cut by the
        wrong delimiter): say so rather than name the first missing column."""
        wanted = [c for key, c in columns.items() if key != "subject"] + _subject(columns)
        if wanted and not any(column in self.names for column in wanted):
            raise _refuse_file(
                gettext_noop(
                    "Line 1 holds none of the column names the mapping of %(source)s gives "
                    "(“%(column)s” …): is the delimiter right, and does the file have a header "
                    "line? Without one, give the columns by position."
                ),
                source=source.name,
                column=wanted[0],
            )

    def bind(self, encoding: str, delimiter: str, vendor: str) -> None:
        """How this file's lines are read and how its times go to the database."""
        self.encoding, self.delimiter, self.vendor = encoding, delimiter, vendor
        self.postgresql = vendor == "postgresql"
        # Per hour of the log as written, in the source's zone (see `_hour`).
        self.hours: dict[str, tuple[str, str | None, int]] = {}
        # The same by the first 13 characters of a time as the log writes it ("2026/11/26 09"),
        # for the lines whose time is that and ":MM:SS" (see `_remember`): the ISO 8601 hour,
        # the offset, the time as the database takes it up to its hour, the fiscal year.
        self.stamps: dict[str, tuple[str, str, str, int]] = {}

    def _time(self, text: str) -> datetime:
        """The time as written: without a zone (read in the source's zone), or with its own."""
        try:
            if self.format:
                return datetime.strptime(text, self.format)  # noqa: DTZ007 - zone set later
            return datetime.fromisoformat(text.replace("/", "-"))
        except ValueError:
            raise LineRefused(
                gettext_noop("Line %(line)d: “%(value)s” is not a date and time."), value=text
            ) from None

    def _hour(self, local: datetime) -> tuple[str, str | None, int] | None:
        """For a time written without a zone, what follows from its hour in the source's zone:
        the offset as ISO 8601 writes it, the hour in UTC as SQLite keeps it (None unless the
        offset is whole hours), the fiscal year (3-6). None for an hour whose offset or fiscal
        year changes within it. Kept for the next lines of that hour: they are most of a log."""
        start = local.replace(minute=0, second=0, microsecond=0, tzinfo=self.zone)
        end = start.replace(minute=59, second=59, microsecond=999999)
        offset = start.utcoffset() or timedelta(0)
        if end.utcoffset() != offset or fiscal_year(end) != fiscal_year(start):
            return None
        utc = start.replace(tzinfo=None) - offset
        whole = not offset % timedelta(hours=1)
        suffix = start.isoformat()[19:]
        hour = (suffix, str(utc)[:13] if whole else None, fiscal_year(start))
        self.hours[local.isoformat()[:13]] = hour
        return hour

    def _remember(self, stamp: str, local: str, hour: tuple[str, str | None, int]) -> None:
        """Keep an hour by its text as the log writes it: a time whose first 13 characters are
        those, followed by ":MM:SS", is that hour's minute and second (`datetime.fromisoformat`
        reads the 19 characters so), so the next lines of the hour skip parsing altogether."""
        database = local[:13] + hour[0] if self.postgresql else str(hour[1])
        self.stamps[stamp[:13]] = (local[:13], hour[0], database, hour[2])

    def _zoned(self, moment: datetime) -> tuple[str, str, int]:
        """The line's key time, its database time and fiscal year, worked out line by line."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        iso = moment.isoformat()
        if self.postgresql:
            return iso, iso, fiscal_year(moment)
        utc = moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta(0))
        return iso, str(utc), fiscal_year(moment)

    def _decode(self, raws: list[bytes], first: int) -> list[str | None]:
        texts: list[str | None]
        try:
            texts = [raw.decode(self.encoding) for raw in raws]
        except UnicodeDecodeError:
            texts = []
            for raw in raws:
                try:
                    texts.append(raw.decode(self.encoding))
                except UnicodeDecodeError:
                    texts.append(None)
        if first == 1 and texts and texts[0]:  # a file without a header line: BOM, then a lookup
            texts[0] = texts[0].lstrip("\ufeff")
        return texts

    def values(self, fields: list[str]) -> tuple[str, str, str, str, str, str, str, str, int]:
        """One line's values as the import stores them — terminal, ID, action, kind, receipt,
        subject hash, the time in ISO 8601 (for the line's key) and as the database takes it,
        the fiscal year — or `LineRefused`. The import and the preview read lines with it."""
        width, index, actions, kinds = self.width, self.index, self.actions, self.kinds
        at, on, by, act = self.required
        if len(fields) != width:
            raise LineRefused(
                gettext_noop(
                    "Line %(line)d: %(count)d fields where the header has %(width)d "
                    "(a line cut short?)."
                )
                if self.header
                else gettext_noop(
                    "Line %(line)d: %(count)d fields where line 1 has %(width)d "
                    "(a line cut short?)."
                ),
                count=len(fields),
                width=width,
            )
        stamp, terminal, account, written = (
            fields[at].strip(),
            fields[on].strip(),
            fields[by].strip(),
            fields[act].strip(),
        )
        if not (stamp and terminal and account and written):
            empty = (stamp, terminal, account, written).index("")
            raise LineRefused(
                gettext_noop("Line %(line)d: the field “%(field)s” is empty."),
                field=REQUIRED[empty],
            )
        action = actions.get(written)
        if action is None:
            raise LineRefused(
                gettext_noop("Line %(line)d: unknown action “%(value)s”."), value=written
            )
        kind = ""
        kind_at = index.get("kind")
        if kind_at is not None:
            kind = fields[kind_at].strip()
            if kind:
                kind = kinds.get(kind, Lookup.Kind.OTHER)
        receipt_at = index.get("receipt")
        receipt = fields[receipt_at].strip() if receipt_at is not None else ""
        if len(receipt) > 40 or len(terminal) > 40 or len(account) > 40:
            raise LineRefused(gettext_noop("Line %(line)d: a field is longer than 40 characters."))
        moment = self._time(stamp)
        # The ISO 8601 time with its offset (for the line's key), the time as the database
        # takes it (PostgreSQL reads that same text; SQLite keeps UTC without the zone, as
        # Django writes it there) and the fiscal year: for a time written without a zone,
        # from what its hour gives, worked out once an hour.
        hour = None
        if moment.tzinfo is None:
            local = moment.isoformat()
            hour = self.hours.get(local[:13]) or self._hour(moment)
        if hour is not None and (self.postgresql or hour[1] is not None):
            iso = local + hour[0]
            value = iso if self.postgresql else hour[1] + local[13:]  # type: ignore[operator]
            year = hour[2]
            if len(stamp) == 19 and stamp[13:] in MINUTES and not self.format:
                self._remember(stamp, local, hour)
        else:
            iso, value, year = self._zoned(moment)
        hashed = subject_hash(*[fields[i] for i in self.subject]) if self.subject else ""
        return terminal, account, action, kind, receipt, hashed, iso, value, year

    def parse(self, fields: list[str]) -> dict[str, Any]:
        """One line's values by name, for a line read on its own (the mapping's preview)."""
        if not hasattr(self, "hours"):
            self.bind("utf-8", ",", "postgresql")
        terminal, account, action, kind, receipt, hashed, iso, _value, _year = self.values(fields)
        return {
            "occurred_at": datetime.fromisoformat(iso),
            "terminal_name": terminal,
            "account_name": account,
            "action": action,
            "kind": kind,
            "receipt_number": receipt,
            "subject_hash": hashed,
        }

    def batch(self, raws: list[bytes], first: int, file_id: int, links: "_Links") -> "ReadBatch":
        """A batch of raw lines numbered from `first`, read (`ReadBatch`). One loop over plain
        tuples (lines of COPY text for PostgreSQL): no model instance, no dictionary per line.

        A line as most of a log writes it (its time "YYYY/MM/DD HH:MM:SS" or ISO 8601 without a
        zone, of an hour already seen, every field as expected) is read inline; any other goes
        through `values`, which reads it, or refuses it, field by field."""
        rows: list[Any] = []
        refused: list[tuple[int, str]] = []
        moments: list[str] = []
        moment = moments.append
        years: dict[int, int] = {}
        delimiter, values, postgresql = self.delimiter, self.values, self.postgresql
        # Without quoting a quote mark is text; "\n" never occurs in a line, so never splits.
        quote = self.quote or "\n"
        sha256 = hashlib.sha256
        terminals, accounts = links.terminals, links.accounts
        source_id = self.source_id
        width, stamps, minutes = self.width, self.stamps, MINUTES
        at, on, by, act = self.required
        actions, kinds = self.actions, self.kinds
        kind_at, receipt_at = self.index.get("kind"), self.index.get("receipt")
        subject = tuple(self.subject)
        other = Lookup.Kind.OTHER.value
        normalised: dict[str, str] = {}  # subject values in normal form, for this batch
        for number, text in enumerate(self._decode(raws, first), start=first):
            if text is None:
                refused.append(
                    (
                        number,
                        both(
                            gettext_noop("Line %(line)d is not %(encoding)s."),
                            line=number,
                            encoding=LogSource.Encoding(self.encoding).label,
                        ),
                    )
                )
                continue
            text = text.rstrip("\r\n")
            if not text or text.isspace():
                continue
            fields = (
                text.split(delimiter) if quote not in text else split_fields(text, delimiter, quote)
            )
            hour = None
            if len(fields) == width:
                stamp, terminal, account, written = (
                    fields[at].strip(),
                    fields[on].strip(),
                    fields[by].strip(),
                    fields[act].strip(),
                )
                hour = stamps.get(stamp[:13])
                action = actions.get(written)
                kind = fields[kind_at].strip() if kind_at is not None else ""
                receipt = fields[receipt_at].strip() if receipt_at is not None else ""
                if (
                    hour is None
                    or action is None
                    or len(stamp) != 19
                    or stamp[13:] not in minutes
                    or not terminal
                    or not account
                    or len(terminal) > 40
                    or len(account) > 40
                    or len(receipt) > 40
                ):
                    hour = None
            if hour is None:
                try:
                    terminal, account, action, kind, receipt, hashed, iso, value, year = values(
                        fields
                    )
                except LineRefused as refusal:
                    refused.append((number, refusal.reason(number)))
                    continue
            else:
                if kind:
                    kind = kinds.get(kind, other)
                rest = stamp[13:]
                iso = f"{hour[0]}{rest}{hour[1]}"
                value = iso if postgresql else hour[2] + rest
                year = hour[3]
                hashed = (
                    subject_hash(*[fields[i] for i in subject], normalised=normalised)
                    if subject
                    else ""
                )
            # line_key(), inline: the same key whatever the column order or the file.
            content = sha256(f"{action}\x1f{kind}\x1f{receipt}\x1f{hashed}".encode()).hexdigest()
            key = sha256(f"{terminal}\x1f{account}\x1f{iso}\x1f{content}".encode()).hexdigest()
            terminal_id, account_id = terminals.get(terminal), accounts.get(account)
            moment(iso)
            years[year] = years.get(year, 0) + 1
            if not postgresql:
                rows.append(
                    (
                        source_id,
                        file_id,
                        number,
                        key,
                        value,
                        terminal,
                        terminal_id,
                        account,
                        account_id,
                        action,
                        kind,
                        receipt,
                        hashed,
                        year,
                    )
                )
                continue
            # PostgreSQL takes the batch as COPY text, one line a row: cheaper than the driver
            # adapting each value. Only the log's own text may need escaping.
            if "\\" in text or "\t" in text or "\r" in text:
                terminal, account, receipt = (_copy_text(v) for v in (terminal, account, receipt))
            rows.append(
                f"{source_id}\t{file_id}\t{number}\t{key}\t{value}\t{terminal}\t"
                f"{NULL if terminal_id is None else terminal_id}\t{account}\t"
                f"{NULL if account_id is None else account_id}\t{action}\t{kind}\t{receipt}\t"
                f"{hashed}\t{year}\n"
            )
        times = (min(moments), max(moments)) if moments else None
        return ReadBatch(rows, refused, times, years)


class ReadBatch(NamedTuple):
    """What a batch of lines gave: its rows as the writer takes them, the lines refused with
    their reason, the earliest and latest time of a good line in ISO 8601 (None without one),
    and the good lines by fiscal year. Plain values only: it comes back from a second process
    as `marshal` data (`itaku.lgwan.apart`)."""

    rows: list[Any]
    refused: list[tuple[int, str]]
    times: tuple[str, str] | None
    years: dict[int, int]


# ":MM:SS", the end of a time "YYYY/MM/DD HH:MM:SS" whose hour `LineParser.stamps` knows.
MINUTES = frozenset(f":{minute:02d}:{second:02d}" for minute in range(60) for second in range(60))
NULL = "\\N"  # COPY's text format


def _copy_text(value: str) -> str:
    """A value as COPY's text format writes it."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def line_key(values: dict[str, Any]) -> str:
    """Terminal, ID, time and a hash of the line's values: the same lookup in any column order,
    from any file of the source, gives the same key. (`LineParser.batch` computes it inline.)"""
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


@dataclass
class _Links:
    """Terminals and IDs by the names the logs write, read once per file."""

    terminals: dict[str, int]
    accounts: dict[str, int]

    @classmethod
    def load(cls) -> "_Links":
        return cls(
            {t.name_in_logs: t.pk for t in Terminal.objects.all()},
            dict(Account.objects.values_list("account_id", "pk")),
        )


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
    "fiscal_year",
)
Row = tuple[Any, ...]
_NAMES = ", ".join(COLUMNS)
_PLACES = ", ".join(["%s"] * len(COLUMNS))
# Built from the constant column names above, never from input.
_INSERT = (
    f"INSERT INTO lgwan_lookup ({_NAMES}) VALUES ({_PLACES}) "  # noqa: S608
    "ON CONFLICT (occurred_at, source_id, line_key) DO NOTHING"
)
_INSERT_SQLITE = _INSERT.replace("%s", "?")
_COPY = f"COPY lgwan_lookup ({_NAMES}) FROM STDIN"
_COPY_LOAD = f"COPY lgwan_lookup_load ({_NAMES}) FROM STDIN"
_MOVE = (
    f"INSERT INTO lgwan_lookup ({_NAMES}) SELECT {_NAMES} FROM lgwan_lookup_load "  # noqa: S608
    "ON CONFLICT (occurred_at, source_id, line_key) DO NOTHING"
)


class _Writer:
    """Stores batches of lookup rows, a line already stored being skipped (ON CONFLICT), and
    counts how many it stored.

    The rows go to the database as plain tuples: building a model instance per line would cost
    more than the insert. PostgreSQL takes each batch by COPY straight into the lookups, under a
    savepoint: a batch that brings a line already stored (an overlapping file, a line twice)
    fails on the unique key as a whole, is rolled back to the savepoint and goes the slower way,
    by COPY into a temporary table and one INSERT … SELECT … ON CONFLICT DO NOTHING — as do the
    batches after it, since a file that overlaps once mostly overlaps again. The unique key
    decides either way, so two imports of the same lines at once still store them once. SQLite
    takes each batch by executemany with the same conflict clause, all in the import's one
    transaction. A batch is stored by a second thread on the
    same connection while the next one is read: the database works while Python parses. One
    batch at a time is in flight; `wait()` before anything else uses the connection.
    """

    def __init__(self) -> None:
        self.database = transaction.get_connection()
        self.vendor = self.database.vendor
        if self.vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError("lookup logs are imported into SQLite or PostgreSQL only")
        self.stored = 0
        self.direct = True  # COPY straight into the lookups, until a batch overlaps
        self.staging = False
        self.pending: Future[int] | None = None
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lgwan-import")

    def write(self, rows: list[Any]) -> None:
        self.wait()
        if rows:
            self.pending = self.thread.submit(self._store, rows)

    def wait(self) -> None:
        """Until the batch in flight is stored; its error, if any, is raised here."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self.stored += pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self.thread.shutdown()

    def _store(self, rows: list[Any]) -> int:
        # The driver's own connection: Django's wrapper belongs to the importing thread, which
        # waits for this batch before it uses the connection again.
        raw = self.database.connection
        if self.vendor == "postgresql":
            data = "".join(rows)
            with raw.cursor() as cursor:
                if self.direct and self._copy(cursor, data):
                    return len(rows)
                return self._move(cursor, data)
        cursor = raw.cursor()
        try:
            cursor.executemany(_INSERT_SQLITE, rows)
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def _copy(self, cursor: Any, data: str) -> bool:
        """The batch by COPY into the lookups; False, and nothing stored, when a line of it is
        there already."""
        cursor.execute("SAVEPOINT lgwan_lookup_batch")
        try:
            with cursor.copy(_COPY) as copy:
                copy.write(data)
        except self.database.Database.IntegrityError:
            cursor.execute("ROLLBACK TO SAVEPOINT lgwan_lookup_batch")
            self.direct = False
            return False
        cursor.execute("RELEASE SAVEPOINT lgwan_lookup_batch")
        return True

    def _move(self, cursor: Any, data: str) -> int:
        """The batch through a temporary table, the lines already stored skipped."""
        if not self.staging:
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS lgwan_lookup_load "
                "(LIKE lgwan_lookup INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            cursor.execute("ALTER TABLE lgwan_lookup_load ALTER COLUMN id DROP NOT NULL")
            self.staging = True
        with cursor.copy(_COPY_LOAD) as copy:
            copy.write(data)
        cursor.execute(_MOVE)
        stored = int(cursor.rowcount)
        cursor.execute("TRUNCATE lgwan_lookup_load")
        return stored


def split_fields(text: str, delimiter: str, quote: str = '"') -> list[str]:
    """One line's fields; `quote` encloses a field holding the delimiter (none when empty)."""
    if not quote or quote not in text:  # the common case, much quicker than the csv module
        return text.split(delimiter)
    return next(csv.reader([text], delimiter=delimiter, quotechar=quote))


def _file_sha256(stream: IO[bytes]) -> tuple[str, int]:
    """The file's SHA-256, read in large blocks, and its size in bytes."""
    digest = hashlib.sha256()
    size = 0
    while block := stream.read(1 << 20):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


@transaction.atomic
def import_log(
    source: LogSource,
    stream: IO[bytes],
    *,
    name: str,
    by: Person | None,
    progress: Progress | None = None,
) -> ImportResult:
    """Store the lookups of one file; the same file twice stores nothing the second time.

    The file is hashed first (a file this source already imported stops there), then read once
    more, in batches of BATCH lines: the Merkle root over its lines is taken on the way.
    """
    sha256, size = _file_sha256(stream)
    existing = LogFile.objects.filter(source=source, sha256=sha256).first()
    if existing is not None:
        return ImportResult(existing, already_imported=True)
    if not size:
        raise _refuse_file(gettext_noop("The file is empty: not even a header line."))
    stream.seek(0)
    lines: Iterator[bytes] = iter(stream)
    raw_header = next(lines)
    encoding = choose_encoding(source, raw_header)
    try:
        header_text = raw_header.decode(encoding).rstrip("\r\n").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise _refuse_file(
            gettext_noop("Line 1 is not %(encoding)s: is the file in another encoding?"),
            encoding=LogSource.Encoding(encoding).label,
        ) from None
    layout = FileFormat.of(source.mapping)
    delimiter = layout.delimiter_for(header_text)
    parser = LineParser(source, split_fields(header_text, delimiter, layout.quote))
    if not layout.header:  # the first line is a lookup like the others
        lines = chain([raw_header], lines)

    log_file = LogFile.objects.create(
        source=source,
        name=name[:255],
        sha256=sha256,
        lines_root="",
        imported_at=timezone.now(),
        imported_by=by,
    )
    writer = _Writer()
    parser.bind(encoding, delimiter, writer.vendor)
    try:
        lines_read = _store_lines(
            log_file, lines, raw_header, parser, writer, progress, apart_from_here=size >= APART
        )
    finally:
        writer.close()
    log_file.lines_root = lines_read.root
    log_file.lines = lines_read.count
    log_file.stored = writer.stored
    log_file.duplicates = lines_read.good - writer.stored
    log_file.rejected = lines_read.rejected
    log_file.save(update_fields=["lines_root", "lines", "stored", "duplicates", "rejected"])
    by_year, first, last = _stored_by_year(log_file, lines_read)
    if first is not None and last is not None:  # the volume rule's counts of those days
        forget_day_counts(first, last)
    record(
        LgwanEvent.LOG_IMPORTED,
        actor=by,
        target=log_file,
        changes={
            "source": source.name,
            "stored": log_file.stored,
            "duplicates": log_file.duplicates,
            "rejected": lines_read.rejected,
            "lookups_by_fiscal_year": {str(year): n for year, n in sorted(by_year.items())},
            # As itaku.audit.log.record_import writes it, computed while streaming.
            "file": {
                "name": name,
                "sha256": sha256,
                "lines": lines_read.count,
                "lines_root": lines_read.root,
            },
        },
    )
    return ImportResult(log_file, rejected=lines_read.shown, first=first, last=last)


def _stored_by_year(
    log_file: LogFile, lines_read: "_Read"
) -> tuple[dict[int, int], datetime | None, datetime | None]:
    """What the trail counts rather than names (3-6): the file's stored lookups by fiscal year,
    and a range of times holding them. When every good line was stored, they are the good lines
    as read. Otherwise (lines already stored) they are counted in the database among the lookups
    within the times the good lines span: the lookups are not indexed by file (an index the
    import would pay for on every line)."""
    if lines_read.span is None or not log_file.stored:
        return {}, None, None
    if log_file.stored == lines_read.good:
        return lines_read.years, *lines_read.span
    rows = list(
        Lookup.objects.filter(
            file=log_file,
            occurred_at__gte=lines_read.span[0],
            occurred_at__lte=lines_read.span[1],
        )
        .order_by()
        .values_list("fiscal_year")
        .annotate(n=Count("pk"), first=Min("occurred_at"), last=Max("occurred_at"))
    )
    first, last = min(row[2] for row in rows), max(row[3] for row in rows)
    return {year: n for year, n, _first, _last in rows}, first, last


@dataclass
class _Read:
    """What reading a file's lines gave: the Merkle root over them, their number, how many were
    good and how many refused, the first refusals to show, a range of times holding every good
    line's, and the good lines by fiscal year."""

    root: str
    count: int
    good: int
    rejected: int
    shown: list[tuple[int, str]]
    span: tuple[datetime, datetime] | None
    years: dict[int, int]


def _store_lines(
    log_file: LogFile,
    lines: Iterator[bytes],
    raw_header: bytes,
    parser: LineParser,
    writer: _Writer,
    progress: Progress | None,
    *,
    apart_from_here: bool,
) -> _Read:
    """Read the lines after the header in batches, in a second process when `apart_from_here`
    (`itaku.lgwan.apart`), and hand each to the writer; the Merkle root is taken here."""
    links = _Links.load()
    tree = Tree()  # over every line without its ending, the header line too
    count = read = 0
    if parser.header:  # without one, `lines` begins with the first line
        tree.extend([raw_header.rstrip(b"\r\n")])
        count, read = 1, len(raw_header)

    def numbered() -> Iterator[tuple[int, list[bytes]]]:
        first = count + 1
        while raws := list(islice(lines, BATCH)):
            yield first, raws
            first += len(raws)

    def parse(batch: tuple[int, list[bytes]]) -> tuple[Any, ...]:
        first, raws = batch
        return tuple(parser.batch(raws, first, log_file.pk, links))  # marshal takes plain tuples

    shown: list[tuple[int, str]] = []
    good = rejected = 0
    span: list[str] = []  # the earliest and latest time of a good line, in ISO 8601
    years: Counter[int] = Counter()
    for (first, raws), (rows, refused, times, batch_years) in apart.each(
        parse, numbered(), apart=apart_from_here
    ):
        writer.write(rows)
        tree.extend(raw.rstrip(b"\r\n") for raw in raws)
        if times is not None:
            span[:] = [min(span[:1] + [times[0]]), max(span[1:] + [times[1]])]
        good += len(rows)
        years.update(batch_years)
        if refused:
            rejected += len(refused)
            shown.extend(refused[: max(0, 100 - len(shown))])
            writer.wait()  # the connection is free again
            _set_aside(log_file, raws, first, refused)
        count += len(raws)
        read += sum(map(len, raws))
        if progress is not None:
            progress(read)
    if progress is not None:
        progress(read)
    return _Read(tree.root().hex(), count, good, rejected, shown, _around(span), dict(years))


def _around(span: list[str]) -> tuple[datetime, datetime] | None:
    """A range of times in UTC that holds every time from span[0] to span[1], ISO 8601 times
    with their own offsets (compared as written: a day either way covers any offset)."""
    if not span:
        return None
    first, last = (datetime.fromisoformat(moment[:19]).replace(tzinfo=UTC) for moment in span)
    return first - timedelta(days=1), last + timedelta(days=1)


def _set_aside(
    log_file: LogFile, raws: list[bytes], first: int, refused: list[tuple[int, str]]
) -> None:
    """The refused lines of a batch, by number and reason; their content stays in the file."""
    RejectedLine.objects.bulk_create(
        RejectedLine(
            file=log_file,
            line_number=number,
            line_sha256=hashlib.sha256(raws[number - first].rstrip(b"\r\n")).hexdigest(),
            reason=reason,
        )
        for number, reason in refused
    )


APPLICATION_COLUMNS = {"receipt": ("受付番号", "receipt_number"), "day": ("受付日", "day")}
# A day as spreadsheets write it too: 2026-01-05, 2026/01/05 or 2026/1/5.
APPLICATION_DAY = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
# Refused lines told with their reason, at most; the rest are counted (and numbered in the event).
TOLD_REFUSALS = 20


class ApplicationsResult(NamedTuple):
    added: int
    refused: list[tuple[int, str]]  # the first TOLD_REFUSALS, with their reasons
    rejected: int  # every refused line


@transaction.atomic
def import_applications(stream: IO[bytes], *, name: str, by: Person | None) -> ApplicationsResult:
    """Applications from a CSV with the columns 受付番号 and 受付日 (or receipt_number, day),
    stored a batch at a time, so a file of any length is read in constant memory."""
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
    header = [column.strip() for column in split_fields(header_text, delimiter)]
    index = {}
    for field_name, names in APPLICATION_COLUMNS.items():
        found = [header.index(n) for n in names if n in header]
        if not found:
            raise _refuse_file(
                gettext_noop("Line 1: the header has no column “%(column)s”."), column=names[0]
            )
        index[field_name] = found[0]
    now = timezone.now()
    before = Application.objects.count()
    batch: list[Application] = []
    refused: list[tuple[int, str]] = []
    rejected: list[int] = []
    for number, raw in enumerate(lines, start=2):
        try:
            fields = split_fields(raw.decode(encoding), delimiter)
            receipt = fields[index["receipt"]].strip()
            written = APPLICATION_DAY.fullmatch(fields[index["day"]].strip())
            if written is None or not receipt or len(receipt) > 40:
                raise ValueError
            day = date(*(int(part) for part in written.groups()))
            within_calendar(day)
        except (UnicodeDecodeError, ValueError, IndexError, ValidationError):
            if raw.strip():
                rejected.append(number)
                if len(refused) < TOLD_REFUSALS:
                    reason = gettext_noop(
                        "Line %(line)d: not a receipt number and a day (YYYY-MM-DD)."
                    )
                    refused.append((number, both(reason, line=number)))
            continue
        batch.append(Application(receipt_number=receipt, day=day, recorded_at=now))
        if len(batch) == BATCH:
            Application.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Application.objects.bulk_create(batch, ignore_conflicts=True)
    added = Application.objects.count() - before
    record(
        LgwanEvent.APPLICATIONS_IMPORTED,
        actor=by,
        changes={"file": name, "added": added, "rejected": rejected},
    )
    return ApplicationsResult(added, refused, len(rejected))
