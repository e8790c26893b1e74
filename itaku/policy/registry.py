"""Clause status computed from records.

Each app registers, in its own `compliance.py`, the checks for the clauses its records prove:

    @check("3-1")
    def manager_and_deputy_designated(at: datetime) -> Evidence: ...

A check returns how many records stand behind the clause and what needs attention. A clause with
findings needs attention; one with evidence and no findings is ok; one with a check but neither
has no evidence yet; one that no check covers says so ("not covered yet"), so an auditor never
mistakes a chapter the software does not look at for one whose records are merely missing. A
clause with items (2-2) takes the worst of its own status and its items'.
"""

import enum
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from itaku.policy.reads import shared_reads


class Status(enum.StrEnum):
    OK = "ok"
    ATTENTION = "attention"
    NO_EVIDENCE = "no_evidence"
    NOT_COVERED = "not_covered"

    @property
    def label(self) -> Promise:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.OK: _("OK"),
    Status.ATTENTION: _("Needs attention"),
    Status.NO_EVIDENCE: _("No evidence yet"),
    Status.NOT_COVERED: _("Not covered yet"),
}

# Worst first: how a parent clause sums up its items.
SEVERITY = [Status.ATTENTION, Status.NOT_COVERED, Status.NO_EVIDENCE, Status.OK]


def worst(statuses: list[Status]) -> Status:
    return min(statuses, key=SEVERITY.index)


@dataclass(frozen=True)
class Finding:
    """Something that needs attention, with where to resolve it (a record or a screen)."""

    text: Promise | str
    url: str = ""

    def __str__(self) -> str:
        return str(self.text)


@dataclass(frozen=True)
class Evidence:
    """What a check found: how many records, what needs attention, and what the records say.

    `count` counts only records that show compliance (an admitted entry with its answers, an
    approved request, a reviewed report), never refusals or rejections. `facts` are short
    statements of the evidence itself ("管理者: 見本 一郎"), shown beside the status so a reader
    sees what it rests on, not only a count. A finding may be a `Finding` with the URL of the
    record or screen that resolves it.
    """

    count: int
    findings: tuple[Promise | str | Finding, ...] = ()
    facts: tuple[Promise | str, ...] = ()


@dataclass
class ClauseStatus:
    clause_id: str
    evidence: int = 0
    findings: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    checked: bool = False
    # The URL that resolves each finding, "" where none is known; parallel to `findings`.
    links: list[str] = field(default_factory=list)

    @property
    def status(self) -> Status:
        if not self.checked:
            return Status.NOT_COVERED
        if self.findings:
            return Status.ATTENTION
        return Status.OK if self.evidence else Status.NO_EVIDENCE

    def linked_findings(self) -> list[tuple[str, str]]:
        return list(zip(self.findings, self.links, strict=True))


Check = Callable[[datetime], Evidence]
_checks: dict[str, list[Check]] = defaultdict(list)


def check(*clause_ids: str) -> Callable[[Check], Check]:
    """Register a check for the clauses it gives evidence for."""

    def register(func: Check) -> Check:
        for clause_id in clause_ids:
            _checks[clause_id].append(func)
        return func

    return register


def checks_for(clause_id: str) -> list[Check]:
    return list(_checks.get(clause_id, []))


def checked_clauses() -> set[str]:
    """Every clause ID with at least one registered check."""
    return {clause_id for clause_id, funcs in _checks.items() if funcs}


def assess(clause_ids: list[str], at: datetime) -> dict[str, ClauseStatus]:
    """The status of each clause at `at`. A check shared by several clauses runs once, and
    what several checks read is read once (`itaku.policy.reads`)."""
    results: dict[Check, Evidence] = {}
    with shared_reads(at, report=True):
        return {clause_id: _status(clause_id, at, results) for clause_id in clause_ids}


def _status(clause_id: str, at: datetime, results: dict[Check, Evidence]) -> ClauseStatus:
    """One clause from its checks; `results` keeps what each check found for the others."""
    status = ClauseStatus(clause_id)
    for func in _checks.get(clause_id, []):
        if func not in results:
            results[func] = func(at)
        status.checked = True
        status.evidence += results[func].count
        for finding in results[func].findings:
            status.findings.append(str(finding))
            status.links.append(finding.url if isinstance(finding, Finding) else "")
        status.facts.extend(str(fact) for fact in results[func].facts)
    return status
