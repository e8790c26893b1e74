"""The compliance report: every clause of the current procedure with its status.

One function, used by the dashboard, `itaku compliance` and the API alike.
"""

from dataclasses import dataclass
from datetime import datetime

from itaku.policy.models import Clause, Procedure
from itaku.policy.registry import SEVERITY, ClauseStatus, Status, assess


@dataclass
class ClauseRow:
    clause: Clause
    result: ClauseStatus
    status: Status
    items: list["ClauseRow"]


@dataclass
class Report:
    procedure: Procedure
    at: datetime
    rows: list[ClauseRow]

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
                    "evidence": row.result.evidence,
                    "findings": row.result.findings,
                    "facts": row.result.facts,
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
        if items and not result.checked:
            status = min((item.status for item in items), key=SEVERITY.index)
        return ClauseRow(clause=clause, result=result, status=status, items=items)

    return Report(
        procedure=procedure,
        at=at,
        rows=[row(clause) for clause in clauses if clause.parent_id is None],
    )
