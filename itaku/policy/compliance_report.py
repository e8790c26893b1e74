"""The compliance report: every clause of the current procedure with its status.

One function, `build`, used by the dashboard, `itaku compliance` and the API alike. The pages
and the API ask `current`, which keeps the report for now between requests as long as nothing
it reads has changed: the key is the data's version, which the database's own triggers change
with every write, whoever writes (`itaku.policy.dataversion`), and the minute, since checks
depend on the moment (a deadline passing shows within a minute). A check still reads what is
stored at that moment: a report is served only for the same stored data.

Each process keeps its own few reports; several servers each keep theirs, correct because the
key comes from the shared database. A kept report is shared between requests: callers read it,
never change it.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone, translation

from itaku.policy import dataversion
from itaku.policy.models import Clause, Procedure
from itaku.policy.registry import ClauseStatus, Status, assess, worst

# `itaku compliance` exits with these: cron and monitoring tell "broken" from "not yet proven".
EXIT_OK = 0
EXIT_ATTENTION = 1
EXIT_INCOMPLETE = 2


@dataclass
class ClauseRow:
    clause: Clause
    result: ClauseStatus
    status: Status
    items: list["ClauseRow"]

    @property
    def checked(self) -> bool:
        """A registered check covers the clause itself or one of its items."""
        return self.result.checked or any(item.checked for item in self.items)


@dataclass
class Report:
    procedure: Procedure
    at: datetime
    rows: list[ClauseRow]
    # The kept report's key as a string, "" for one computed for its caller alone: what is
    # rendered of it may be kept under the same key.
    kept_as: str = ""

    def all_rows(self) -> list[ClauseRow]:
        return [row for top in self.rows for row in [top, *top.items]]

    def rows_with_status(self, status: Status) -> list[ClauseRow]:
        """Top-level rows with that status, or with an item that has it (the item shown alone)."""
        kept = []
        for row in self.rows:
            items = [item for item in row.items if item.status is status]
            if row.status is status or items:
                kept.append(ClauseRow(row.clause, row.result, row.status, items))
        return kept

    @property
    def needs_attention(self) -> bool:
        return any(row.status is Status.ATTENTION for row in self.all_rows())

    @property
    def exit_code(self) -> int:
        """0 when every clause is ok, 1 when any needs attention, 2 when none needs attention
        but some lack evidence or have no check yet."""
        statuses = {row.status for row in self.all_rows()}
        if Status.ATTENTION in statuses:
            return EXIT_ATTENTION
        return EXIT_OK if statuses <= {Status.OK} else EXIT_INCOMPLETE

    def counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for row in self.all_rows():
            counts[row.status] += 1
        return counts

    def as_json(self) -> dict[str, object]:
        return {
            "procedure": self.procedure.code,
            "at": self.at.isoformat(),
            "clauses": [
                {
                    "id": row.clause.clause_id,
                    "status": row.status.value,
                    "checked": row.checked,
                    "evidence": row.result.evidence,
                    "findings": list(row.result.findings),
                    "finding_links": [link or None for link in row.result.links],
                    "facts": list(row.result.facts),
                }
                for row in self.all_rows()
            ],
        }


def build(procedure: Procedure, at: datetime) -> Report:
    clauses = list(Clause.objects.filter(chapter__procedure=procedure).select_related("chapter"))
    results = assess([clause.clause_id for clause in clauses], at)
    children: dict[int, list[Clause]] = {}
    for clause in clauses:
        if clause.parent_id is not None:
            children.setdefault(clause.parent_id, []).append(clause)

    def row(clause: Clause) -> ClauseRow:
        items = [row(item) for item in children.get(clause.pk, [])]
        result = results[clause.clause_id]
        status = result.status
        if items:
            # A parent without a check of its own sums up its items; with one, the worst wins.
            own = [status] if result.checked else []
            status = worst([*own, *(item.status for item in items)])
        return ClauseRow(clause=clause, result=result, status=status, items=items)

    return Report(
        procedure=procedure,
        at=at,
        rows=[row(clause) for clause in clauses if clause.parent_id is None],
    )


def version(using: str, now: datetime) -> tuple[Hashable, ...]:
    """What anything kept for now depends on besides its own arguments: the stored data's
    version, the minute (what is due or late depends on the moment) and, since findings and
    to-do items are text, the language and time zone of the request that computed them.

    Read it before computing what is kept under it: data changed in between is then kept under
    the older version, which the next request no longer reads."""
    return (
        using,
        dataversion.key(using),
        now.replace(second=0, microsecond=0),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )


# A few reports: the current one per language, and the one just before a change for a request
# still on its way.
KEPT = 8
_kept: "OrderedDict[Hashable, Report]" = OrderedDict()
_lock = threading.Lock()


def current(procedure: Procedure, now: datetime | None = None) -> Report:
    """The report for now (`now` is the caller's reading of the clock), computed once per
    version of the stored data, minute and language; callers must not change it.

    A report for another moment is `build`'s.
    """
    now = timezone.now() if now is None else now
    key = (*version(procedure._state.db or "default", now), procedure.pk)
    with _lock:
        report = _kept.get(key)
        if report is not None:
            _kept.move_to_end(key)
            return report
    report = build(procedure, now)
    report.kept_as = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    with _lock:
        _kept[key] = report
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return report


def forget() -> None:
    """Drop the kept reports: for what the data's version does not cover, the registered checks
    and the settings, which change only when a test changes them."""
    with _lock:
        _kept.clear()
