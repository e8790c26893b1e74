"""`itaku audit verify|export|checkpoint|keygen|prove`: the audit trail from the command line."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext_noop

from itaku.audit import chain
from itaku.audit.actions import sign_checkpoints
from itaku.audit.context import source
from itaku.audit.export import write_bundle
from itaku.audit.models import Event, Log
from itaku.audit.signing import (
    KeyFileError,
    configured_signing_key,
    generate,
    load_signing_key,
    trusted_public_key,
)
from itaku.audit.verifier import Checkpoint as SignedCheckpoint
from itaku.audit.verifier import (
    LogReport,
    describe,
    key_id,
    leaf_hash,
    read_checkpoints,
    verify_inclusion,
)
from itaku.core.bilingual import both


def _read_kept(paths: list[Path]) -> list[SignedCheckpoint]:
    """Checkpoints from files the city keeps away from the database."""
    kept: list[SignedCheckpoint] = []
    for path in paths:
        try:
            kept += read_checkpoints(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(
                both(gettext_noop("%(path)s cannot be read: %(error)s"), path=path, error=error)
            ) from error
    return kept


class Command(BaseCommand):
    help = "Verify, export and sign the audit trail. Exit code 1 when verification fails."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        verify = commands.add_parser("verify", help="check every log and its checkpoints")
        verify.add_argument("--fiscal-year", type=int)
        verify.add_argument("--stream")
        verify.add_argument(
            "--checkpoints",
            type=Path,
            action="append",
            default=[],
            help="checkpoints the city keeps elsewhere (written by `checkpoint --out`)",
        )
        export = commands.add_parser("export", help="write the bundle an auditor verifies")
        export.add_argument("--fiscal-year", type=int, required=True)
        export.add_argument("out", type=Path)
        checkpoint = commands.add_parser("checkpoint", help="sign every log that grew (cron)")
        checkpoint.add_argument("--key", type=Path, help="signing key; default the setting")
        checkpoint.add_argument(
            "--out", type=Path, help="also append the checkpoints here (and verify against it)"
        )
        checkpoint.add_argument("--checkpoints", type=Path, action="append", default=[])
        keygen = commands.add_parser("keygen", help="create a signing key (and FILE.pub)")
        keygen.add_argument("out", type=Path)
        prove = commands.add_parser("prove", help="inclusion proof of one event")
        prove.add_argument("stream")
        prove.add_argument("fiscal_year", type=int)
        prove.add_argument("seq", type=int)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except KeyFileError as error:
            raise CommandError(
                both(gettext_noop("The key cannot be read: %(error)s"), error=error)
            ) from error

    def _verify(
        self, fiscal_year: int | None, stream: str | None, checkpoints: list[Path], **options: Any
    ) -> None:
        result = chain.verify(fiscal_year, stream, kept=_read_kept(checkpoints))
        if not result.reports:
            self.stdout.write(both(gettext_noop("No audit log matches.")))
        for report in result.reports:
            self.stdout.write(_in_both(report))
        if not result.checkpoints_checked:
            self.stdout.write(
                both(
                    gettext_noop(
                        "No public key is configured (ITAKU_AUDIT_PUBLIC_KEY): checkpoints "
                        "were not checked."
                    )
                )
            )
        if not result.ok:
            raise SystemExit(1)

    def _export(self, fiscal_year: int, out: Path, **options: Any) -> None:
        key = trusted_public_key()
        if key is None:
            raise CommandError(
                both(gettext_noop("Set ITAKU_AUDIT_PUBLIC_KEY: the bundle must name its key."))
            )
        if out.is_dir():
            out = out / f"itaku-audit-{fiscal_year}.zip"
        with open(out, "wb") as target:
            heads = write_bundle(fiscal_year, target, key)
        self.stdout.write(
            both(
                gettext_noop("Wrote %(path)s: %(logs)s logs, %(events)s events."),
                path=out,
                logs=len(heads),
                events=sum(heads.values()),
            )
        )

    def _checkpoint(
        self, key: Path | None, out: Path | None, checkpoints: list[Path], **options: Any
    ) -> None:
        signing = load_signing_key(key) if key is not None else configured_signing_key()
        if signing is None:
            raise CommandError(
                both(
                    gettext_noop("Name the signing key with --key FILE or ITAKU_AUDIT_SIGNING_KEY.")
                )
            )
        with source("command:audit checkpoint"):
            kept_files = [*checkpoints, *([out] if out is not None and out.exists() else [])]
            signing_run = sign_checkpoints(signing, by=None, kept=_read_kept(kept_files))
        made = signing_run.made
        for checkpoint in made:
            self.stdout.write(
                f"{checkpoint.stream} {checkpoint.fiscal_year} {checkpoint.size} "
                f"{bytes(checkpoint.root).hex()}"
            )
        if out is not None and made:
            with open(out, "a", encoding="utf-8") as kept:
                for checkpoint in made:
                    kept.write(json.dumps(checkpoint.signed().as_json()) + "\n")
        self.stdout.write(both(gettext_noop("%(count)s checkpoints signed."), count=len(made)))
        for report in signing_run.refused:
            self.stderr.write(_in_both(report))
        if signing_run.refused:
            raise CommandError(
                both(gettext_noop("Logs that fail verification were not signed: see above."))
            )

    def _keygen(self, out: Path, **options: Any) -> None:
        try:
            key = generate(out)
        except FileExistsError as error:
            raise CommandError(
                both(gettext_noop("%(path)s exists; a key is never overwritten."), path=out)
            ) from error
        self.stdout.write(
            both(
                gettext_noop("Wrote %(path)s and %(path)s.pub, key ID %(key_id)s."),
                path=out,
                key_id=key_id(key.public_key()),
            )
        )

    def _prove(self, stream: str, fiscal_year: int, seq: int, **options: Any) -> None:
        event = Event.objects.filter(stream=stream, fiscal_year=fiscal_year, seq=seq).first()
        log = Log.objects.filter(stream=stream, fiscal_year=fiscal_year).first()
        if event is None or log is None:
            raise CommandError(both(gettext_noop("No such event.")))
        tree = chain.StoredTree(stream, fiscal_year)
        proof = tree.inclusion_proof(seq, log.size)
        root = tree.root(log.size)
        if not verify_inclusion(leaf_hash(bytes(event.body)), seq, log.size, proof, root):
            raise CommandError(
                both(
                    gettext_noop(
                        "The stored hashes do not prove this event: run `itaku audit verify`."
                    )
                )
            )
        self.stdout.write(
            json.dumps(
                {
                    "stream": stream,
                    "fiscal_year": fiscal_year,
                    "seq": seq,
                    "size": log.size,
                    "root": root.hex(),
                    "event": bytes(event.body).decode(),
                    "proof": [node.hex() for node in proof],
                    "at": timezone.now().isoformat(),
                },
                ensure_ascii=False,
                indent=2,
            )
        )


def _in_both(report: LogReport) -> str:
    """A log's line in Japanese, then in English, as every command-line message here."""
    return "\n".join(describe(report, lang) for lang in ("ja", "en"))
