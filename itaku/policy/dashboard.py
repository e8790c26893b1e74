"""How the dashboard lays out the compliance report: what needs attention first, then each
chapter with its clauses that are ok folded away.

Only the order and grouping of the report's rows change here; the report itself is read as it
is built (`compliance_report`), and every row it gives is shown once.
"""

from dataclasses import dataclass, field

from itaku.policy.compliance_report import ClauseRow
from itaku.policy.models import Chapter
from itaku.policy.registry import Status


@dataclass(frozen=True)
class Line:
    row: ClauseRow
    item: bool  # an item of a clause (2-2-a under 2-2), shown indented


@dataclass
class ChapterLines:
    chapter: Chapter
    attention: list[Line] = field(default_factory=list)  # shown at the top, linked from here
    open: list[Line] = field(default_factory=list)  # no evidence or no check yet: shown
    ok: list[Line] = field(default_factory=list)  # folded


@dataclass
class Layout:
    attention: list[Line]
    chapters: list[ChapterLines]


def lay_out(rows: list[ClauseRow]) -> Layout:
    """The rows in procedure order, each clause followed by its items, sorted by their own
    status: a clause with an item needing attention comes first with that item, while its ok
    items stay folded in its chapter."""
    attention: list[Line] = []
    chapters: list[ChapterLines] = []
    for row in rows:
        if not chapters or chapters[-1].chapter != row.clause.chapter:
            chapters.append(ChapterLines(row.clause.chapter))
        lines = chapters[-1]
        for line in [Line(row, False), *(Line(item, True) for item in row.items)]:
            if line.row.status is Status.ATTENTION:
                attention.append(line)
                lines.attention.append(line)
            elif line.row.status is Status.OK:
                lines.ok.append(line)
            else:
                lines.open.append(line)
    return Layout(attention=attention, chapters=chapters)
