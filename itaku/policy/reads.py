"""Reads shared by the compliance checks of one report, and read together in one statement.

`assess` runs every check inside `shared_reads(at, report=True)`. What several checks read is
read once per report with `memo(key, compute)`. What the checks read of the records is declared
once, as a query set for a moment, with `@source(key)`; a check asks for it with
`read(key, at)`. Within a report the first `read` takes every declared source in one SQL
statement (`fetch`), so the report's queries do not grow with the clauses; outside a report (a
check called alone, or a page that found its report kept, `compliance_report.current`) `read`
runs that one query set. `counts` takes several counts in one statement.
"""

import json
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import IntegerField, QuerySet, Value
from django.db.models.sql.constants import MULTI

T = TypeVar("T")

_store: ContextVar[dict[Hashable, Any] | None] = ContextVar("compliance_reads", default=None)

Source = Callable[[datetime], "QuerySet[Any] | Counts"]
_sources: dict[str, Source] = {}

# The moment the store's sources were read for, and whether a report is computed in it, under
# keys no caller uses.
_AT = object()
_REPORT = object()


@contextmanager
def shared_reads(at: datetime | None = None, *, report: bool = False) -> Iterator[None]:
    """Within this block, `memo` keeps what it computed and `read` keeps what it read for `at`;
    once a `report` is computed in it, the first `read` reads every source at once (one report,
    one set of reads)."""
    store = _store.get()
    if store is not None:
        if at is not None:
            store.setdefault(_AT, at)
        if report:
            store[_REPORT] = True
        yield
        return
    token = _store.set({_REPORT: report} if at is None else {_AT: at, _REPORT: report})
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


def source(key: str) -> Callable[[Source], Source]:
    """Declare what a check reads: a function of the moment returning a query set."""

    def register(func: Source) -> Source:
        _sources[key] = func
        return func

    return register


def read(key: str, at: datetime) -> Any:
    """The rows of the source `key` at `at`: within a report, every source read in one statement
    on the first call; alone, just this one."""
    store = _store.get()
    if store is None or store.get(_AT) != at:
        return _read_one(key, at)
    if ("source", key) not in store:
        if not store.get(_REPORT):
            store[("source", key)] = _read_one(key, at)
            return store[("source", key)]
        every = fetch({name: func(at) for name, func in _sources.items()})
        for name, rows in every.items():
            store.setdefault(("source", name), rows)
    return store[("source", key)]


def _read_one(key: str, at: datetime) -> Any:
    found = _sources[key](at)
    return counts(found) if isinstance(found, Counts) else list(found)


class Counts(dict[str, QuerySet[Any]]):
    """A source of several counts: `read` gives the number of rows of each query set."""


def counts(querysets: dict[str, QuerySet[Any]]) -> dict[str, int]:
    """The number of rows of each query set, in one SQL statement."""
    if not querysets:
        return {}
    sql, params = _counts_sql(querysets)
    using = next(iter(querysets.values())).db
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def _counts_sql(querysets: dict[str, QuerySet[Any]]) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets.values():
        sql, qs_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608 - compiled SQL
        params.extend(qs_params)
    return f"SELECT {', '.join(parts)}", params  # noqa: S608 - compiled SQL


_DECODER = json.JSONDecoder(parse_float=Decimal)

# json_array / json_build_array take at most 100 arguments on PostgreSQL: a wide row goes in
# arrays of this many columns, nested in one.
_CHUNK = 50


def fetch(querysets: Mapping[str, "QuerySet[Any] | Counts"]) -> dict[str, Any]:
    """What each query set gives (model instances with what they select_related, dicts of
    `values()`, tuples of `values_list()`), all in one SQL statement.

    Each query set becomes a common table expression; every row comes back as a JSON array of
    its columns, tagged with the query set it belongs to, and is handed to the query set's own
    iterable as if its query had run: conversions, select_related and annotations work as
    usual. Prefetches (`prefetch_related`) would still run their own queries. `Counts` give
    a dict of counts.
    """
    if not querysets:
        return {}
    using = next(qs.db for qs in querysets.values() if isinstance(qs, QuerySet))
    connection = connections[using]
    postgres = connection.vendor == "postgresql"
    ctes: list[str] = []
    arms: list[str] = []
    params: list[Any] = []
    prepared: dict[str, Any] = {}
    results: dict[str, Any] = {}
    for number, (key, queryset) in enumerate(querysets.items()):
        if isinstance(queryset, Counts):
            sql, qs_params = _counts_sql(queryset)
            types = ["IntegerField"] * len(queryset)
        else:
            clone = queryset._chain()  # type: ignore[attr-defined]
            compiler = clone.query.get_compiler(using=using)
            try:
                sql, qs_params = compiler.as_sql()
            except EmptyResultSet:
                results[key] = []
                continue
            types = [
                expression.output_field.get_internal_type() for expression, *_ in compiler.select
            ]
            prepared[key] = (clone, compiler, types)
        columns = [f"c{index}" for index in range(len(types))]
        ctes.append(f"q{number}({', '.join(columns)}) AS ({sql})")
        params.extend(qs_params)
        arms.append(_arm(number, columns, types, postgres))
    payloads: dict[int, list[str]] = {number: [] for number in range(len(querysets))}
    if arms:
        statement = f"WITH {', '.join(ctes)} {' UNION ALL '.join(arms)}"
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            for number, payload in cursor.fetchall():
                payloads[number].append(payload)
    # Each query set's rows decoded at once, as one JSON array of rows.
    rows = {
        number: [
            [value for chunk in chunks for value in chunk]
            for chunks in _DECODER.decode(f"[{','.join(found)}]")
        ]
        for number, found in payloads.items()
    }
    for number, (key, queryset) in enumerate(querysets.items()):
        if isinstance(queryset, Counts):
            results[key] = dict(zip(queryset, rows[number][0], strict=True))
        elif key in prepared:
            clone, compiler, types = prepared[key]
            native = [_native(row, types, postgres) for row in rows[number]]
            results[key] = _replay(clone, compiler, native)
    return results


def _arm(number: int, columns: list[str], types: list[str], postgres: bool) -> str:
    """`SELECT number, [[c0, c1, …], […]]` from the common table expression `q<number>`."""
    array = "json_build_array" if postgres else "json_array"
    values = [_as_json(column, kind, postgres) for column, kind in zip(columns, types, strict=True)]
    chunks = [
        f"{array}({', '.join(values[start : start + _CHUNK])})"
        for start in range(0, len(values), _CHUNK)
    ]
    text = "::text" if postgres else ""
    return f"SELECT {number}, {array}({', '.join(chunks)}){text} FROM q{number}"  # noqa: S608


def _as_json(column: str, internal_type: str, postgres: bool) -> str:
    """The column as a JSON value: bytes as hexadecimal, JSON as its text."""
    if internal_type == "BinaryField":
        return f"encode({column}, 'hex')" if postgres else f"hex({column})"
    if internal_type == "JSONField" and postgres:
        return f"{column}::text"
    return column


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "DateField": date.fromisoformat,
    "TimeField": time.fromisoformat,
    "UUIDField": UUID,
    "FloatField": float,
}


def _native(row: list[Any], types: list[str], postgres: bool) -> tuple[Any, ...]:
    """The row as the database driver would have given it, for the backend's converters."""
    values: list[Any] = []
    for value, internal_type in zip(row, types, strict=True):
        if value is None:
            values.append(None)
        elif internal_type == "BinaryField":
            values.append(bytes.fromhex(value))
        elif internal_type == "FloatField" or not postgres:
            # SQLite's driver gives text, integers and reals, as JSON does; its converters parse.
            values.append(float(value) if internal_type == "FloatField" else value)
        elif internal_type == "DateTimeField":
            moment = datetime.fromisoformat(value)
            values.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
        elif internal_type in _PARSERS:
            values.append(_PARSERS[internal_type](value))
        else:
            values.append(value)
    return tuple(values)


def _replay(queryset: QuerySet[Any], compiler: Any, rows: list[tuple[Any, ...]]) -> list[Any]:
    """What `queryset` gives when its query returns `rows`: its compiler, already set up by
    `as_sql`, hands them over instead of running the query."""

    def execute_sql(result_type: Any = MULTI, *args: Any, **kwargs: Any) -> Any:
        if result_type != MULTI:
            raise ValueError(result_type)
        return [rows]

    compiler.execute_sql = execute_sql
    queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
    return list(queryset)


def attach(
    parents: list[Any], children: list[Any], model: Any, field_name: str, to_attr: str = ""
) -> None:
    """Give each parent its `children` (of `model`, pointing to the parent through its foreign
    key `field_name`) as `prefetch_related` would: in the related manager's cache, or as the
    list `to_attr`."""
    field = model._meta.get_field(field_name)
    by_parent: dict[Any, list[Any]] = {parent.pk: [] for parent in parents}
    for child in children:
        key = getattr(child, field.attname)
        if key in by_parent:
            by_parent[key].append(child)
    cache_name = field.remote_field.cache_name
    accessor = field.remote_field.get_accessor_name()
    for parent in parents:
        found = by_parent[parent.pk]
        for child in found:
            field.set_cached_value(child, parent)
        if to_attr:
            setattr(parent, to_attr, found)
            continue
        queryset = getattr(parent, accessor).get_queryset()
        queryset._result_cache = found
        queryset._prefetch_done = True
        parent.__dict__.setdefault("_prefetched_objects_cache", {})[cache_name] = queryset


def moment() -> datetime | None:
    """The moment the current report is computed for, None outside a report."""
    store = _store.get()
    return None if store is None else store.get(_AT)


def totals(queryset: QuerySet[Any], **aggregates: Any) -> QuerySet[Any]:
    """`queryset.aggregate(**aggregates)` as a query set of one row (a dict), to be a source."""
    one = Value(1, output_field=IntegerField())
    rows: QuerySet[Any] = queryset.order_by().values(one=one).annotate(**aggregates)
    return rows.values(*aggregates)
