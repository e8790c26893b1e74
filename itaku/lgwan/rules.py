"""The daily review's anomaly rules (4-4): functions here, switched on and tuned as data.

A review reads the day's lookups once for all its rules together, never once per rule nor once
per lookup: one window query over the day's lines in time order, per ID and per terminal, with
the lines before the day that the sequences look back to. A rule that judges a line by itself
gives its condition on the line (`Read.LINES`); a rule of sequences its condition on the line and
the one before it, of the same ID or on the same terminal (`Read.SEQUENCES`); the query returns
only the lines some enabled rule picks, each with the rules that picked it. A rule that needs
other records reads them itself (`Read.OWN`): the entry log (sharing signal), the counts of the
days before (volume).

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
    Application,
    DayCount,
    Finding,
    Lookup,
    Rule,
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
    OWN = "own"


Params = dict[str, Any]
# A line as the reads return it: `LINE_FIELDS`, and for each rule of the read whether it
# picked the line.
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
# Which lines a rule of the lines or the sequences picks, a condition on one line.
Test = Callable[[Day, Params], Q]
# The findings of the lines a rule picked (in time order).
Report = Callable[[Day, str, list[Line]], list[Found]]
# A rule reading for itself.
Own = Callable[[Day, Params], list[Found]]


@dataclass(frozen=True)
class RuleSpec:
    code: str
    clause_id: str
    label: Promise
    read: Read
    test: Test | None = None  # the lines and the sequences
    own: Own | None = None  # the rules reading for themselves
    report: Report | None = None
    # Sequences: how far before the day the rule looks.
    looks_back: Callable[[Params], timedelta] | None = None
    defaults: Params = field(default_factory=dict)


RULES: dict[str, RuleSpec] = {}


def rule(
    code: str,
    clause_id: str,
    label: Promise,
    read: Read = Read.OWN,
    report: Report | None = None,
    looks_back: Callable[[Params], timedelta] | None = None,
    **defaults: Any,
) -> Callable[[Any], Any]:
    def register(find: Any) -> Any:
        test, own = (None, find) if read == Read.OWN else (find, None)
        RULES[code] = RuleSpec(
            code, clause_id, label, read, test, own, report, looks_back, defaults
        )
        return find

    return register


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M:%S")


def _where(line: Line) -> str:
    return f"{_local(line['occurred_at'])} {line['terminal_name']} / {line['account_name']}"


def each(text: Callable[[Line], str]) -> Report:
    """One finding per line, `text` saying which."""

    def report(day: Day, code: str, lines: list[Line]) -> list[Found]:
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


def per_id(day: Day, code: str, lines: list[Line]) -> list[Found]:
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


@rule("no_receipt", "4-4", _("A lookup without a receipt number"), Read.LINES, report=each(_where))
def no_receipt(day: Day, params: Params) -> Q:
    return Q(action=Lookup.Action.LOOKUP, receipt_number="")


@rule(
    "unknown_receipt",
    "4-4",
    _("A receipt number matching no application of the day"),
    Read.LINES,
    report=each(lambda line: f"{_where(line)} #{line['receipt_number']}"),
)
def unknown_receipt(day: Day, params: Params) -> Q:
    # The day's receipt numbers read once (a hashed set), not probed once per line.
    known = Application.objects.filter(day=day.day).values("receipt_number")
    return Q(action=Lookup.Action.LOOKUP) & ~Q(receipt_number="") & ~Q(receipt_number__in=known)


def _sql(query: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)


# The sharing rule reads the passages of this many days before the day with the day's: nearly
# everyone enters every working day, and the longest closures (年末年始) are shorter.
LOOKBACK = timedelta(days=7)


def owner_outside(lookups: QuerySet[Lookup], start: datetime, end: datetime) -> list[Line]:
    """4-2: of `lookups` (all from `start` to before `end`), the lines (`LINE_FIELDS`, in time
    order) made while the ID's owner was not inside the terminal's area: the owner's latest
    standing passage of that area at the lookup's moment is not an entry.

    Set-based, one statement whatever the number of lookups: the passages of the days before
    (`LOOKBACK`) and of the lookups' own span are merged with the lookups, per owner and area, in
    time order; a running count of passages cuts the timeline into stretches each led by one
    passage, whose direction holds for the lookups in it. A passage at the lookup's very moment
    counts (passages sort first). A lookup before any passage of those days takes the owner's
    latest passage before them (one index probe per such owner and area, never per lookup).
    """
    used = lookups.filter(account__isnull=False, terminal__isnull=False).values(
        lid=F("pk"),
        at=F("occurred_at"),
        who=F("account__person_id"),
        place=F("terminal__area_id"),
    )
    standing = Passage.objects.effective().order_by()
    recent = standing.filter(occurred_at__gte=start - LOOKBACK, occurred_at__lt=end).values(
        pid=F("pk"), at=F("occurred_at"), who=F("person_id"), place=F("area_id"),
        way=F("direction"),
    )  # fmt: skip
    used_sql, used_params = _sql(used.order_by())
    recent_sql, recent_params = _sql(recent)
    # Built from the ORM's own SQL and constant names, never from input.
    sql = f"""
        SELECT lid, who, place, stretch, line.occurred_at, line.terminal_name, line.account_name,
            line.action, line.receipt_number, line.account_id
        FROM (
            SELECT lid, who, place, stretch,
                MAX(way) OVER (PARTITION BY who, place, stretch) AS way_of_stretch
            FROM (
                SELECT lid, who, place, way, COUNT(pid) OVER (
                    PARTITION BY who, place ORDER BY at, sort, pid
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                ) AS stretch
                FROM (
                    SELECT u.lid, NULL AS pid, u.at, u.who, u.place, NULL AS way, 1 AS sort
                    FROM ({used_sql}) u
                    UNION ALL
                    SELECT NULL, r.pid, r.at, r.who, r.place, r.way, 0 FROM ({recent_sql}) r
                ) timeline
            ) stretches
        ) marked
        JOIN {Lookup._meta.db_table} line ON line.id = marked.lid
        WHERE lid IS NOT NULL AND (way_of_stretch IS NULL OR way_of_stretch <> %s)
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, (*used_params, *recent_params, Passage.Direction.ENTRY.value))
        rows = cursor.fetchall()
    # Before any passage of those days: the latest one before them decides.
    earlier = {
        (who, place): standing.filter(
            person_id=who, area_id=place, occurred_at__lt=start - LOOKBACK
        )
        .order_by("-occurred_at", "-pk")
        .values_list("direction", flat=True)
        .first()
        for _lid, who, place, stretch, *_line in rows
        if not stretch
    }
    # The time as the ORM gives it (SQLite keeps it as naive text).
    at = Lookup._meta.get_field("occurred_at").get_col(Lookup._meta.db_table)
    converters = connection.ops.get_db_converters(at)
    lines = []
    for lid, who, place, stretch, moment, *line in rows:
        if stretch or earlier[who, place] != Passage.Direction.ENTRY:
            for convert in converters:
                moment = convert(moment, at, connection)
            lines.append(dict(zip(LINE_FIELDS, (lid, moment, *line, who), strict=True)))
    return sorted(lines, key=lambda line: (line["occurred_at"], line["pk"]))


@rule("owner_not_inside", "4-2", _("An ID used while its owner was not inside the area"))
def owner_not_inside(day: Day, params: Params) -> list[Found]:
    lines = owner_outside(day.lookups().exclude(action=Lookup.Action.LOGOUT), day.start, day.end)
    return each(_where)(day, "owner_not_inside", lines)


@rule(
    "two_terminals",
    "4-2",
    _("One ID on two terminals at once"),
    Read.SEQUENCES,
    report=per_id,
    looks_back=lambda params: timedelta(minutes=int(params["window_minutes"])),
    window_minutes=5,
)
def two_terminals(day: Day, params: Params) -> Q:
    """A line on another terminal than the ID's line before it, within the window: the ID
    was on two terminals at once."""
    window = timedelta(minutes=int(params["window_minutes"]))
    return Q(id_previous_at__gte=F("occurred_at") - window) & ~Q(
        id_previous_terminal=F("terminal_name")
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
def off_hours(day: Day, params: Params) -> Q:
    lookups = Q(action=Lookup.Action.LOOKUP)
    if not is_business_day(day.day):
        return lookups
    zone = timezone.get_current_timezone()
    opens = datetime.combine(day.day, time.fromisoformat(params["opens"]), tzinfo=zone)
    closes = datetime.combine(day.day, time.fromisoformat(params["closes"]), tzinfo=zone)
    return lookups & (Q(occurred_at__lt=opens) | Q(occurred_at__gt=closes))


@rule(
    "volume",
    "4-4",
    _("Far more lookups than the person's own baseline"),
    factor=3,
    baseline_days=28,
    minimum=20,
)
def volume(day: Day, params: Params) -> list[Found]:
    """The day's count per ID against its mean over the days it was used before, from the
    counts per ID and day (`DayCount`): a few rows per day of the baseline, each day's counted
    once from its lookups."""
    since = day.day - timedelta(days=int(params["baseline_days"]))
    baselines = day_counts(since, day.day)
    found = []
    today = (
        day.lookups()
        .filter(action=Lookup.Action.LOOKUP)
        .values("account_name", "account_id", "account__person_id")
        .annotate(n=Count("pk"))
        .order_by("account_name")
    )
    for row in today:
        total, used = baselines.get(row["account_name"], (0, 0))
        if not used or row["n"] < int(params["minimum"]):
            continue
        baseline = total / used
        if row["n"] > float(params["factor"]) * baseline:
            found.append(
                Found(
                    f"volume:{day.day.isoformat()}:{row['account_name']}",
                    f"{row['account_name']} {row['n']} / {baseline:.1f}",
                    account_id=row["account_id"],
                    owner_id=row["account__person_id"],
                )
            )
    return found


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
        Lookup.objects.filter(
            action=Lookup.Action.LOOKUP, occurred_at__gte=start, occurred_at__lt=stop
        )
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
def unknown_id(day: Day, params: Params) -> Q:
    return (
        Q(account__isnull=True)
        | Q(account__issued_at__gt=F("occurred_at"))
        | Q(account__revoked_at__lte=F("occurred_at"))
    )


def left_open(day: Day, code: str, lines: list[Line]) -> list[Found]:
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
        if line["action"] != Lookup.Action.LOGIN:
            continue
        pair = (line["terminal_name"], line["account_name"])
        later = bisect_right(times[pair], line["occurred_at"])
        if later == len(times[pair]):
            pending[pair].append(line)
        elif Lookup.Action.LOGOUT not in moments[pair][times[pair][later]]:
            found.append(line)
    for pair, (login_at, logout_at) in _after(day, list(pending)).items():
        logged_out = logout_at is not None and (login_at is None or logout_at <= login_at)
        if not (logged_out and (logout_at == day.end or login_at is not None)):
            found += pending[pair]
    found.sort(key=lambda line: (line["occurred_at"], line["pk"]))
    return each(_where)(day, code, found)


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

    probed = first_of_each([first(Lookup.Action.LOGIN), first(Lookup.Action.LOGOUT)], pairs)
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
def open_session(day: Day, params: Params) -> Q:
    return Q(action__in=[Lookup.Action.LOGIN, Lookup.Action.LOGOUT])


@rule(
    "idle_past_lock",
    "4-5",
    _("A terminal used on after idling past its screen lock"),
    Read.SEQUENCES,
    report=each(_where),
)
def idle_past_lock(day: Day, params: Params) -> Q:
    """After the lock the login screen comes back: a lookup after a longer pause with no new
    login means the lock did not work (4-5). Not after a logout: the login screen was there."""
    return Q(action=Lookup.Action.LOOKUP, idle_for__gt=F("screen_lock")) & ~Q(
        terminal_previous_action=Lookup.Action.LOGOUT
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


def _test(spec: RuleSpec) -> Test:
    assert spec.test is not None  # noqa: S101 - every rule of the lines or sequences tests
    return spec.test


def _read(day: Day, enabled: dict[str, Params]) -> dict[str, list[Line]]:
    """The lines each enabled rule of the lines or the sequences picks, in one query for all
    of them: one scan of the day (and of the window before it the sequences look back to)."""
    specs = [RULES[code] for code in enabled if RULES[code].read != Read.OWN]
    if not specs:
        return {}
    since = day.start - max(
        (spec.looks_back(enabled[spec.code]) for spec in specs if spec.looks_back),
        default=timedelta(0),
    )
    # The lines before the day only lead the day's into the window.
    flags = {
        f"picked_{spec.code}": ExpressionWrapper(
            _test(spec)(day, enabled[spec.code]) & Q(occurred_at__gte=day.start),
            output_field=BooleanField(),
        )
        for spec in specs
    }
    rows = (
        _day_in_order(day, since)
        .annotate(owner_id=F("account__person_id"), **flags)
        .filter(reduce(or_, (Q(**{flag: True}) for flag in flags)))
        .order_by()
        .values(*LINE_FIELDS, *flags)
    )
    picked: dict[str, list[Line]] = {spec.code: [] for spec in specs}
    for row in sorted(rows, key=lambda row: (row["occurred_at"], row["pk"])):
        for code, lines in picked.items():
            if row[f"picked_{code}"]:
                lines.append(row)
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


def review_day(day: date) -> int:
    """Run every enabled rule over `day` and store what is new; returns how many were added."""
    span = Day.of(day)
    enabled = {code: params for code, (on, params) in parameters().items() if on}
    picked = _read(span, enabled)
    kept = set(Finding.objects.filter(day=day).values_list("key", flat=True))
    now = timezone.now()
    new: list[Finding] = []
    for code, params in enabled.items():
        spec = RULES[code]
        if spec.own is not None:
            found = spec.own(span, params)
        else:
            assert spec.report is not None  # noqa: S101 - every rule of a read reports
            found = spec.report(span, code, picked[code])
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
            for one in found
            if one.key not in kept
        ]
    if not new:
        return 0
    Finding.objects.bulk_create(new, ignore_conflicts=True)
    return Finding.objects.filter(day=day).count() - len(kept)
