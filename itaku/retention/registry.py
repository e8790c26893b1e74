"""Which models hold evidence (3-6), and what holds a record back from disposal.

An app registers an evidence model by subclassing `FiscalRecord` (and setting its
`retention_clause`); the registry is every concrete subclass, so a new evidence model cannot be
left out. Its migration must guard the table (`itaku.retention.guard.guard`);
`tests/retention/test_guard.py` fails for a model that is registered but not guarded.

Records too many to name one by one in the audit trail (a lookup log's lines) are counted there
instead: their app registers a function (`counted`) that compares the counts the trail keeps
with the rows present and names what is short, for the check that nothing vanished.

Holds (DOMAIN.md: "records tied to an open incident or inspection are held until it closes"):
an app registers a function that, given a model and the records about to be disposed of,
returns the ones it holds back, with the reason. 5-11 registers open inspections
(`itaku.contractors.models`), chapter 6 open incidents (`itaku.incidents.holds`), 3-1 the
designations and role changes still in effect (`itaku.people.holds`).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.functional import Promise

from itaku.retention.models import Disposal, DisposedRecord, FiscalRecord


def evidence_models() -> list[type[FiscalRecord]]:
    """Every concrete evidence model, in app then model order."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, FiscalRecord) and not model._meta.abstract
    ]


def by_clause() -> dict[str, list[type[FiscalRecord]]]:
    """The evidence models behind each clause; 3-6 (keeping records) stands behind all."""
    clauses: dict[str, list[type[FiscalRecord]]] = defaultdict(list)
    for model in evidence_models():
        clauses["3-6"].append(model)
        if model.retention_clause != "3-6":
            clauses[model.retention_clause].append(model)
    return dict(clauses)


# The disposal records are guarded as well, for good; they are not disposed of themselves.
DISPOSAL_MODELS: tuple[type[models.Model], ...] = (Disposal, DisposedRecord)


Records = models.QuerySet[FiscalRecord]


@dataclass(frozen=True)
class Hold:
    reason: Promise | str
    held: Callable[[type[FiscalRecord], Records], Records | None]


_holds: list[Hold] = []


def hold(reason: Promise | str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Register `func(model, records) -> records held back, or None if it does not apply`."""

    def register(func: Callable[..., object]) -> Callable[..., object]:
        _holds.append(Hold(reason, func))  # type: ignore[arg-type]
        return func

    return register


def held(
    model: type[FiscalRecord], records: models.QuerySet[FiscalRecord]
) -> list[tuple[Promise | str, int]]:
    """Each hold that keeps some of `records`, with how many it keeps."""
    found = []
    for each in _holds:
        kept = each.held(model, records)
        if kept is not None:
            count = kept.count()
            if count:
                found.append((each.reason, count))
    return found


# Per evidence model, what is missing against the counts the audit trail keeps: one text each
# ("file 12, fiscal year 2025: 3 of 4,000"), and how many records that is.
Shortfalls = dict[type[FiscalRecord], list[tuple[str, int]]]
_counted: list[Callable[[], Shortfalls]] = []


def counted(func: Callable[[], Shortfalls]) -> Callable[[], Shortfalls]:
    """Register `func() -> {model: [(where, how many missing)]}` for records the audit trail
    counts rather than names; only shortfalls without a disposal are to be returned."""
    _counted.append(func)
    return func


def shortfalls() -> Shortfalls:
    found: Shortfalls = defaultdict(list)
    for func in _counted:
        for model, missing in func().items():
            found[model].extend(missing)
    return dict(found)
