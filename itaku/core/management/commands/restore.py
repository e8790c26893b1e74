from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from itaku.audit import chain
from itaku.audit.models import Log
from itaku.audit.signing import KeyFileError
from itaku.audit.verifier import describe
from itaku.core.backup import BackupError, kept_checkpoints, losses, restore, stored_checkpoints


class Command(BaseCommand):
    help = (
        "Replace the database with a backup (stop the application servers first), verify the "
        "audit trail, and report what the restore rolled back against the kept checkpoints. "
        "Exit 1 when events were lost or the trail does not verify."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path)
        parser.add_argument(
            "--checkpoints",
            type=Path,
            action="append",
            default=[],
            help="checkpoints the city keeps (itaku audit checkpoint --out FILE); repeatable",
        )

    def handle(self, *args: Any, source: Path, checkpoints: list[Path], **options: Any) -> None:
        files = list(checkpoints)
        if settings.ITAKU_KEPT_CHECKPOINTS:
            files.append(Path(settings.ITAKU_KEPT_CHECKPOINTS))
        try:
            # The checkpoints of the database being replaced count as kept: they are the
            # newest word on how long each log was.
            kept = stored_checkpoints() + kept_checkpoints(f for f in files if f.exists())
            restore(source)
        except (BackupError, OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {source}.")
        try:
            result = chain.verify()
            for report in result.reports:
                self.stdout.write(describe(report))
            sizes = {(log.stream, log.fiscal_year): log.size for log in Log.objects.all()}
            lost = losses(kept, sizes)
        except KeyFileError as error:
            raise CommandError(f"Restored, but the audit key cannot be read: {error}") from None
        if lost:
            self.stdout.write(
                "ROLLED BACK: the restored database is older than checkpoints the city keeps."
            )
            for loss in lost:
                self.stdout.write(f"  {loss}")
        elif kept:
            self.stdout.write("Every kept checkpoint is covered by the restored logs.")
        else:
            self.stdout.write("No kept checkpoint to compare with: name them with --checkpoints.")
        if lost or not result.ok:
            raise SystemExit(1)
