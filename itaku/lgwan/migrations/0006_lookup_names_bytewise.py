"""On PostgreSQL, the lookups' line keys and terminal names compared byte by byte (`COLLATE
"C"`): their indexes are written on every imported line, and comparing through the database's
locale cost the import about a quarter of the database's time (docs/lgwan-import.md). The keys
are hexadecimal and the names are only compared with each other, so no result changes. SQLite
compares bytes already (BINARY); the model states no collation, so the column is the same
there.
"""

from typing import Any

from django.db import migrations

COLUMNS = {"line_key": 64, "terminal_name": 40}


def bytewise(apps: Any, schema_editor: Any) -> None:
    _collate(schema_editor, '"C"')


def by_locale(apps: Any, schema_editor: Any) -> None:
    _collate(schema_editor, '"default"')


def _collate(schema_editor: Any, collation: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, length in COLUMNS.items():
        schema_editor.execute(
            f"ALTER TABLE lgwan_lookup ALTER COLUMN {column} "
            f"TYPE varchar({length}) COLLATE {collation}",
            params=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("lgwan", "0005_lookups_unindexed"),
    ]

    operations = [migrations.RunPython(bytewise, by_locale, elidable=False)]
