"""Reads shared by the compliance checks of one report, and counts taken in one statement.

`assess` runs every check inside `shared_reads()`: what several checks read (the contracts in
force and what hangs on them, the current roles, the areas, the people inside) is read once per
report with `memo(key, compute)`. Outside a report (a check called alone) `memo` just computes.
`counts` takes several counts in one SQL statement.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connections
from django.db.models import QuerySet

T = TypeVar("T")

_store: ContextVar[dict[Hashable, Any] | None] = ContextVar("compliance_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within this block, `memo` keeps what it computed (one report, one set of reads)."""
    if _store.get() is not None:
        yield
        return
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]  # type: ignore[no-any-return]


def counts(querysets: dict[str, QuerySet[Any]]) -> dict[str, int]:
    """The number of rows of each query set, in one SQL statement."""
    if not querysets:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    using = next(iter(querysets.values())).db
    for queryset in querysets.values():
        sql, qs_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608 - compiled SQL
        params.extend(qs_params)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608 - compiled SQL
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))
