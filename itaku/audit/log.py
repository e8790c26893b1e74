"""The one way to write the audit trail.

Action functions call `record()` inside their own transaction, so the change and its event are
committed together or not at all. Event codes are enumerations (`enum.StrEnum`) declared by each
app in its `events.py`, never free strings. The code's first part names the stream
(`area.carry_in.approved` goes to the `area` log of the fiscal year it happened in).

Views showing records that hold personal data call `record_view()`; imports call
`record_import()` once per file. See docs/audit.md.
"""

from __future__ import annotations

import enum
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from itaku.audit.context import current_source
from itaku.audit.events import AuditEvent
from itaku.audit.models import Event
from itaku.audit.verifier import HASH_SIZE, append_hashes, completed_by, lines_root
from itaku.core.dates import fiscal_year

if TYPE_CHECKING:
    from itaku.people.models import Person

EVENT_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
FORMAT_VERSION = 1
_checked_codes: set[tuple[type, str]] = set()  # codes already found well-formed


_CANONICAL = DjangoJSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces: the exact bytes stored and hashed.

    Verification hashes these stored bytes as they are; nothing is ever re-serialised, so a
    later change in a JSON library cannot make an honest log look altered.
    """
    return _CANONICAL.encode(content).encode()


@cache
def _city_zone() -> ZoneInfo:
    """The fiscal year of an event is the city's, whatever time zone a request activated."""
    return ZoneInfo(settings.TIME_ZONE)


def record(
    code: enum.StrEnum,
    *,
    actor: Person | None,
    capacity: str = "",
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> Event:
    """Append one event. Must run inside the transaction that makes the change."""
    if (type(code), code) not in _checked_codes:
        if not isinstance(code, enum.StrEnum) or not EVENT_CODE.match(code.value):
            raise ValueError(f"audit event codes are dotted enumeration members, not {code!r}")
        _checked_codes.add((type(code), code))
    database = transaction.get_connection()
    if not database.in_atomic_block:
        raise RuntimeError("audit.record() must run in the transaction that makes the change")
    at = timezone.now()
    content: dict[str, Any] = {
        "v": FORMAT_VERSION,
        "at": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "code": code.value,
        "actor": {"id": actor.pk, "name": str(actor)} if actor is not None else None,
        "capacity": str(capacity),
        "object": _describe(target) if target is not None else None,
        "changes": changes or {},
        "source": current_source(),
    }
    return _append(database, code.value.split(".", 1)[0], at, content, actor, target)


def record_view(records: Iterable[models.Model], *, actor: Person | None, page: str) -> Event:
    """Record that `actor` was shown `records` holding personal data ("who looked at whom").

    One event per page shown, naming every record on it by type and ID (not by its contents,
    so the trail does not copy the personal data it watches over).
    """
    shown = [(record._meta.label_lower, str(record.pk)) for record in records]
    with transaction.atomic():
        event = record(
            AuditEvent.PERSONAL_DATA_VIEWED,
            actor=actor,
            changes={"page": page, "records": [f"{kind}:{pk}" for kind, pk in shown]},
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO audit_viewed (event_id, object_type, object_id) VALUES (%s, %s, %s)",
                [(event.pk, kind, pk) for kind, pk in shown],
            )
    return event


def record_import(
    code: enum.StrEnum,
    *,
    actor: Person | None,
    file_name: str,
    data: bytes,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> Event:
    """One event for a whole imported file: its SHA-256 and a Merkle root over its lines.

    Keeping the file, anyone can later prove a single line was part of the import with an
    inclusion proof against `lines_root` (see itaku.audit.verifier), without one event a line.
    """
    count, root = lines_root(data)
    imported = {
        "name": file_name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "lines": count,
        "lines_root": root.hex(),
    }
    return record(code, actor=actor, target=target, changes={**(changes or {}), "file": imported})


def _describe(target: models.Model) -> dict[str, str]:
    return {"type": target._meta.label_lower, "id": str(target.pk), "repr": str(target)[:200]}


def _append(
    database: BaseDatabaseWrapper,
    stream: str,
    at: datetime,
    content: dict[str, Any],
    actor: Person | None,
    target: models.Model | None,
) -> Event:
    """Take the next position in the log and store the event with its hashes.

    The UPDATE of the log's head row is the lock: on PostgreSQL it holds the row until commit,
    on SQLite the transaction already holds the database's write lock (BEGIN IMMEDIATE). Every
    writer thus sees the previous one's event, and positions are gapless.
    """
    year = fiscal_year(at.astimezone(_city_zone()).date())
    code = content["code"]
    object_type = content["object"]["type"] if target is not None else ""
    object_id = content["object"]["id"] if target is not None else ""
    actor_id = actor.pk if actor is not None else None
    sql = _statements(database.vendor)
    # The driver's own cursor: this runs with every change, and Django's cursor wrapper would
    # cost about as much as the statements themselves. Errors are still Django's.
    with database.wrap_database_errors:
        cursor = database.connection.cursor()
        try:
            cursor.execute(sql.grow, (stream, year))
            row = cursor.fetchone()
            if row is None:  # the first event of this log creates its head
                cursor.execute(sql.create, (stream, year))
                cursor.execute(sql.grow, (stream, year))
                row = cursor.fetchone()
            seq = row[0] - 1
            content["stream"], content["fiscal_year"], content["seq"] = stream, year, seq
            body = canonical_bytes(content)
            needed = completed_by(seq)
            left_roots: list[bytes] = []
            if needed:
                cursor.execute(sql.tops[len(needed)], (stream, year, needed[-1], *needed))
                tops = {position: bytes(hashes)[-HASH_SIZE:] for position, hashes in cursor}
                left_roots = [tops[position] for position in needed]
            hashes = append_hashes(body, seq, left_roots)
            cursor.execute(
                sql.insert,
                (
                    stream,
                    year,
                    seq,
                    database.ops.adapt_datetimefield_value(at),
                    code,
                    actor_id,
                    object_type,
                    object_id,
                    body,
                    hashes,
                ),
            )
            pk = cursor.fetchone()[0]
        finally:
            cursor.close()
    # As Django builds a model from a row: quicker than keyword arguments, with every write.
    return Event.from_db(
        database.alias,
        _EVENT_FIELDS,
        (pk, stream, year, seq, at, code, actor_id, object_type, object_id, body, hashes),
    )


_EVENT_FIELDS = [field.attname for field in Event._meta.concrete_fields]


@dataclass(frozen=True)
class _Statements:
    grow: str
    create: str
    tops: dict[int, str]
    insert: str


_GROW = "UPDATE audit_log SET size = size + 1 WHERE stream = %s AND fiscal_year = %s RETURNING size"
_CREATE = (
    "INSERT INTO audit_log (stream, fiscal_year, size) VALUES (%s, %s, 0) "
    "ON CONFLICT (stream, fiscal_year) DO NOTHING"
)
# The range bound keeps the planner on the unique index even when its statistics lag behind
# a quickly growing log; the positions wanted are always just before the new one.
_TOPS = (
    "SELECT seq, hashes FROM audit_event "
    "WHERE stream = %s AND fiscal_year = %s AND seq >= %s AND seq IN "
)
_INSERT = (
    "INSERT INTO audit_event (stream, fiscal_year, seq, occurred_at, code, actor_id, "
    "object_type, object_id, body, hashes) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id"
)


@cache
def _statements(vendor: str) -> _Statements:
    """The append's SQL in the driver's own placeholder style (SQLite's is `?`)."""

    def style(sql: str) -> str:
        return sql.replace("%s", "?") if vendor == "sqlite" else sql

    return _Statements(
        grow=style(_GROW),
        create=style(_CREATE),
        # At most one earlier position per level of the tree: 64 covers any log.
        tops={n: style(_TOPS + "(" + ", ".join(["%s"] * n) + ")") for n in range(1, 65)},
        insert=style(_INSERT),
    )
