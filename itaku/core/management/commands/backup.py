from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from itaku.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to OUT: SQLite's online backup, or pg_dump "
        "(custom format) for PostgreSQL. Safe while the server runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path)

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        try:
            backup(out)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {out} ({out.stat().st_size:,} bytes).")
