"""What someone who owns the database can do: write behind the retention guard (3-6).

Checks read what is stored, whoever wrote it; tests that build a violation by removing rows
go through here, inside the test's own transaction.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from itaku.retention.guard import guarded_tables, trigger_name


@contextmanager
def guard_dropped(*tables: str) -> Iterator[None]:
    """The guard's DELETE triggers of `tables` are off inside the block, back on after it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield
            cursor.execute("SET LOCAL session_replication_role = origin")
            return
        saved = []
        for table in tables:
            assert table in guarded_tables(connection)
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                [trigger_name(table)],
            )
            (sql,) = cursor.fetchone()
            saved.append(sql)
            cursor.execute(f'DROP TRIGGER "{trigger_name(table)}"')
        yield
        for sql in saved:
            cursor.execute(sql)
