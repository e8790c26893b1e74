"""The daily review's anomaly rules (4-4): functions here, switched on and tuned as data.

Each rule reads one day's lookups with a few set-based queries (never one query per lookup) and
returns what it found; `review_day` stores each finding once (a key per rule and object), so
running the review again adds only what is new. A `Rule` row turns a rule off or changes its
parameters; without a row a rule runs with its defaults.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
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


RuleFunc = Callable[[Day, dict[str, Any]], list[Found]]


@dataclass(frozen=True)
class RuleSpec:
    code: str
    clause_id: str
    label: Promise
    func: RuleFunc
    defaults: dict[str, Any] = field(default_factory=dict)


RULES: dict[str, RuleSpec] = {}


def rule(
    code: str, clause_id: str, label: Promise, **defaults: Any
) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        RULES[code] = RuleSpec(code, clause_id, label, func, defaults)
        return func

    return register


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M:%S")


def _each(rows: QuerySet[Lookup], code: str, text: Callable[[Lookup], str]) -> list[Found]:
    return [
        Found(
            f"{code}:{row.pk}",
            text(row),
            lookup_id=row.pk,
            account_id=row.account_id,
            owner_id=row.account.person_id if row.account else None,
        )
        for row in rows.select_related("account")
    ]


def _where(row: Lookup) -> str:
    return f"{_local(row.occurred_at)} {row.terminal_name} / {row.account_name}"


@rule("no_receipt", "4-4", _("A lookup without a receipt number"))
def no_receipt(day: Day, params: dict[str, Any]) -> list[Found]:
    rows = day.lookups().filter(action=Lookup.Action.LOOKUP, receipt_number="")
    return _each(rows, "no_receipt", _where)


@rule("unknown_receipt", "4-4", _("A receipt number matching no application of the day"))
def unknown_receipt(day: Day, params: dict[str, Any]) -> list[Found]:
    known = Application.objects.filter(receipt_number=OuterRef("receipt_number"), day=day.day)
    rows = (
        day.lookups()
        .filter(action=Lookup.Action.LOOKUP)
        .exclude(receipt_number="")
        .exclude(Exists(known))
    )
    return _each(rows, "unknown_receipt", lambda row: f"{_where(row)} #{row.receipt_number}")


def _sql(query: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)


# The sharing rule reads the passages of this many days before the day with the day's: nearly
# everyone enters every working day, and the longest closures (年末年始) are shorter.
LOOKBACK = timedelta(days=7)


def _first_of_each(query: Callable[[str], QuerySet[Any]], values: list[str]) -> list[Any]:
    """The first value of `query(value)` (ordered, one column) for each of `values`, in one
    statement: one index probe each (per terminal), never one per line. The query is built
    once, with a stand-in where each value goes."""
    if not values:
        return []
    stand_in = "\x00itaku-value"
    sql, params = _sql(query(stand_in)[:1])
    slots = [n for n, param in enumerate(params) if param == stand_in]
    every: list[Any] = []
    for value in values:
        each = list(params)
        for n in slots:
            each[n] = value
        every += each
    # Built from the ORM's own SQL, never from input.
    union = " UNION ALL ".join([f"SELECT ({sql})"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(union, every)
        return [row[0] for row in cursor.fetchall() if row[0] is not None]


def owner_outside(lookups: QuerySet[Lookup], start: datetime, end: datetime) -> list[int]:
    """4-2: of `lookups` (all from `start` to before `end`), those made while the ID's owner was not
    inside the terminal's area: the owner's latest standing passage of that area at the
    lookup's moment is not an entry.

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
        SELECT lid, who, place, stretch FROM (
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
        for _lid, who, place, stretch in rows
        if not stretch
    }
    return [
        lid
        for lid, who, place, stretch in rows
        if stretch or earlier[who, place] != Passage.Direction.ENTRY
    ]


@rule("owner_not_inside", "4-2", _("An ID used while its owner was not inside the area"))
def owner_not_inside(day: Day, params: dict[str, Any]) -> list[Found]:
    ids = owner_outside(day.lookups().exclude(action=Lookup.Action.LOGOUT), day.start, day.end)
    return _each(Lookup.objects.filter(pk__in=ids), "owner_not_inside", _where)


def _per_account(day: Day, code: str, rows: QuerySet[Lookup]) -> list[Found]:
    """One finding per ID and day, naming the first time and how many lines."""
    grouped = (
        rows.values("account_name", "account_id", "account__person_id")
        .annotate(first=Min("occurred_at"), lines=Count("pk"))
        .order_by("account_name")
    )
    return [
        Found(
            f"{code}:{day.day.isoformat()}:{row['account_name']}",
            f"{row['account_name']} {_local(row['first'])}〜 ({row['lines']})",
            account_id=row["account_id"],
            owner_id=row["account__person_id"],
        )
        for row in grouped
    ]


@rule("two_terminals", "4-2", _("One ID on two terminals at once"), window_minutes=5)
def two_terminals(day: Day, params: dict[str, Any]) -> list[Found]:
    """Each ID's lines in time order (one window query, filtered in the database): a line on
    another terminal than the ID's previous line, within the window, means the ID was on two
    terminals at once."""
    window = timedelta(minutes=int(params["window_minutes"]))
    order = ("occurred_at", "pk")
    flagged = (
        Lookup.objects.filter(occurred_at__gte=day.start - window, occurred_at__lt=day.end)
        .annotate(
            previous_terminal=Window(
                Lag("terminal_name"), partition_by="account_name", order_by=order
            ),
            previous_at=Window(Lag("occurred_at"), partition_by="account_name", order_by=order),
        )
        .filter(previous_at__gte=F("occurred_at") - window)
        .exclude(previous_terminal=F("terminal_name"))
        .values("pk")
    )
    # Conditions on the line itself outside the window query: Django would apply them before
    # the window (and so drop the lines before the day from it).
    rows = Lookup.objects.filter(pk__in=flagged, occurred_at__gte=day.start)
    return _per_account(day, "two_terminals", rows)


@rule("off_hours", "4-4", _("Lookups outside office hours"), opens="08:30", closes="17:30")
def off_hours(day: Day, params: dict[str, Any]) -> list[Found]:
    rows = day.lookups().filter(action=Lookup.Action.LOOKUP)
    if is_business_day(day.day):
        zone = timezone.get_current_timezone()
        opens = datetime.combine(day.day, time.fromisoformat(params["opens"]), tzinfo=zone)
        closes = datetime.combine(day.day, time.fromisoformat(params["closes"]), tzinfo=zone)
        rows = rows.filter(Q(occurred_at__lt=opens) | Q(occurred_at__gt=closes))
    return _per_account(day, "off_hours", rows)


@rule(
    "volume",
    "4-4",
    _("Far more lookups than the person's own baseline"),
    factor=3,
    baseline_days=28,
    minimum=20,
)
def volume(day: Day, params: dict[str, Any]) -> list[Found]:
    """The day's count per ID against its mean over the days it was used before, from the
    counts per ID and day (`DayCount`): a few rows per day of the baseline, each day's counted
    once from its lookups."""
    since = day.day - timedelta(days=int(params["baseline_days"]))
    counts = day_counts(since, day.day)
    totals: dict[str, int] = defaultdict(int)
    active: dict[str, int] = defaultdict(int)
    for account_name, lookups in counts:
        totals[account_name] += lookups
        active[account_name] += 1
    found = []
    today = (
        day.lookups()
        .filter(action=Lookup.Action.LOOKUP)
        .values("account_name", "account_id", "account__person_id")
        .annotate(n=Count("pk"))
        .order_by("account_name")
    )
    for row in today:
        used = active.get(row["account_name"], 0)
        if not used or row["n"] < int(params["minimum"]):
            continue
        baseline = totals[row["account_name"]] / used
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


def day_counts(first: date, end: date) -> list[tuple[str, int]]:
    """(ID, lookups) per ID and day from `first` to before `end`, counting the days not yet
    counted (one grouped query over those days only) and keeping what it counted."""
    kept = DayCount.objects.filter(day__gte=first, day__lt=end)
    counted = set(kept.filter(account_name="").values_list("day", flat=True))
    missing = [
        first + timedelta(days=n)
        for n in range((end - first).days)
        if first + timedelta(days=n) not in counted
    ]
    if missing:
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
    return list(
        kept.exclude(account_name="").filter(lookups__gt=0).values_list("account_name", "lookups")
    )


def forget_day_counts(first: datetime, last: datetime) -> None:
    """New lookups from `first` to `last`: the counts of those days are worked out again."""
    DayCount.objects.filter(
        day__gte=timezone.localdate(first), day__lte=timezone.localdate(last)
    ).delete()


@rule("unknown_id", "4-2", _("An ID not issued to anyone at that time"))
def unknown_id(day: Day, params: dict[str, Any]) -> list[Found]:
    rows = day.lookups().filter(
        Q(account__isnull=True)
        | Q(account__issued_at__gt=F("occurred_at"))
        | Q(account__revoked_at__lte=F("occurred_at"))
    )
    return _per_account(day, "unknown_id", rows)


@rule("open_session", "4-5", _("A session with no logout"))
def open_session(day: Day, params: dict[str, Any]) -> list[Found]:
    """A login of the day whose next login or logout (same terminal, same ID) is not a logout;
    one index probe per login, never per lookup. The session ends at the next login, or at the
    day's end when there is none: a logout after that does not close it."""
    following = Lookup.objects.filter(
        terminal_name=OuterRef("terminal_name"),
        account_name=OuterRef("account_name"),
        occurred_at__gt=OuterRef("occurred_at"),
        action__in=[Lookup.Action.LOGIN, Lookup.Action.LOGOUT],
    ).order_by("occurred_at", "-action")  # at one moment the logout first
    logins = (
        day.lookups()
        .filter(action=Lookup.Action.LOGIN)
        .annotate(
            next_action=Subquery(following.values("action")[:1]),
            next_at=Subquery(following.values("occurred_at")[:1]),
        )
        .values_list("pk", "terminal_name", "account_name", "occurred_at", "next_action", "next_at")
    )
    left_open = []
    for pk, terminal, account, at, next_action, next_at in logins:
        if (
            next_action != Lookup.Action.LOGOUT
            or next_at > day.end
            and not Lookup.objects.filter(
                terminal_name=terminal,
                account_name=account,
                occurred_at__gt=at,
                action=Lookup.Action.LOGIN,
            ).exists()
        ):
            left_open.append(pk)
    return _each(Lookup.objects.filter(pk__in=left_open), "open_session", _where)


@rule("idle_past_lock", "4-5", _("A terminal used on after idling past its screen lock"))
def idle_past_lock(day: Day, params: dict[str, Any]) -> list[Found]:
    """After the lock the login screen comes back: a lookup after a longer pause with no new
    login means the lock did not work (4-5). Each terminal's lines of the day and its last line
    before the day (one index probe per terminal), in time order: one window query, filtered
    in the database."""
    order = ("occurred_at", "pk")
    names = day.lookups().order_by().values_list("terminal_name", flat=True).distinct()
    last_before = _first_of_each(
        lambda name: (
            Lookup.objects.filter(terminal_name=name, occurred_at__lt=day.start)
            .order_by("-occurred_at", "-pk")
            .values("pk")
        ),
        list(names),
    )
    lock = ExpressionWrapper(
        ExpressionWrapper(F("terminal__screen_lock_minutes"), output_field=IntegerField())
        * Value(timedelta(minutes=1)),
        output_field=DurationField(),
    )
    idle = (
        Lookup.objects.filter(
            Q(occurred_at__gte=day.start, occurred_at__lt=day.end) | Q(pk__in=last_before)
        )
        .annotate(
            previous_at=Window(Lag("occurred_at"), partition_by="terminal_name", order_by=order),
            previous_action=Window(Lag("action"), partition_by="terminal_name", order_by=order),
            idle_for=ExpressionWrapper(
                F("occurred_at") - F("previous_at"), output_field=DurationField()
            ),
        )
        # Not after a logout: the login screen was there.
        .filter(idle_for__gt=lock)
        .exclude(previous_action=Lookup.Action.LOGOUT)
        .values("pk")
    )
    # Conditions on the line itself outside the window query (see two_terminals).
    rows = Lookup.objects.filter(
        pk__in=idle, occurred_at__gte=day.start, action=Lookup.Action.LOOKUP
    )
    return _each(rows, "idle_past_lock", _where)


def parameters() -> dict[str, tuple[bool, dict[str, Any]]]:
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
    now = timezone.now()
    new: list[Finding] = []
    for code, (enabled, params) in parameters().items():
        if not enabled:
            continue
        spec = RULES[code]
        for found in spec.func(span, params):
            new.append(
                Finding(
                    rule=code,
                    clause_id=spec.clause_id,
                    day=day,
                    key=found.key,
                    lookup_id=found.lookup_id,
                    account_id=found.account_id,
                    owner_id=found.owner_id,
                    detail=found.detail[:300],
                    found_at=now,
                )
            )
    before = Finding.objects.filter(day=day).count()
    Finding.objects.bulk_create(new, ignore_conflicts=True)
    return Finding.objects.filter(day=day).count() - before
