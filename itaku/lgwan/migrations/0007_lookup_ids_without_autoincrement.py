"""The lookups' IDs without AUTOINCREMENT on SQLite (`itaku.lgwan.models.RowId`): its write to
`sqlite_sequence` on every imported line cost the import a third of the database's time. SQLite
remakes the table, so the retention guard is put back; PostgreSQL's identity column stays as it
is (no statement).
"""

from django.db import migrations

import itaku.lgwan.models
from itaku.retention.guard import guard_again


class Migration(migrations.Migration):
    dependencies = [
        ("lgwan", "0006_lookup_names_bytewise"),
    ]

    operations = [
        # Undone last: the guard back after the table remade with AUTOINCREMENT.
        guard_again("lgwan", "lookup", undone=True),
        migrations.AlterField(
            model_name="lookup",
            name="id",
            field=itaku.lgwan.models.RowId(primary_key=True, serialize=False),
        ),
        guard_again("lgwan", "lookup"),
    ]
