"""Back up and restore the database, and tell what a restore rolled back.

SQLite is copied with its online backup API (consistent while the server writes); PostgreSQL
with `pg_dump --format=custom` and `pg_restore`. After a restore the audit trail is verified,
and the restored logs are compared with the newest checkpoints the city keeps: a log shorter
than a checkpoint signed before means events that existed were lost with the restore.
"""

import os
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from itaku.audit.signing import trusted_public_key
from itaku.audit.verifier import Checkpoint, read_checkpoints


class BackupError(Exception):
    pass


def _database() -> dict[str, object]:
    return dict(settings.DATABASES["default"])


def _is_sqlite() -> bool:
    return _database()["ENGINE"] == "django.db.backends.sqlite3"


def _pg_environment() -> dict[str, str]:
    """libpq's variables, so that the password never appears on a command line."""
    db = _database()
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
    }
    return {**os.environ, **{k: str(v) for k, v in values.items() if v}}


def _run(args: list[str]) -> None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            args, env=_pg_environment(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{args[0]} is missing: install the Debian package postgresql-client."
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()}")


def backup(out: Path) -> None:
    """Write a consistent copy of the database to `out` (never over an existing file)."""
    if out.exists():
        raise BackupError(f"{out} exists; a backup never overwrites a file.")
    out.parent.mkdir(parents=True, exist_ok=True)
    if _is_sqlite():
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={out}"])


def restore(source: Path) -> None:
    """Replace the database with the backup `source`. Stop the application servers first."""
    if not source.is_file():
        raise BackupError(f"{source} is not a backup file.")
    connection.close()
    if _is_sqlite():
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (SQLite integrity check).")
            target = sqlite3.connect(str(_database()["NAME"]))
            try:
                backup_db.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not an SQLite backup: {error}") from None
        finally:
            backup_db.close()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_database()['NAME']}",
                str(source),
            ]
        )


def stored_checkpoints() -> list[Checkpoint]:
    """The checkpoints in the database now (before a restore replaces them)."""
    from itaku.audit.models import Checkpoint as StoredCheckpoint

    try:
        return [row.signed() for row in StoredCheckpoint.objects.all()]
    except DatabaseError:  # a database without Itaku's tables yet
        connection.close()
        return []


def kept_checkpoints(files: Iterable[Path]) -> list[Checkpoint]:
    found = []
    for path in files:
        found += read_checkpoints(path.read_text(encoding="utf-8"))
    return found


@dataclass(frozen=True)
class Loss:
    stream: str
    fiscal_year: int
    signed_at: str
    kept: int
    restored: int

    def __str__(self) -> str:
        return (
            f"log {self.stream} {self.fiscal_year}: {self.kept} events in the checkpoint of "
            f"{self.signed_at}, {self.restored} after restore: "
            f"{self.kept - self.restored} events lost"
        )


def losses(kept: Iterable[Checkpoint], restored: dict[tuple[str, int], int]) -> list[Loss]:
    """Logs shorter after the restore than the newest checkpoint kept of them.

    Only checkpoints signed with the trusted key count when one is configured: a forged one
    must not make a good restore look like a loss.
    """
    key = trusted_public_key()
    newest: dict[tuple[str, int], Checkpoint] = {}
    for checkpoint in kept:
        if key is not None and not checkpoint.signed_by(key):
            continue
        name = (checkpoint.stream, checkpoint.fiscal_year)
        if name not in newest or checkpoint.size > newest[name].size:
            newest[name] = checkpoint
    return [
        Loss(stream, year, point.signed_at, point.size, restored.get((stream, year), 0))
        for (stream, year), point in sorted(newest.items())
        if restored.get((stream, year), 0) < point.size
    ]
