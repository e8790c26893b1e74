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

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, Lag
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from itaku.area.models import Passage
from itaku.lgwan.models import Application, Finding, Lookup, Rule, Terminal, is_business_day


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


def owner_outside(lookups: QuerySet[Lookup]) -> QuerySet[Lookup]:
    """4-2: lookups made while the ID's owner was not inside the terminal's area.

    The owner's latest standing passage of that area at the lookup's moment must be an entry.
    One correlated subquery, answered from the passages' (area, person, occurred_at) index.
    """
    last = (
        Passage.objects.effective()
        .filter(
            person=OuterRef("account__person"),
            area=OuterRef("terminal__area"),
            occurred_at__lte=OuterRef("occurred_at"),
        )
        .order_by("-occurred_at", "-pk")
        .values("direction")[:1]
    )
    return (
        lookups.filter(account__isnull=False, terminal__isnull=False)
        .annotate(last_passage=Subquery(last))
        .filter(Q(last_passage__isnull=True) | ~Q(last_passage=Passage.Direction.ENTRY))
    )


@rule("owner_not_inside", "4-2", _("An ID used while its owner was not inside the area"))
def owner_not_inside(day: Day, params: dict[str, Any]) -> list[Found]:
    rows = owner_outside(day.lookups().exclude(action=Lookup.Action.LOGOUT))
    return _each(rows, "owner_not_inside", _where)


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
    """Each ID's lines in time order (one window query): a line on another terminal than the
    ID's previous line, within the window, means the ID was on two terminals at once."""
    window = timedelta(minutes=int(params["window_minutes"]))
    order = ("occurred_at", "pk")
    rows = (
        Lookup.objects.filter(occurred_at__gte=day.start - window, occurred_at__lt=day.end)
        .annotate(
            previous_terminal=Window(
                Lag("terminal_name"), partition_by="account_name", order_by=order
            ),
            previous_at=Window(Lag("occurred_at"), partition_by="account_name", order_by=order),
        )
        .values_list("pk", "occurred_at", "terminal_name", "previous_terminal", "previous_at")
    )
    flagged = [
        pk
        for pk, at, terminal, previous_terminal, previous_at in rows
        if at >= day.start
        and previous_terminal is not None
        and previous_terminal != terminal
        and at - previous_at <= window
    ]
    return _per_account(day, "two_terminals", Lookup.objects.filter(pk__in=flagged))


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
    """The day's count per ID against its mean over the days it was used before."""
    since = day.start - timedelta(days=int(params["baseline_days"]))
    history = Lookup.objects.filter(
        action=Lookup.Action.LOOKUP, occurred_at__gte=since, occurred_at__lt=day.start
    )
    totals: dict[str, int] = defaultdict(int)
    active: dict[str, set[date]] = defaultdict(set)
    # Grouped by ID and day in SQL: a few rows per ID and day, whatever the log's size.
    per_day = history.values("account_name", day=F("occurred_at__date")).annotate(n=Count("pk"))
    for entry in per_day:
        totals[entry["account_name"]] += entry["n"]
        active[entry["account_name"]].add(entry["day"])
    found = []
    counts = (
        day.lookups()
        .filter(action=Lookup.Action.LOOKUP)
        .values("account_name", "account_id", "account__person_id")
        .annotate(n=Count("pk"))
        .order_by("account_name")
    )
    for row in counts:
        used = len(active.get(row["account_name"], ()))
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
    same = Lookup.objects.filter(
        terminal_name=OuterRef("terminal_name"),
        account_name=OuterRef("account_name"),
        occurred_at__gt=OuterRef("occurred_at"),
    )
    next_login = (
        same.filter(action=Lookup.Action.LOGIN).order_by("occurred_at").values("occurred_at")[:1]
    )
    logins = (
        day.lookups()
        .filter(action=Lookup.Action.LOGIN)
        .annotate(until=Coalesce(Subquery(next_login), day.end))
    )
    logged_out = Lookup.objects.filter(
        terminal_name=OuterRef("terminal_name"),
        account_name=OuterRef("account_name"),
        action=Lookup.Action.LOGOUT,
        occurred_at__gt=OuterRef("occurred_at"),
        occurred_at__lte=OuterRef("until"),
    )
    return _each(logins.exclude(Exists(logged_out)), "open_session", _where)


@rule("idle_past_lock", "4-5", _("A terminal used on after idling past its screen lock"))
def idle_past_lock(day: Day, params: dict[str, Any]) -> list[Found]:
    """After the lock the login screen comes back: a lookup after a longer pause with no new
    login means the lock did not work (4-5). The day's lines of each terminal in time order
    (one window query); the line before a terminal's first of the day, one small query each."""
    order = ("occurred_at", "pk")
    locks = dict(Terminal.objects.values_list("pk", "screen_lock_minutes"))
    rows = (
        day.lookups()
        .annotate(
            previous_at=Window(Lag("occurred_at"), partition_by="terminal_name", order_by=order),
            previous_action=Window(Lag("action"), partition_by="terminal_name", order_by=order),
        )
        .values_list(
            "pk",
            "occurred_at",
            "action",
            "terminal_id",
            "terminal_name",
            "previous_at",
            "previous_action",
        )
    )
    idle = []
    for pk, at, action, terminal_id, name, previous_at, previous_action in rows:
        if action != Lookup.Action.LOOKUP or terminal_id not in locks:
            continue
        if previous_at is None:  # the terminal's first line of the day
            before = (
                Lookup.objects.filter(terminal_name=name, occurred_at__lt=day.start)
                .order_by("-occurred_at", "-pk")
                .values_list("occurred_at", "action")
                .first()
            )
            if before is None:
                continue
            previous_at, previous_action = before
        if previous_action != Lookup.Action.LOGOUT and at - previous_at > timedelta(
            minutes=locks[terminal_id]
        ):
            idle.append(pk)
    return _each(Lookup.objects.filter(pk__in=idle), "idle_past_lock", _where)


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
