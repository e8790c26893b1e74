"""Helpers for the audit trail's tests: sample events, a signing key, and a way past the guard.

The guard (triggers refusing UPDATE and DELETE) is what the application meets. The tamper tests
play a database administrator who switches it off, inside the test's own transaction, so the
guard is back for the next test.
"""

import enum
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, transaction

from itaku.audit import verifier
from itaku.audit.log import record
from itaku.audit.models import Event
from itaku.audit.signing import generate, load_signing_key


class SampleEvent(enum.StrEnum):
    NOTED = "sample.thing.noted"
    OTHER = "other.thing.noted"


def append(count: int, code: SampleEvent = SampleEvent.NOTED, **fields) -> list[Event]:
    made = []
    for number in range(count):
        with transaction.atomic():
            made.append(record(code, actor=None, changes={"number": number}, **fields))
    return made


@contextmanager
def guard_switched_off() -> Iterator[None]:
    """What a database administrator could do: write to the trail behind the application."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                "('audit_log', 'audit_event', 'audit_viewed', 'audit_checkpoint')"
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield
            for _name, sql in triggers:
                cursor.execute(sql)


@pytest.fixture(scope="session")
def _checkpoint_key_file(tmp_path_factory) -> Path:
    """One key for the whole run: checkpoints that browser tests commit stay verifiable."""
    path = tmp_path_factory.mktemp("audit-key") / "checkpoint-key.pem"
    generate(path)
    return path


@pytest.fixture
def signing_key(_checkpoint_key_file: Path, settings):
    """A checkpoint key kept on the server, as a small office might configure it."""
    settings.ITAKU_AUDIT_SIGNING_KEY = str(_checkpoint_key_file)
    settings.ITAKU_AUDIT_PUBLIC_KEY = ""
    return load_signing_key(_checkpoint_key_file)


def public_key_file(settings) -> Path:
    return Path(settings.ITAKU_AUDIT_SIGNING_KEY + ".pub")


def run_standalone_verifier(
    *args: str | Path, cwd: Path, **environment: str
) -> subprocess.CompletedProcess[str]:
    """The verifier file as an auditor runs it: no Django, no Itaku, no database.

    `environment` replaces the locale variables (LANG=C unless given), so the language the
    verifier speaks is the one the test asks for.
    """
    script = (
        "import sys, runpy; sys.modules['django'] = None; sys.modules['itaku'] = None; "
        "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    locale_names = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
    env = {k: v for k, v in os.environ.items() if k not in locale_names}
    env.update({"LANG": "C", **environment})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-I", "-c", script, verifier.__file__, *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=60, env=env,
    )  # fmt: skip
