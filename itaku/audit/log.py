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
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
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


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """UTF-8 JSON with sorted keys and no spaces: the exact bytes stored and hashed.

    Verification hashes these stored bytes as they are; nothing is ever re-serialised, so a
    later change in a JSON library cannot make an honest log look altered.
    """
    return json.dumps(
        content, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def record(
    code: enum.StrEnum,
    *,
    actor: Person | None,
    capacity: str = "",
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> Event:
    """Append one event. Must run inside the transaction that makes the change."""
    if not isinstance(code, enum.StrEnum) or not EVENT_CODE.match(code.value):
        raise ValueError(f"audit event codes are dotted enumeration members, not {code!r}")
    if not transaction.get_connection().in_atomic_block:
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
    return _append(code.value.split(".", 1)[0], at, content, actor, target)


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
        if shown:
            rows = ", ".join(["(%s, %s, %s)"] * len(shown))
            params: list[Any] = []
            for kind, pk in shown:
                params += [event.pk, kind, pk]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO audit_viewed (event_id, object_type, object_id) VALUES {rows}",  # noqa: S608 - placeholders only
                    params,
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
    year = fiscal_year(at)
    with connection.cursor() as cursor:
        size = _take_position(cursor, stream, year)
        seq = size - 1
        content["stream"], content["fiscal_year"], content["seq"] = stream, year, seq
        body = canonical_bytes(content)
        needed = completed_by(seq)
        left_roots: list[bytes] = []
        if needed:
            marks = ", ".join(["%s"] * len(needed))
            cursor.execute(
                "SELECT seq, hashes FROM audit_event "  # noqa: S608 - placeholders only
                f"WHERE stream = %s AND fiscal_year = %s AND seq IN ({marks})",
                [stream, year, *needed],
            )
            tops = {position: bytes(hashes)[-HASH_SIZE:] for position, hashes in cursor}
            left_roots = [tops[position] for position in needed]
        hashes = append_hashes(body, seq, left_roots)
        event = Event(
            stream=stream,
            fiscal_year=year,
            seq=seq,
            occurred_at=at,
            code=content["code"],
            actor=actor,
            object_type=content["object"]["type"] if target is not None else "",
            object_id=content["object"]["id"] if target is not None else "",
            body=body,
            hashes=hashes,
        )
        cursor.execute(
            "INSERT INTO audit_event (stream, fiscal_year, seq, occurred_at, code, actor_id, "
            "object_type, object_id, body, hashes) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
            [
                stream,
                year,
                seq,
                connection.ops.adapt_datetimefield_value(at),
                event.code,
                actor.pk if actor is not None else None,
                event.object_type,
                event.object_id,
                body,
                hashes,
            ],
        )
        event.pk = cursor.fetchone()[0]
    return event


def _take_position(cursor: Any, stream: str, year: int) -> int:
    """Grow the log by one and return its new size; the first event of a log creates it."""
    grow = (
        "UPDATE audit_log SET size = size + 1 WHERE stream = %s AND fiscal_year = %s RETURNING size"
    )
    cursor.execute(grow, [stream, year])
    row = cursor.fetchone()
    if row is None:
        cursor.execute(
            "INSERT INTO audit_log (stream, fiscal_year, size) VALUES (%s, %s, 0) "
            "ON CONFLICT (stream, fiscal_year) DO NOTHING",
            [stream, year],
        )
        cursor.execute(grow, [stream, year])
        row = cursor.fetchone()
    size: int = row[0]
    return size
