"""The logs as Merkle trees in the database: roots, proofs and verification.

Every event stores the roots of the perfect subtrees that end at it (see verifier.py), so the
root of any size and any proof comes from a few rows, never from rehashing the log.
"""

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import DatabaseError, connection, transaction

from itaku.audit.models import Checkpoint, Event, Log
from itaku.audit.signing import trusted_public_key
from itaku.audit.verifier import (
    HASH_SIZE,
    Finding,
    LogReport,
    check_coverage,
    consistency_proof,
    fold,
    frontier_positions,
    inclusion_proof,
    leaf_hash,
    node_hash,
    verify_inclusion,
    verify_log,
)
from itaku.audit.verifier import Checkpoint as SignedCheckpoint


class StoredTree:
    """One log's tree, read from the hashes stored with its events."""

    def __init__(self, stream: str, fiscal_year: int) -> None:
        self.stream = stream
        self.fiscal_year = fiscal_year
        self._hashes: dict[int, bytes] = {}

    def _load(self, positions: list[int]) -> None:
        wanted = [p for p in positions if p not in self._hashes]
        if not wanted:
            return
        rows = Event.objects.filter(
            stream=self.stream, fiscal_year=self.fiscal_year, seq__in=wanted
        ).values_list("seq", "hashes")
        self._hashes.update((seq, bytes(hashes)) for seq, hashes in rows)

    def _node(self, last: int, level: int) -> bytes:
        self._load([last])
        return self._hashes[last][level * HASH_SIZE : (level + 1) * HASH_SIZE]

    def root_of(self, lo: int, hi: int) -> bytes:
        """The root over positions lo to hi - 1 (a range the RFC 9162 recursion asks for)."""
        size = hi - lo
        if size & (size - 1) == 0 and lo % size == 0:
            return self._node(hi - 1, size.bit_length() - 1)
        split = 1 << ((size - 1).bit_length() - 1)
        return node_hash(self.root_of(lo, lo + split), self.root_of(lo + split, hi))

    def root(self, size: int) -> bytes:
        pieces = frontier_positions(size)
        self._load([last for last, _level in pieces])
        return fold([self._node(last, level) for last, level in pieces])

    def inclusion_proof(self, position: int, size: int) -> list[bytes]:
        return inclusion_proof(position, size, self.root_of)

    def consistency_proof(self, old_size: int, size: int) -> list[bytes]:
        return consistency_proof(old_size, size, self.root_of)


def stored_rows(
    stream: str, fiscal_year: int, below: int | None = None
) -> Iterator[tuple[int, bytes, bytes]]:
    """(position, bytes, hashes) of a log in order, streamed from the database."""
    sql = "SELECT seq, body, hashes FROM audit_event WHERE stream = %s AND fiscal_year = %s"
    params: list[str | int] = [stream, fiscal_year]
    if below is not None:
        sql += " AND seq < %s"
        params.append(below)
    sql += " ORDER BY seq"
    if connection.vendor == "sqlite":
        # The driver's cursor steps through the rows in C. Verification is meant to cost no
        # more than hashing the same bytes in memory, and a Python layer per row would.
        connection.ensure_connection()
        with connection.wrap_database_errors:
            cursor = connection.connection.cursor()
            cursor.execute(sql.replace("%s", "?"), params)
        rows: Iterator[tuple[int, bytes, bytes]] = iter(cursor)
        return rows
    return _server_side_rows(sql, params)


def _server_side_rows(sql: str, params: list[str | int]) -> Iterator[tuple[int, bytes, bytes]]:
    with connection.chunked_cursor() as cursor:
        cursor.cursor.itersize = 10_000  # rows per round trip of the server-side cursor
        cursor.execute(sql, params)
        yield from cursor


def logs(
    fiscal_year: int | None = None,
    stream: str | None = None,
    named_by: Iterable[SignedCheckpoint] = (),
) -> list[tuple[str, int, int]]:
    """(stream, fiscal year, recorded size) of every log, including any that lost its head,
    and any that a checkpoint (from the database or kept elsewhere) names."""
    heads = Log.objects.all()
    named = [Event.objects.all(), Checkpoint.objects.all()]
    if fiscal_year is not None:
        heads = heads.filter(fiscal_year=fiscal_year)
        named = [query.filter(fiscal_year=fiscal_year) for query in named]
    if stream is not None:
        heads = heads.filter(stream=stream)
        named = [query.filter(stream=stream) for query in named]
    found: dict[tuple[str, int], int] = {}
    for name, year, size in heads.values_list("stream", "fiscal_year", "size").order_by():
        found[(name, year)] = size
    for query in named:
        for name, year in query.values_list("stream", "fiscal_year").distinct().order_by():
            found.setdefault((name, year), 0)
    for checkpoint in named_by:
        if (fiscal_year is None or checkpoint.fiscal_year == fiscal_year) and (
            stream is None or checkpoint.stream == stream
        ):
            found.setdefault((checkpoint.stream, checkpoint.fiscal_year), 0)
    # Sorted as text: a tampered row may hold a value of another type (see verify()).
    return sorted(((s, y, size) for (s, y), size in found.items()), key=str)


@dataclass(frozen=True)
class Verification:
    reports: list[LogReport]
    checkpoints_checked: bool  # False when no public key is configured

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.reports)


def stored_checkpoints(
    fiscal_year: int | None = None, stream: str | None = None
) -> tuple[list[SignedCheckpoint], list[LogReport]]:
    """The database's checkpoints as signed, and a failing report for any row that cannot be
    read as one (its text, signature or key ID altered into something else)."""
    rows = Checkpoint.objects.all()
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    if stream is not None:
        rows = rows.filter(stream=stream)
    good, broken = [], []
    sql = "SELECT id, stream, fiscal_year, note, signature, key_id FROM audit_checkpoint"
    wanted = {row.pk for row in rows.only("id")}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for pk, name, year, note, signature, key in cursor.fetchall():
            if pk not in wanted:
                continue
            try:
                good.append(SignedCheckpoint.from_note(bytes(note), bytes(signature), str(key)))
            except (TypeError, ValueError, KeyError, UnicodeError):
                report = LogReport(str(name), year if type(year) is int else -1)
                report.finding = Finding(0, "checkpoint_row", {"pk": pk})
                broken.append(report)
    return good, broken


def verify(
    fiscal_year: int | None = None,
    stream: str | None = None,
    kept: Sequence[SignedCheckpoint] = (),
    *,
    index: bool = True,
) -> Verification:
    """Check every log (or those named) from its stored bytes, against its signed checkpoints:
    those in the database and `kept`, those the city keeps elsewhere (`--checkpoints FILE`).

    Any value of an unexpected kind is reported as tampering at its position, never raised.
    """
    key = trusted_public_key()
    if key is None:
        checkpoints: list[SignedCheckpoint] = []
        reports: list[LogReport] = []
    else:
        checkpoints, reports = stored_checkpoints(fiscal_year, stream)
        seen = {(c.note, c.signature) for c in checkpoints}
        checkpoints += [c for c in kept if (c.note, c.signature) not in seen]
    broken = {(r.stream, r.fiscal_year) for r in reports}
    for name, year, size in logs(fiscal_year, stream):
        if (name, year) in broken:
            continue
        mine = [c for c in checkpoints if c.stream == name and c.fiscal_year == year]
        reports.append(verify_stored_log(name, year, size, mine, key, index=index))
    check_coverage(reports, checkpoints, key, fiscal_year=fiscal_year, stream=stream)
    return Verification(reports, checkpoints_checked=key is not None)


def verify_stored_log(
    stream: str,
    fiscal_year: int,
    size: int,
    checkpoints: list[SignedCheckpoint],
    key: Ed25519PublicKey | None,
    *,
    below: int | None = None,
    index: bool = True,
) -> LogReport:
    """One log from the database; whatever was stored in its rows, a report, never an error."""
    report = LogReport(stream, fiscal_year)
    try:
        with transaction.atomic():  # a savepoint: a failed read leaves the caller usable
            report.finding = _foreign_storage(stream, fiscal_year)
            if report.finding is None:
                report = verify_log(
                    stream,
                    fiscal_year,
                    stored_rows(stream, fiscal_year, below=below),
                    checkpoints=checkpoints,
                    public_key=key,
                    recorded_size=size,
                )
            if report.ok and index:
                report.finding = index_mismatch(stream, fiscal_year)
    except (DatabaseError, sqlite3.Error) as error:
        report.finding = Finding(report.size, "unreadable", {"error": error})
    return report


def _foreign_storage(stream: str, fiscal_year: int) -> Finding | None:
    """SQLite stores any kind of value in any column: the first event whose bytes or hashes
    are stored as something else than bytes (text, a number, NULL). PostgreSQL keeps types."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq, typeof(body), typeof(hashes) FROM audit_event "
            "WHERE stream = %s AND fiscal_year = %s "
            "AND (typeof(body) <> 'blob' OR typeof(hashes) <> 'blob') ORDER BY seq LIMIT 1",
            [stream, fiscal_year],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    seq, body, hashes = row
    column, kind = ("bytes", body) if body != "blob" else ("hashes", hashes)
    return Finding(seq if type(seq) is int else -1, "kind", {"column": column, "kind": kind})


def index_mismatch(stream: str, fiscal_year: int) -> Finding | None:
    """The first event whose index columns (time, code, actor, object) are not what its bytes
    say: the screens filter on them, so an altered column would hide or misattribute an event.
    """
    sql = (
        "SELECT seq, occurred_at, code, actor_id, object_type, object_id, body FROM audit_event "
        "WHERE stream = %s AND fiscal_year = %s ORDER BY seq"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [stream, fiscal_year])
        for seq, occurred_at, code, actor_id, object_type, object_id, body in cursor:
            try:
                data = json.loads(bytes(body))
                actor = data["actor"]
                described = data["object"] or {"type": "", "id": ""}
                expected = (
                    data["code"],
                    actor["id"] if actor is not None else None,
                    described["type"],
                    described["id"],
                )
                same = (code, actor_id, object_type, object_id) == expected and _same_time(
                    occurred_at, data["at"]
                )
            except (TypeError, ValueError, KeyError):
                same = False
            if not same:
                return Finding(seq if type(seq) is int else -1, "index")
    return None


def _same_time(column: object, recorded: str) -> bool:
    """The time column against the event's own time (ISO 8601, UTC, `Z`)."""
    if isinstance(column, str):  # SQLite hands back its text
        column = datetime.fromisoformat(column)
    if not isinstance(column, datetime):
        return False
    if column.tzinfo is None:
        column = column.replace(tzinfo=UTC)
    return column == datetime.fromisoformat(recorded.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Inclusion:
    """An event's inclusion proof in a signed checkpoint of its log (RFC 9162 2.1.3)."""

    checkpoint: Checkpoint
    proof: list[bytes]
    holds: bool  # the proof leads from the event's bytes to the signed root
    signed: bool | None  # the signature checks with the trusted key; None: no key configured

    @property
    def size_in_bytes(self) -> int:
        return len(self.proof) * HASH_SIZE


def inclusion_in_checkpoint(event: Event) -> Inclusion | None:
    """The proof in the latest checkpoint covering the event, or None while none covers it."""
    checkpoint = (
        Checkpoint.objects.filter(
            stream=event.stream, fiscal_year=event.fiscal_year, size__gt=event.seq
        )
        .order_by("-size", "-id")
        .first()
    )
    if checkpoint is None:
        return None
    proof = StoredTree(event.stream, event.fiscal_year).inclusion_proof(event.seq, checkpoint.size)
    holds = verify_inclusion(
        leaf_hash(bytes(event.body)), event.seq, checkpoint.size, proof, bytes(checkpoint.root)
    )
    key = trusted_public_key()
    signed = checkpoint.signed().signed_by(key) if key is not None else None
    return Inclusion(checkpoint, proof, holds, signed)
