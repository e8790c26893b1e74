"""Writers in separate processes never fork a log: one gapless sequence that verifies.

Four processes append 500 events each to one stream at the same time, on a SQLite file (the
suite's in-memory database cannot be shared between processes) and, when the suite runs on
PostgreSQL, on a database of its own next to the suite's.
"""

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
WRITERS, EACH = 4, 500


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and modules
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def write_concurrently(database_url: str, var_dir: Path) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ITAKU_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
    }
    migrated = run(["-m", "django", "migrate", "--verbosity", "0"], env)
    assert migrated.returncode == 0, migrated.stderr
    writers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tests.audit.writer", str(EACH)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WRITERS)
    ]
    for writer in writers:
        _out, errors = writer.communicate(timeout=600)
        assert writer.returncode == 0, errors
    verified = run(["-m", "django", "audit", "verify", "--stream", "concurrency"], env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    return verified.stdout


@pytest.mark.once  # a database file of its own
def test_four_processes_on_sqlite_give_one_gapless_log(tmp_path):
    report = write_concurrently(f"sqlite:///{tmp_path / 'shared.sqlite3'}", tmp_path)
    assert "OK    concurrency" in report
    assert f": {WRITERS * EACH} events" in report


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="runs when the suite runs on PostgreSQL",
)
def test_four_processes_on_postgresql_give_one_gapless_log(tmp_path):
    config = settings.DATABASES["default"]
    name = f"{config['NAME']}_audit_concurrency"
    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    admin = psycopg.connect(
        host=server["HOST"] or "127.0.0.1",
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    url = (
        f"postgres://{server['USER']}:{server['PASSWORD']}@{server['HOST'] or '127.0.0.1'}:"
        f"{server['PORT'] or 5432}/{name}"
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            report = write_concurrently(url, tmp_path)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert "OK    concurrency" in report
    assert f": {WRITERS * EACH} events" in report
