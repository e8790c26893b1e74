"""Backup, more writes, restore: the restore verifies the trail and names exactly what was lost."""

import json
import os
import re
import subprocess
import sys

import psycopg
import pytest

from itaku.audit.verifier import Checkpoint
from tests.deploy.support import ROOT, clean_environment

# Each starts installations of its own, on both databases (tests/conftest.py).
pytestmark = pytest.mark.once

POSTGRES = os.environ.get("ITAKU_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def postgres_database(name: str, *, create: bool = True) -> str | None:
    """A new, empty database on the local PostgreSQL server, or None when none answers."""
    try:
        with psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        return None
    return POSTGRES.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def installation(request, tmp_path):
    env = clean_environment(
        ITAKU_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="restore-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        ITAKU_AUDIT_SIGNING_KEY=str(tmp_path / "audit.pem"),
        ITAKU_AUDIT_PUBLIC_KEY=str(tmp_path / "audit.pem.pub"),
    )
    database = f"itaku_restore_{os.getpid()}"
    if request.param == "postgresql":
        url = postgres_database(database)
        if url is None:
            pytest.skip("no PostgreSQL server at 127.0.0.1:5432 (make test says so loudly)")
        env["DATABASE_URL"] = url
        request.addfinalizer(lambda: postgres_database(database, create=False))

    def itaku(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "itaku", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    for step in (
        ["migrate", "--noinput", "--verbosity=0"],
        ["audit", "keygen", env["ITAKU_AUDIT_SIGNING_KEY"]],
    ):
        assert itaku(*step).returncode == 0
    return itaku, tmp_path


def add_person(itaku, name: str) -> None:
    done = itaku("add-person", name, "--organization", "見本市", "--role", "city_staff")
    assert done.returncode == 0, done.stderr


def people_log_size(checkpoint_output: str) -> tuple[int, int]:
    """(fiscal year, size) of the people log from `itaku audit checkpoint`'s lines."""
    (match,) = re.findall(r"^people (\d+) (\d+) [0-9a-f]+$", checkpoint_output, re.MULTILINE)
    return int(match[0]), int(match[1])


def test_a_restore_names_exactly_the_events_lost_since_the_backup(installation):
    itaku, folder = installation
    kept = folder / "kept-checkpoints.jsonl"
    add_person(itaku, "見本 一郎")
    first = itaku("audit", "checkpoint", "--out", str(kept))
    year, at_backup = people_log_size(first.stdout)
    backup = itaku("backup", str(folder / "itaku.backup"))
    assert backup.returncode == 0, backup.stderr

    # Restoring the newest backup loses nothing.
    same = itaku("restore", str(folder / "itaku.backup"), "--checkpoints", str(kept))
    assert same.returncode == 0, same.stdout + same.stderr
    assert "Every kept checkpoint is covered by the restored logs." in same.stdout

    add_person(itaku, "見本 二郎")
    add_person(itaku, "見本 三郎")
    second = itaku("audit", "checkpoint", "--out", str(kept))
    _, later = people_log_size(second.stdout)
    newest = Checkpoint.from_json(json.loads(kept.read_text().splitlines()[-1]))
    assert newest.size == later > at_backup

    restored = itaku("restore", str(folder / "itaku.backup"), "--checkpoints", str(kept))

    assert restored.returncode == 1, restored.stderr
    assert f"OK    people {year}: {at_backup} events" in restored.stdout
    assert "ROLLED BACK" in restored.stdout
    assert (
        f"log people {year}: {later} events in the checkpoint of {newest.signed_at}, "
        f"{at_backup} after restore: {later - at_backup} events lost"
    ) in restored.stdout
    assert itaku("audit", "verify").returncode == 0
    assert itaku("backup", str(folder / "itaku.backup")).returncode != 0  # never overwritten
