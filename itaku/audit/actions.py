"""Signing checkpoints: a signed statement of each log's size and root, kept in the database
and, when the city wants, as files away from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from django.utils import timezone

from itaku.audit.chain import stored_rows
from itaku.audit.events import AuditEvent
from itaku.audit.log import record
from itaku.audit.models import Checkpoint, Log
from itaku.audit.verifier import Checkpoint as SignedCheckpoint
from itaku.audit.verifier import LogReport, key_id, verify_log

if TYPE_CHECKING:
    from itaku.people.models import Person


@dataclass(frozen=True)
class Signing:
    made: list[Checkpoint]
    refused: list[LogReport]  # logs that failed verification: never signed


@transaction.atomic
def sign_checkpoints(key: Ed25519PrivateKey, *, by: Person | None) -> Signing:
    """Verify, then sign, the current head of every log that grew since its last checkpoint.

    A log is signed only if it verifies against the checkpoints this key signed before, so a
    checkpoint can never launder a log altered in the meantime. Run on a schedule (`itaku audit
    checkpoint` from cron) and on demand by the manager. When a person asks for it, an event
    records who did; a scheduled run leaves the checkpoints as its record, so an idle trail
    does not grow by one event per run.
    """
    public_key = key.public_key()
    signer = key_id(public_key)
    now = timezone.now().replace(microsecond=0)
    signed_at = now.astimezone(UTC).isoformat().replace("+00:00", "Z")
    made, refused = [], []
    for log in Log.objects.filter(size__gt=0).order_by("fiscal_year", "stream"):
        earlier = [
            c.signed()
            for c in Checkpoint.objects.filter(
                stream=log.stream, fiscal_year=log.fiscal_year, key_id=signer
            )
        ]
        if max((c.size for c in earlier), default=0) == log.size:
            continue
        # Writers may append meanwhile: the log is taken at the size its head showed.
        report = verify_log(
            log.stream,
            log.fiscal_year,
            stored_rows(log.stream, log.fiscal_year, below=log.size),
            checkpoints=earlier,
            public_key=public_key,
            recorded_size=log.size,
        )
        if not report.ok:
            refused.append(report)
            continue
        note = SignedCheckpoint.note_text(
            log.stream, log.fiscal_year, log.size, report.root, signed_at
        )
        made.append(
            Checkpoint.objects.create(
                stream=log.stream,
                fiscal_year=log.fiscal_year,
                size=log.size,
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
