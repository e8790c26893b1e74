"""Signing checkpoints: a signed statement of each log's size and root, kept in the database
and, when the city wants, as files away from it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from django.utils import timezone

from itaku.audit.chain import logs, stored_checkpoints, verify_stored_log
from itaku.audit.events import AuditEvent
from itaku.audit.log import record
from itaku.audit.models import Checkpoint
from itaku.audit.verifier import Checkpoint as SignedCheckpoint
from itaku.audit.verifier import LogReport, check_coverage, key_id

if TYPE_CHECKING:
    from itaku.people.models import Person


@dataclass(frozen=True)
class Signing:
    made: list[Checkpoint]
    refused: list[LogReport]  # logs that failed verification: never signed


@transaction.atomic
def sign_checkpoints(
    key: Ed25519PrivateKey, *, by: Person | None, kept: Sequence[SignedCheckpoint] = ()
) -> Signing:
    """Verify every log, then sign the current head of each that grew since its checkpoint.

    Every log is verified, grown or not, against the checkpoints this key signed before (in
    the database and `kept`, those the city keeps elsewhere), and every log those checkpoints
    name must still be there at least as long: a failing log is reported and never signed, so
    a checkpoint can never launder a log altered in the meantime. Each checkpoint also names
    every log of the trail with its size (v2), so deleting a log whole is caught by the others'.
    Run on a schedule (`itaku audit checkpoint` from cron) and on demand by the manager. When a
    person asks for it, an event records who did; a scheduled run leaves the checkpoints as its
    record, so an idle trail does not grow by one event per run.
    """
    public_key = key.public_key()
    signer = key_id(public_key)
    now = timezone.now().replace(microsecond=0)
    signed_at = now.astimezone(UTC).isoformat().replace("+00:00", "Z")
    stored, refused = stored_checkpoints()
    both = [*stored, *kept]
    earlier = list({(c.note, c.signature): c for c in both if c.key_id == signer}.values())
    # Writers may append meanwhile: each log is taken at the size its head showed.
    heads = logs()
    coverage = [(name, year, size) for name, year, size in heads if type(size) is int and size]
    reports = []
    for name, year, size in heads:
        mine = [c for c in earlier if c.stream == name and c.fiscal_year == year]
        below = size if type(size) is int else None
        reports.append(verify_stored_log(name, year, size, mine, public_key, below=below))
    check_coverage(reports, earlier, public_key)
    made = []
    for report in reports:
        if not report.ok:
            refused.append(report)
            continue
        if report.size == 0 or report.size == max(
            (c.size for c in report.checked_checkpoints), default=0
        ):
            continue  # nothing new to sign
        note = SignedCheckpoint.note_text(
            report.stream, report.fiscal_year, report.size, report.root, signed_at, coverage
        )
        made.append(
            Checkpoint.objects.create(
                stream=report.stream,
                fiscal_year=report.fiscal_year,
                size=report.size,
                root=report.root,
                signed_at=now,
                key_id=signer,
                note=note,
                signature=key.sign(note),
            )
        )
    if made and by is not None:
        record(
            AuditEvent.CHECKPOINT_SIGNED,
            actor=by,
            changes={
                "key_id": signer,
                "checkpoints": [f"{c.stream} {c.fiscal_year} {c.size}" for c in made],
            },
        )
    return Signing(made, refused)
