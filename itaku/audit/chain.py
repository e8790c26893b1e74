"""The logs as Merkle trees in the database: roots, proofs and verification.

Every event stores the roots of the perfect subtrees that end at it (see verifier.py), so the
root of any size and any proof comes from a few rows, never from rehashing the log.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from itaku.audit.models import Checkpoint, Event, Log
from itaku.audit.signing import trusted_public_key
from itaku.audit.verifier import (
    HASH_SIZE,
    LogReport,
    consistency_proof,
    fold,
    frontier_positions,
    inclusion_proof,
    leaf_hash,
    node_hash,
    verify_inclusion,
    verify_log,
)


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


def logs(fiscal_year: int | None = None, stream: str | None = None) -> list[tuple[str, int, int]]:
    """(stream, fiscal year, recorded size) of every log, including any that lost its head."""
    heads = Log.objects.all()
    named = [Event.objects.all(), Checkpoint.objects.all()]
    if fiscal_year is not None:
        heads = heads.filter(fiscal_year=fiscal_year)
        named = [query.filter(fiscal_year=fiscal_year) for query in named]
    if stream is not None:
        heads = heads.filter(stream=stream)
        named = [query.filter(stream=stream) for query in named]
    found = {(log.stream, log.fiscal_year): log.size for log in heads}
    for query in named:
        for name, year in query.values_list("stream", "fiscal_year").distinct().order_by():
            found.setdefault((name, year), 0)
    return sorted((s, y, size) for (s, y), size in found.items())


@dataclass(frozen=True)
class Verification:
    reports: list[LogReport]
    checkpoints_checked: bool  # False when no public key is configured

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.reports)


def verify(fiscal_year: int | None = None, stream: str | None = None) -> Verification:
    """Check every log (or those named) from its stored bytes, against its signed checkpoints."""
    key = trusted_public_key()
    reports = []
    for name, year, size in logs(fiscal_year, stream):
        checkpoints = (
            [c.signed() for c in Checkpoint.objects.filter(stream=name, fiscal_year=year)]
            if key is not None
            else []
        )
        reports.append(
            verify_log(
                name,
                year,
                stored_rows(name, year),
                checkpoints=checkpoints,
                public_key=key,
                recorded_size=size,
            )
        )
    return Verification(reports, checkpoints_checked=key is not None)


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
