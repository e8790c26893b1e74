"""How the dashboard lays out the compliance report: what needs attention first, then each
chapter with its clauses that are ok folded away.

Only the order and grouping of the report's rows change here; the report itself is read as it
is built (`compliance_report`), and every row it gives is shown once. The page renders every
clause in one loop over the sections (no include per clause: the dashboard is the page read
most, see docs/architecture.md).
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
class Section:
    """The clauses needing attention (no chapter), or one chapter: its clauses without
    evidence or check shown, then its ok ones folded; those needing attention are named at
    its head and shown in the first section."""

    chapter: Chapter | None
    lines: list[Line] = field(default_factory=list)
    attention: list[Line] = field(default_factory=list)
    fold_at: int | None = None  # index in `lines` of the first folded (ok) line

    @property
    def unproven(self) -> int:
        return len(self.lines) if self.fold_at is None else self.fold_at

    @property
    def ok(self) -> int:
        return len(self.lines) - self.unproven


@dataclass
class Layout:
    sections: list[Section]  # the clauses needing attention (when any), then the chapters

    @property
    def chapters(self) -> list[Section]:
        return [section for section in self.sections if section.chapter is not None]

    @property
    def attention(self) -> list[Line]:
        first = self.sections[0] if self.sections else None
        return first.lines if first is not None and first.chapter is None else []


def lay_out(rows: list[ClauseRow]) -> Layout:
    """The rows in procedure order, each clause followed by its items, sorted by their own
    status: a clause with an item needing attention comes first with that item, while its ok
    items stay folded in its chapter."""
    attention: list[Line] = []
    # Per chapter: its lines needing attention, without evidence or check, and ok.
    chapters: list[tuple[Chapter, list[Line], list[Line], list[Line]]] = []
    for row in rows:
        if not chapters or chapters[-1][0] != row.clause.chapter:
            chapters.append((row.clause.chapter, [], [], []))
        _, needing, unproven, ok = chapters[-1]
        for line in [Line(row, False), *(Line(item, True) for item in row.items)]:
            if line.row.status is Status.ATTENTION:
                attention.append(line)
                needing.append(line)
            else:
                (ok if line.row.status is Status.OK else unproven).append(line)
    sections = [Section(chapter=None, lines=attention)] if attention else []
    sections.extend(
        Section(chapter, unproven + ok, needing, len(unproven) if ok else None)
        for chapter, needing, unproven, ok in chapters
    )
    return Layout(sections)
