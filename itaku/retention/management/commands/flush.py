"""`flush` as Django has it, past the retention guard (3-6).

Emptying the whole database is the database owner's act, not a disposal: the guard lets it
through with a permit for every evidence table, and the comparison with the audit trail (which
`flush` leaves alone) then names every record it removed (`itaku.retention.compliance`).
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from itaku.retention import registry
from itaku.retention.guard import PERMIT, evidence_tables


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if PERMIT not in connection.introspection.table_names():
            super().handle(**options)
            return
        tables = [
            table
            for model in [*registry.evidence_models(), *registry.DISPOSAL_MODELS]
            for table, _parent in evidence_tables(model)
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {PERMIT} (table_name, fiscal_year) VALUES (%s, NULL)",  # noqa: S608
                [(table,) for table in tables],
            )
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {PERMIT} WHERE fiscal_year IS NULL")  # noqa: S608
