"""The daily review's anomaly rules (4-4): functions here, switched on and tuned as data.

A review reads the day once for all its rules together, never once per rule nor once per
lookup. Each rule says what it judges (`Read`):

- `LINES`: each line by itself; `SEQUENCES`: a line with the one before it, of the same ID or
  on the same terminal. Such a rule gives its condition on the line (`Condition`), and the
  read returns only the lines some enabled rule picks, each with the rules that picked it.
- `OUTSIDE`: the lines made while the ID's owner was not inside the terminal's area (the entry
  log, 4-2); `VOLUME`: the day's lookups per ID with the ID's baseline of the days before.
  Such a rule judges the rows the read gives it.

On PostgreSQL the whole day is one statement (`_read_in_one`): the day's lines are read once
and every read above is a common table expression over them. Elsewhere (SQLite) the reads are
a window query built by the ORM and a statement each for the sharing signal and the volume
(`_read_apart`); both give the same rows, and the tests run on both databases.

`review_day` stores each finding once (a key per rule and object), so running the review again
adds only what is new. A `Rule` row turns a rule off or changes its parameters; without a row a
rule runs with its defaults.
"""

import enum
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lag
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from itaku.area.models import Passage
from itaku.lgwan.models import (
    Account,
    Application,
    DayCount,
    Finding,
    Lookup,
    Rule,
    Terminal,
    is_business_day,
)


@dataclass(frozen=True)
class Found:
    key: str
    detail: str
    lookup_id: int | None = None
    account_id: int | None = None
    owner_id: int | None = None


@dataclass(frozen=True)
class Day:
    day: date
    start: datetime
    end: datetime

    @classmethod
    def of(cls, day: date) -> "Day":
        zone = timezone.get_current_timezone()
        start = datetime.combine(day, time(0), tzinfo=zone)
        return cls(day, start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))

    def lookups(self) -> QuerySet[Lookup]:
        return Lookup.objects.filter(occurred_at__gte=self.start, occurred_at__lt=self.end)


class Read(enum.StrEnum):
    LINES = "lines"
    SEQUENCES = "sequences"
    OUTSIDE = "outside"
    VOLUME = "volume"


Params = dict[str, Any]
# A line as the reads return it: `LINE_FIELDS`.
Line = dict[str, Any]
LINE_FIELDS = (
    "pk",
    "occurred_at",
    "terminal_name",
    "account_name",
    "action",
    "receipt_number",
    "account_id",
    "owner_id",
)
# The volume rule's rows: per ID, the day's lookups, its baseline's total and days used, and
# on how many of the baseline's days the counts were kept (`_read_in_one` only).
Volume = dict[str, Any]
VOLUME_COLUMNS = ("account_name", "account_id", "owner_id", "n", "total", "used", "counted")


@dataclass(frozen=True)
class Condition:
    """Which lines a rule of the lines or the sequences picks, in the two forms of the reads,
    side by side so that they say the same: `q` for the ORM's window query (`_day_in_order`'s
    fields), `sql` for PostgreSQL's one statement (the columns of `_lines_part`), with `params`
    for its `%s` in order."""

    q: Q
    sql: str
    params: tuple[Any, ...] = ()


# The condition of a rule of the lines or the sequences.
Test = Callable[["Day", Params], Condition]
# The findings of the rows a rule was given (lines in time order, or volumes).
Report = Callable[["Day", str, Params, list[Any]], list[Found]]


@dataclass(frozen=True)
class RuleSpec:
    code: str
    clause_id: str
    label: Promise
    read: Read
    report: Report
    test: Test | None = None  # the lines and the sequences
    # Sequences: how far before the day the rule looks.
    looks_back: Callable[[Params], timedelta] | None = None
    defaults: Params = field(default_factory=dict)


RULES: dict[str, RuleSpec] = {}
PICKS = (Read.LINES, Read.SEQUENCES)


def rule(
    code: str,
    clause_id: str,
    label: Promise,
    read: Read,
    report: Report | None = None,
    looks_back: Callable[[Params], timedelta] | None = None,
    **defaults: Any,
) -> Callable[[Any], Any]:
    """Register a rule: for the lines and the sequences the function gives the condition and
    `report` the findings of the lines picked; for the others the function is the report."""

    def register(find: Any) -> Any:
        test, judge = (find, report) if read in PICKS else (None, find)
        assert judge is not None  # noqa: S101 - a rule of the lines names its report
        RULES[code] = RuleSpec(code, clause_id, label, read, judge, test, looks_back, defaults)
        return find

    return register


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M:%S")


def _where(line: Line) -> str:
    return f"{_local(line['occurred_at'])} {line['terminal_name']} / {line['account_name']}"


def each(text: Callable[[Line], str]) -> Report:
    """One finding per line, `text` saying which."""

    def report(day: Day, code: str, params: Params, lines: list[Line]) -> list[Found]:
        return [
            Found(
                f"{code}:{line['pk']}",
                text(line),
                lookup_id=line["pk"],
                account_id=line["account_id"],
                owner_id=line["owner_id"],
            )
            for line in lines
        ]

    return report


def per_id(day: Day, code: str, params: Params, lines: list[Line]) -> list[Found]:
    """One finding per ID and day, naming the first time and how many lines."""
    grouped: dict[tuple[str, int | None, int | None], list[datetime]] = defaultdict(list)
    for line in lines:
        grouped[line["account_name"], line["account_id"], line["owner_id"]].append(
            line["occurred_at"]
        )
    return [
        Found(
            f"{code}:{day.day.isoformat()}:{name}",
            f"{name} {_local(min(times))}〜 ({len(times)})",
            account_id=account,
            owner_id=owner,
        )
        for (name, account, owner), times in sorted(
            grouped.items(),
            key=lambda item: (
                item[0][0],
                item[0][1] is None,
                item[0][1] or 0,
                item[0][2] is None,
                item[0][2] or 0,
            ),
        )
    ]


# The rules ------------------------------------------------------------------------------

LOOKUP, LOGIN, LOGOUT = Lookup.Action.LOOKUP, Lookup.Action.LOGIN, Lookup.Action.LOGOUT


@rule("no_receipt", "4-4", _("A lookup without a receipt number"), Read.LINES, report=each(_where))
def no_receipt(day: Day, params: Params) -> Condition:
    return Condition(
        Q(action=LOOKUP, receipt_number=""), "action = %s AND receipt_number = ''", (LOOKUP,)
    )


@rule(
    "unknown_receipt",
    "4-4",
    _("A receipt number matching no application of the day"),
    Read.LINES,
    report=each(lambda line: f"{_where(line)} #{line['receipt_number']}"),
)
def unknown_receipt(day: Day, params: Params) -> Condition:
    # The day's receipt numbers read once (a hashed set), not probed once per line.
    known = Application.objects.filter(day=day.day).values("receipt_number")
    return Condition(
        Q(action=LOOKUP) & ~Q(receipt_number="") & ~Q(receipt_number__in=known),
        "action = %s AND receipt_number <> '' AND receipt_number NOT IN ("  # noqa: S608
        f"SELECT receipt_number FROM {Application._meta.db_table} WHERE day = %s)",
        (LOOKUP, day.day),
    )


# The sharing rule reads the passages of this many days before the day with the day's: nearly
# everyone enters every working day, and the longest closures (年末年始) are shorter.
LOOKBACK = timedelta(days=7)


def _outside_sql(start: datetime, end: datetime) -> tuple[str, list[Any]]:
    """4-2: common table expressions that end in `outside(lid, who)`: of the lookups of a
    `used(lid, at, who, place)` defined before them (all from `start` to before `end`), those
    made while the ID's owner was not inside the terminal's area: the owner's latest standing
    passage of that area at the lookup's moment is not an entry. Plain SQL that SQLite and
    PostgreSQL read alike.

    Set-based, whatever the number of lookups, and without sorting them: each standing passage
    of the days before (`LOOKBACK`) and of the lookups' own span holds from its moment until
    the owner's next passage of that area (in time order, then by ID), and each lookup is
    joined with the one passage holding at its moment, per owner and area (only the passages
    holding at some moment from `start` on are kept for the join). A passage at the lookup's
    very moment counts. A lookup before any passage of those days takes the owner's
    latest passage before them (one index probe per such owner and area, never per lookup).
    """
    table = Passage._meta.db_table
    moment = connection.ops.adapt_datetimefield_value
    # Standing: admitted, not cancelled, not replaced by a correction (`Passage.effective`).
    standing = (
        "outcome = %s AND NOT cancelled AND id NOT IN ("  # noqa: S608
        f"SELECT corrects_id FROM {table} WHERE corrects_id IS NOT NULL)"
    )
    admitted = Passage.Outcome.ADMITTED.value
    # Built from constant names, never from input.
    sql = f"""
        recent AS (
            SELECT * FROM (
                SELECT person_id AS who, area_id AS place, occurred_at AS at,
                    direction AS way, LEAD(occurred_at) OVER (
                        PARTITION BY person_id, area_id ORDER BY occurred_at, id
                    ) AS until
                FROM {table} WHERE {standing} AND occurred_at >= %s AND occurred_at < %s
            ) held_from WHERE until IS NULL OR until > %s
        ),
        held AS (
            SELECT lid, used.who, used.place, recent.way FROM used
            LEFT JOIN recent ON recent.who = used.who AND recent.place = used.place
                AND recent.at <= used.at AND (recent.until IS NULL OR used.at < recent.until)
        ),
        unseen AS (
            SELECT who, place, (
                SELECT direction FROM {table} p
                WHERE p.person_id = pair.who AND p.area_id = pair.place AND {standing}
                    AND p.occurred_at < %s
                ORDER BY p.occurred_at DESC, p.id DESC LIMIT 1
            ) AS way
            FROM (SELECT DISTINCT who, place FROM held WHERE way IS NULL) pair
        ),
        outside AS (
            SELECT lid, held.who FROM held
            LEFT JOIN unseen ON held.way IS NULL
                AND unseen.who = held.who AND unseen.place = held.place
            WHERE COALESCE(held.way, unseen.way, '') <> %s
        )
    """  # noqa: S608
    before = start - LOOKBACK
    return sql, [
        admitted,
        moment(before),
        moment(end),
        moment(start),
        admitted,
        moment(before),
        Passage.Direction.ENTRY.value,
    ]


@rule(
    "owner_not_inside", "4-2", _("An ID used while its owner was not inside the area"), Read.OUTSIDE
)
def owner_not_inside(day: Day, code: str, params: Params, lines: list[Line]) -> list[Found]:
    """The lines of `_outside_sql`, one finding each."""
    return each(_where)(day, code, params, lines)


@rule(
    "two_terminals",
    "4-2",
    _("One ID on two terminals at once"),
    Read.SEQUENCES,
    report=per_id,
    looks_back=lambda params: timedelta(minutes=int(params["window_minutes"])),
    window_minutes=5,
)
def two_terminals(day: Day, params: Params) -> Condition:
    """A line on another terminal than the ID's line before it, within the window: the ID
    was on two terminals at once."""
    window = timedelta(minutes=int(params["window_minutes"]))
    return Condition(
        Q(id_previous_at__gte=F("occurred_at") - window)
        & ~Q(id_previous_terminal=F("terminal_name")),
        "id_previous_at >= occurred_at - %s AND id_previous_terminal <> terminal_name",
        (window,),
    )


@rule(
    "off_hours",
    "4-4",
    _("Lookups outside office hours"),
    Read.LINES,
    report=per_id,
    opens="08:30",
    closes="17:30",
)
def off_hours(day: Day, params: Params) -> Condition:
    if not is_business_day(day.day):
        return Condition(Q(action=LOOKUP), "action = %s", (LOOKUP,))
    zone = timezone.get_current_timezone()
    opens = datetime.combine(day.day, time.fromisoformat(params["opens"]), tzinfo=zone)
    closes = datetime.combine(day.day, time.fromisoformat(params["closes"]), tzinfo=zone)
    return Condition(
        Q(action=LOOKUP) & (Q(occurred_at__lt=opens) | Q(occurred_at__gt=closes)),
        "action = %s AND (occurred_at < %s OR occurred_at > %s)",
        (LOOKUP, opens, closes),
    )


@rule(
    "volume",
    "4-4",
    _("Far more lookups than the person's own baseline"),
    Read.VOLUME,
    factor=3,
    baseline_days=28,
    minimum=20,
)
def volume(day: Day, code: str, params: Params, rows: list[Volume]) -> list[Found]:
    """The day's count per ID against its mean over the days it was used before, from the
    counts per ID and day (`DayCount`, `day_counts`)."""
    found = []
    for row in rows:
        if not row["used"] or row["n"] < int(params["minimum"]):
            continue
        baseline = row["total"] / row["used"]
        if row["n"] > float(params["factor"]) * baseline:
            found.append(
                Found(
                    f"{code}:{day.day.isoformat()}:{row['account_name']}",
                    f"{row['account_name']} {row['n']} / {baseline:.1f}",
                    account_id=row["account_id"],
                    owner_id=row["owner_id"],
                )
            )
    return found


def _baseline_since(day: Day, params: Params) -> date:
    return day.day - timedelta(days=int(params["baseline_days"]))


def day_counts(first: date, end: date) -> dict[str, tuple[int, int]]:
    """Per ID, its lookups from `first` to before `end` and on how many of those days it made
    any: one grouped query over the kept counts per ID and day, the days not yet counted
    counted first (one grouped query over those days only) and kept."""
    kept = DayCount.objects.filter(day__gte=first, day__lt=end)
    summed = (
        kept.values("account_name")
        .annotate(total=Sum("lookups"), used=Count("pk", filter=Q(lookups__gt=0)), rows=Count("pk"))
        .order_by()
    )
    found = {row["account_name"]: row for row in summed}
    # The row with an empty ID marks a day as counted.
    if (found[""]["rows"] if "" in found else 0) < (end - first).days:
        _count_days(kept, first, end)
        found = {row["account_name"]: row for row in summed.all()}
    return {
        name: (row["total"], row["used"]) for name, row in found.items() if name and row["used"]
    }


def _count_days(kept: QuerySet[DayCount], first: date, end: date) -> None:
    counted = set(kept.filter(account_name="").values_list("day", flat=True))
    missing = [
        first + timedelta(days=n)
        for n in range((end - first).days)
        if first + timedelta(days=n) not in counted
    ]
    zone = timezone.get_current_timezone()
    start = datetime.combine(missing[0], time(0), tzinfo=zone)
    stop = datetime.combine(missing[-1] + timedelta(days=1), time(0), tzinfo=zone)
    per_day = (
        Lookup.objects.filter(action=LOOKUP, occurred_at__gte=start, occurred_at__lt=stop)
        .values("account_name", on=F("occurred_at__date"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [DayCount(account_name="", day=each) for each in missing]
    rows += [
        DayCount(account_name=entry["account_name"], day=entry["on"], lookups=entry["n"])
        for entry in per_day
        if entry["on"] in set(missing) and entry["account_name"]
    ]
    DayCount.objects.bulk_create(rows, ignore_conflicts=True)


def forget_day_counts(first: datetime, last: datetime) -> None:
    """New lookups from `first` to `last`: the counts of those days are worked out again."""
    DayCount.objects.filter(
        day__gte=timezone.localdate(first), day__lte=timezone.localdate(last)
    ).delete()


@rule("unknown_id", "4-2", _("An ID not issued to anyone at that time"), Read.LINES, report=per_id)
def unknown_id(day: Day, params: Params) -> Condition:
    return Condition(
        Q(account__isnull=True)
        | Q(account__issued_at__gt=F("occurred_at"))
        | Q(account__revoked_at__lte=F("occurred_at")),
        "account_id IS NULL OR issued_at > occurred_at OR revoked_at <= occurred_at",
    )


def per_terminal_and_id(day: Day, code: str, params: Params, lines: list[Line]) -> list[Found]:
    """One finding per terminal and ID of the day, naming the first time and how many lines."""
    grouped: dict[tuple[str, str], list[Line]] = defaultdict(list)
    for line in lines:
        grouped[line["terminal_name"], line["account_name"]].append(line)
    return [
        Found(
            f"{code}:{day.day.isoformat()}:{terminal}:{account}",
            f"{terminal} / {account} {_local(group[0]['occurred_at'])}〜 ({len(group)})",
            account_id=group[0]["account_id"],
            owner_id=group[0]["owner_id"],
        )
        for (terminal, account), group in sorted(grouped.items())
    ]


@rule(
    "unknown_terminal",
    "4-1",
    _("A terminal the register does not have in service"),
    Read.LINES,
    report=per_terminal_and_id,
)
def unknown_terminal(day: Day, params: Params) -> Condition:
    """A terminal the register did not know when its lines were imported, or retired by that
    day: no one verifies that it keeps no personal data and blocks external media (4-1, 4-3).
    Like an ID, a terminal is registered before its logs are imported; lines imported earlier
    keep their finding, which the manager closes with what was found out."""
    return Condition(
        Q(terminal__isnull=True) | Q(terminal__retired_on__lte=day.day),
        "terminal_id IS NULL OR retired_on <= %s",
        (day.day,),
    )


def left_open(day: Day, code: str, params: Params, lines: list[Line]) -> list[Found]:
    """The day's logins whose next login or logout (same terminal, same ID) is not a logout;
    at one moment the logout counts first. The session ends at the next login, or at the day's
    end when there is none: a logout after that does not close it.

    The day's logins and logouts come from the lines; a login with none after it that day is
    settled by the first login and the first logout after the day of its terminal and ID (one
    index probe each per terminal and ID, never per login)."""
    moments: dict[tuple[str, str], dict[datetime, set[str]]] = defaultdict(lambda: defaultdict(set))
    for line in lines:
        moments[line["terminal_name"], line["account_name"]][line["occurred_at"]].add(
            line["action"]
        )
    times = {pair: sorted(at) for pair, at in moments.items()}
    found, pending = [], defaultdict(list)
    for line in lines:
        if line["action"] != LOGIN:
            continue
        pair = (line["terminal_name"], line["account_name"])
        later = bisect_right(times[pair], line["occurred_at"])
        if later == len(times[pair]):
            pending[pair].append(line)
        elif LOGOUT not in moments[pair][times[pair][later]]:
            found.append(line)
    for pair, (login_at, logout_at) in _after(day, list(pending)).items():
        logged_out = logout_at is not None and (login_at is None or logout_at <= login_at)
        if not (logged_out and (logout_at == day.end or login_at is not None)):
            found += pending[pair]
    found.sort(key=lambda line: (line["occurred_at"], line["pk"]))
    return each(_where)(day, code, params, found)


def _after(
    day: Day, pairs: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[datetime | None, datetime | None]]:
    """The first login and the first logout from the day's end on, of each terminal and ID."""

    def first(action: str) -> Callable[..., QuerySet[Any]]:
        return lambda terminal, account: (
            Lookup.objects.filter(
                terminal_name=terminal,
                account_name=account,
                action=action,
                occurred_at__gte=day.end,
            )
            .order_by("occurred_at", "pk")
            .values("pk")
        )

    probed = first_of_each([first(LOGIN), first(LOGOUT)], pairs)
    ids = [pk for row in probed for pk in row if pk is not None]
    at = dict(Lookup.objects.filter(pk__in=ids).values_list("pk", "occurred_at")) if ids else {}
    return {
        pair: (at.get(login) if login else None, at.get(logout) if logout else None)
        for pair, (login, logout) in zip(pairs, probed, strict=True)
    }


@rule(
    "open_session",
    "4-5",
    _("A session with no logout"),
    Read.LINES,
    report=left_open,
)
def open_session(day: Day, params: Params) -> Condition:
    return Condition(Q(action__in=[LOGIN, LOGOUT]), "action IN (%s, %s)", (LOGIN, LOGOUT))


@rule(
    "idle_past_lock",
    "4-5",
    _("A terminal used on after idling past its screen lock"),
    Read.SEQUENCES,
    report=each(_where),
)
def idle_past_lock(day: Day, params: Params) -> Condition:
    """After the lock the login screen comes back: a lookup after a longer pause with no new
    login means the lock did not work (4-5). Not after a logout: the login screen was there."""
    return Condition(
        Q(action=LOOKUP, idle_for__gt=F("screen_lock")) & ~Q(terminal_previous_action=LOGOUT),
        "action = %s AND occurred_at - terminal_previous_at"
        " > screen_lock_minutes * INTERVAL '1 minute' AND terminal_previous_action <> %s",
        (LOOKUP, LOGOUT),
    )


# The reads ------------------------------------------------------------------------------


def first_of_each(
    queries: list[Callable[..., QuerySet[Any]]], keys: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """For each of `keys`, the first value of each of `queries` (ordered, one column) built
    with the key's values, in one statement: one index probe each, never one per line. Each
    query is built once, with stand-ins where the key's values go."""
    if not keys:
        return []
    stand_ins = [f"\x00itaku-value-{n}" for n in range(len(keys[0]))]
    parts = [_sql(query(*stand_ins)[:1]) for query in queries]
    # Built from the ORM's own SQL, never from input; the key's place kept with its values.
    select = "SELECT %s, " + ", ".join(f"({sql})" for sql, _params in parts)
    template = [param for _sql, params in parts for param in params]
    slots = [
        stand_ins.index(p) if isinstance(p, str) and p in stand_ins else None for p in template
    ]
    every: list[Any] = []
    for number, key in enumerate(keys):
        every.append(number)
        every += [p if slot is None else key[slot] for p, slot in zip(template, slots, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([select] * len(keys)), every)
        rows = sorted(cursor.fetchall())
    return [tuple(row[1:]) for row in rows]


def _sql(query: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)


def _since(day: Day, enabled: dict[str, Params]) -> datetime:
    """From when the day's lines are read: the window before the day the sequences look back
    to (the lines before the day only lead the day's into the window)."""
    return day.start - max(
        (spec.looks_back(enabled[spec.code]) for spec in _specs(enabled) if spec.looks_back),
        default=timedelta(0),
    )


def _specs(enabled: dict[str, Params], *reads: Read) -> list[RuleSpec]:
    return [RULES[code] for code in enabled if not reads or RULES[code].read in reads]


def _condition(spec: RuleSpec, day: Day, params: Params) -> Condition:
    assert spec.test is not None  # noqa: S101 - every rule of the lines or sequences tests
    return spec.test(day, params)


# A part of the one statement: its common table expressions, their parameters, and the
# SELECT that gives its rows (`_columns`).
Part = tuple[str, list[Any], str]


def _read_in_one(day: Day, enabled: dict[str, Params]) -> dict[str, list[Any]]:
    """PostgreSQL: every rule's rows in one statement. The day's lines (from `_since`) are read
    once, joined with their ID and terminal, each with the line before it (`_lines_part`),
    and kept; the lines the rules pick, the sharing signal's and the volumes are common table
    expressions over them, their rows put together by UNION ALL, each tagged with its part.

    The volume's baseline comes from the kept counts per ID and day; on the first review after
    an import touched those days (fewer days counted than the baseline's), `day_counts` counts
    them, in statements of its own."""
    parts = [
        part
        for part in (
            _picked_part(day, enabled),
            _outside_part(day, enabled),
            _volume_part(day, enabled),
        )
        if part is not None
    ]
    if not parts:
        return {}
    lines_sql, lines_params = _lines_part(day, enabled)
    sql = (
        f"WITH {lines_sql}, "
        + ", ".join(ctes for ctes, _params, _select in parts)
        + " "
        + " UNION ALL ".join(select for _ctes, _params, select in parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*lines_params, *(p for _ctes, params, _s in parts for p in params)])
        rows = cursor.fetchall()
    found: dict[str, list[Any]] = {spec.code: [] for spec in _specs(enabled)}
    outside: list[Line] = []
    volumes: list[Volume] = []
    for part, codes, *values in rows:
        if part == "volume":
            volumes.append(dict(zip(VOLUME_COLUMNS, values[8:], strict=True)))
            continue
        line = dict(zip(LINE_FIELDS, values[:8], strict=True))
        if part == "outside":
            outside.append(line)
        for code in codes or ():
            found[code].append(line)
    for spec in _specs(enabled, Read.OUTSIDE):
        found[spec.code] = outside
    for spec in _specs(enabled, Read.VOLUME):
        first = _baseline_since(day, enabled[spec.code])
        if any(row["counted"] < (day.day - first).days for row in volumes):
            volumes = _with_baselines(volumes, day_counts(first, day.day))
        found[spec.code] = sorted(volumes, key=lambda row: row["account_name"])
    for spec in _specs(enabled, *PICKS, Read.OUTSIDE):
        found[spec.code].sort(key=lambda line: (line["occurred_at"], line["pk"]))
    return found


def _lines_part(day: Day, enabled: dict[str, Params]) -> tuple[str, list[Any]]:
    """`lines`: the lines from `_since` to the day's end with their ID's owner and dates and
    their terminal's area and screen lock, read once and kept (MATERIALIZED) for the other
    parts. For the sequences each line also has the line before it of its ID and of its
    terminal; a terminal's first line of the window takes its line before from the table, one
    index probe for that line only."""
    since = _since(day, enabled)
    lookups, accounts, terminals = (
        Lookup._meta.db_table,
        Account._meta.db_table,
        Terminal._meta.db_table,
    )
    sequences, windows, params = "", "", []
    if _specs(enabled, Read.SEQUENCES):
        before = (
            f"(SELECT b.{{}} FROM {lookups} b WHERE b.terminal_name = l.terminal_name"  # noqa: S608
            " AND b.occurred_at < %s ORDER BY b.occurred_at DESC, b.id DESC LIMIT 1)"
        )
        first = "LAG(l.occurred_at) OVER by_terminal IS NULL"
        sequences = f""",
            LAG(l.occurred_at) OVER by_id AS id_previous_at,
            LAG(l.terminal_name) OVER by_id AS id_previous_terminal,
            CASE WHEN {first} THEN {before.format("occurred_at")}
                ELSE LAG(l.occurred_at) OVER by_terminal END AS terminal_previous_at,
            CASE WHEN {first} THEN {before.format("action")}
                ELSE LAG(l.action) OVER by_terminal END AS terminal_previous_action"""
        windows = """
            WINDOW by_id AS (PARTITION BY l.account_name ORDER BY l.occurred_at, l.id),
                by_terminal AS (PARTITION BY l.terminal_name ORDER BY l.occurred_at, l.id)"""
        params = [since, since]
    # Built from constant names, never from input.
    sql = f"""lines AS MATERIALIZED (
        SELECT l.id, l.occurred_at, l.terminal_name, l.account_name, l.action,
            l.receipt_number, l.account_id, a.person_id AS owner_id, a.issued_at, a.revoked_at,
            t.area_id, t.screen_lock_minutes, l.terminal_id, t.retired_on,
            a.id IS NOT NULL AND t.id IS NOT NULL AS linked{sequences}
        FROM {lookups} l
        LEFT JOIN {accounts} a ON a.id = l.account_id
        LEFT JOIN {terminals} t ON t.id = l.terminal_id
        WHERE l.occurred_at >= %s AND l.occurred_at < %s{windows}
    )"""  # noqa: S608
    return sql, [*params, since, day.end]


def _picked_part(day: Day, enabled: dict[str, Params]) -> Part | None:
    """The day's lines some rule of the lines or the sequences picks (its `Condition.sql`),
    each with the codes of the rules that do; the lines before the day only lead the day's
    into the window."""
    tests = [
        (spec.code, _condition(spec, day, enabled[spec.code])) for spec in _specs(enabled, *PICKS)
    ]
    if not tests:
        return None
    codes = ", ".join(f"CASE WHEN ({test.sql}) THEN %s::text END" for _code, test in tests)
    any_test = " OR ".join(f"({test.sql})" for _code, test in tests)
    # Built from the rules' own conditions, never from input.
    sql = f"""picked AS (
        SELECT ARRAY_REMOVE(ARRAY[{codes}], NULL) AS rules, lines.* FROM lines
        WHERE occurred_at >= %s AND ({any_test})
    )"""  # noqa: S608
    params = [
        *(p for code, test in tests for p in (*test.params, code)),
        day.start,
        *(p for _code, test in tests for p in test.params),
    ]
    return sql, params, f"SELECT 'picked', rules, {_columns('picked')} FROM picked"  # noqa: S608


def _outside_part(day: Day, enabled: dict[str, Params]) -> Part | None:
    """The sharing signal's lines (`_outside_sql`) of the day's lines but logouts."""
    if not _specs(enabled, Read.OUTSIDE):
        return None
    outside, params = _outside_sql(day.start, day.end)
    sql = f"""used AS (
        SELECT id AS lid, occurred_at AS at, owner_id AS who, area_id AS place FROM lines
        WHERE occurred_at >= %s AND action <> %s AND linked
    ), {outside}"""  # noqa: S608
    select = f"SELECT 'outside', NULL, {_columns('lines')} FROM outside JOIN lines ON id = lid"  # noqa: S608
    return sql, [day.start, LOGOUT, *params], select


def _volume_part(day: Day, enabled: dict[str, Params]) -> Part | None:
    """The day's lookups per ID with the kept counts of the baseline's days (`VOLUME_COLUMNS`),
    and on how many of those days the counts were kept (the rows with an empty ID)."""
    volumes = _specs(enabled, Read.VOLUME)
    if not volumes:
        return None
    first = _baseline_since(day, enabled[volumes[0].code])
    # Built from constant names, never from input.
    sql = f"""today AS (
        SELECT account_name, account_id, owner_id, COUNT(*) AS n FROM lines
        WHERE occurred_at >= %s AND action = %s GROUP BY account_name, account_id, owner_id
    ),
    baseline AS (
        SELECT account_name, SUM(lookups) AS total, COUNT(*) FILTER (WHERE lookups > 0) AS used,
            COUNT(*) AS days
        FROM {DayCount._meta.db_table} WHERE day >= %s AND day < %s GROUP BY account_name
    )"""  # noqa: S608
    select = (
        "SELECT 'volume', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        " today.account_name, today.account_id, today.owner_id, n,"
        " COALESCE(baseline.total, 0), COALESCE(baseline.used, 0),"
        " COALESCE((SELECT days FROM baseline WHERE account_name = ''), 0)"
        " FROM today LEFT JOIN baseline ON baseline.account_name = today.account_name"
    )
    return sql, [day.start, LOOKUP, first, day.day], select


def _columns(source: str) -> str:
    """A line's columns (`LINE_FIELDS`) of `source`, then the volume's left empty."""
    line = ", ".join(f"{source}.{name}" for name in ("id", *LINE_FIELDS[1:]))
    return line + ", NULL" + ", NULL::bigint" * (len(VOLUME_COLUMNS) - 1)


def _with_baselines(rows: list[Volume], baselines: dict[str, tuple[int, int]]) -> list[Volume]:
    return [
        {**row, "total": total, "used": used}
        for row in rows
        for total, used in [baselines.get(row["account_name"], (0, 0))]
    ]


def _read_apart(day: Day, enabled: dict[str, Params]) -> dict[str, list[Any]]:
    """SQLite: the lines each rule of the lines or the sequences picks in one window query
    built by the ORM (`_read_lines`), the sharing signal's lines and the volumes in a statement
    each: the same rows as `_read_in_one`."""
    found = _read_lines(day, enabled)
    for spec in _specs(enabled, Read.OUTSIDE):
        found[spec.code] = owner_outside(day)
    for spec in _specs(enabled, Read.VOLUME):
        params = enabled[spec.code]
        today = (
            day.lookups()
            .filter(action=LOOKUP)
            .values("account_name", "account_id", owner_id=F("account__person_id"))
            .annotate(n=Count("pk"))
            .order_by("account_name")
        )
        found[spec.code] = _with_baselines(
            [dict(row) for row in today], day_counts(_baseline_since(day, params), day.day)
        )
    return found


def owner_outside(day: Day) -> list[Line]:
    """4-2: the day's lines but logouts (`LINE_FIELDS`, in time order) made while the ID's
    owner was not inside the terminal's area (`_outside_sql`)."""
    used = (
        day.lookups()
        .exclude(action=LOGOUT)
        .filter(account__isnull=False, terminal__isnull=False)
        .values(
            lid=F("pk"),
            at=F("occurred_at"),
            who=F("account__person_id"),
            place=F("terminal__area_id"),
        )
    )
    used_sql, used_params = _sql(used.order_by())
    outside, outside_params = _outside_sql(day.start, day.end)
    # Built from the ORM's own SQL and constant names, never from input.
    sql = f"""
        WITH used AS ({used_sql}), {outside}
        SELECT lid, line.occurred_at, line.terminal_name, line.account_name, line.action,
            line.receipt_number, line.account_id, who
        FROM outside JOIN {Lookup._meta.db_table} line ON line.id = outside.lid
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, (*used_params, *outside_params))
        rows = cursor.fetchall()
    # The time as the ORM gives it (SQLite keeps it as naive text).
    at = Lookup._meta.get_field("occurred_at").get_col(Lookup._meta.db_table)
    converters = connection.ops.get_db_converters(at)
    lines = []
    for lid, moment, *line in rows:
        for convert in converters:
            moment = convert(moment, at, connection)
        lines.append(dict(zip(LINE_FIELDS, (lid, moment, *line), strict=True)))
    return sorted(lines, key=lambda line: (line["occurred_at"], line["pk"]))


def _day_in_order(day: Day, since: datetime) -> QuerySet[Lookup]:
    """The lines from `since` to the day's end, in time order per ID and per terminal, each
    with the line before it: the line before a terminal's first one from `since` is its last
    line before, read by one index probe for that line only."""
    order = ("occurred_at", "pk")
    before = Lookup.objects.filter(
        terminal_name=OuterRef("terminal_name"), occurred_at__lt=since
    ).order_by("-occurred_at", "-pk")
    first_on_terminal = Q(terminal_lag_at__isnull=True)
    return (
        Lookup.objects.filter(occurred_at__gte=since, occurred_at__lt=day.end)
        .annotate(
            id_previous_at=Window(Lag("occurred_at"), partition_by="account_name", order_by=order),
            id_previous_terminal=Window(
                Lag("terminal_name"), partition_by="account_name", order_by=order
            ),
            terminal_lag_at=Window(
                Lag("occurred_at"), partition_by="terminal_name", order_by=order
            ),
            terminal_lag_action=Window(Lag("action"), partition_by="terminal_name", order_by=order),
        )
        .annotate(
            terminal_previous_at=Case(
                When(first_on_terminal, then=Subquery(before.values("occurred_at")[:1])),
                default=F("terminal_lag_at"),
            ),
            terminal_previous_action=Case(
                When(first_on_terminal, then=Subquery(before.values("action")[:1])),
                default=F("terminal_lag_action"),
            ),
        )
        .annotate(
            idle_for=ExpressionWrapper(
                F("occurred_at") - F("terminal_previous_at"), output_field=DurationField()
            ),
            screen_lock=ExpressionWrapper(
                ExpressionWrapper(F("terminal__screen_lock_minutes"), output_field=IntegerField())
                * Value(timedelta(minutes=1)),
                output_field=DurationField(),
            ),
        )
    )


def _read_lines(day: Day, enabled: dict[str, Params]) -> dict[str, list[Any]]:
    """The lines each enabled rule of the lines or the sequences picks, in one window query
    for all of them built by the ORM: one scan of the day and of the window before it."""
    specs = _specs(enabled, *PICKS)
    if not specs:
        return {}
    # The lines before the day only lead the day's into the window.
    flags = {
        f"picked_{spec.code}": ExpressionWrapper(
            _condition(spec, day, enabled[spec.code]).q & Q(occurred_at__gte=day.start),
            output_field=BooleanField(),
        )
        for spec in specs
    }
    rows = (
        _day_in_order(day, _since(day, enabled))
        .annotate(owner_id=F("account__person_id"), **flags)
        .filter(reduce(or_, (Q(**{flag: True}) for flag in flags)))
        .order_by()
        .values(*LINE_FIELDS, *flags)
    )
    picked: dict[str, list[Any]] = {spec.code: [] for spec in specs}
    for row in sorted(rows, key=lambda row: (row["occurred_at"], row["pk"])):
        line = {name: row[name] for name in LINE_FIELDS}
        for code, lines in picked.items():
            if row[f"picked_{code}"]:
                lines.append(line)
    return picked


def parameters() -> dict[str, tuple[bool, Params]]:
    """Each rule's switch and parameters: its row's, over its defaults."""
    rows = {row.code: row for row in Rule.objects.all()}
    found = {}
    for code, spec in RULES.items():
        row = rows.get(code)
        params = {**spec.defaults, **(row.params if row else {})}
        found[code] = (row.enabled if row else True, params)
    return found


def review_past_days(days: list[date]) -> None:
    """Run the rules over those of `days` that are over (the days an import brought lookups
    for); today's lines are reviewed once the day has ended."""
    today = timezone.localdate()
    for day in days:
        if day < today:
            review_day(day)


def review_day(day: date) -> int:
    """Run every enabled rule over `day` and store what is new; returns how many were added."""
    span = Day.of(day)
    enabled = {code: params for code, (on, params) in parameters().items() if on}
    read = _read_in_one if connection.vendor == "postgresql" else _read_apart
    rows = read(span, enabled)
    kept = set(Finding.objects.filter(day=day).values_list("key", flat=True))
    now = timezone.now()
    new: list[Finding] = []
    for code, params in enabled.items():
        spec = RULES[code]
        new += [
            Finding(
                rule=code,
                clause_id=spec.clause_id,
                day=day,
                key=one.key,
                lookup_id=one.lookup_id,
                account_id=one.account_id,
                owner_id=one.owner_id,
                detail=one.detail[:300],
                found_at=now,
            )
            for one in spec.report(span, code, params, rows[code])
            if one.key not in kept
        ]
    if not new:
        return 0
    Finding.objects.bulk_create(new, ignore_conflicts=True)
    return Finding.objects.filter(day=day).count() - len(kept)
