"""A data version row is a writer's: a database session on PostgreSQL, a table on SQLite
(`itaku.policy.dataversion`)."""

from django.db import migrations


def replace_trigger_function(apps, schema_editor):
    # SQLite rewrites its triggers with the column's new name; PostgreSQL keeps the function's
    # text, which would fail on the next write of this very `migrate`.
    if schema_editor.connection.vendor == "postgresql":
        from itaku.policy.dataversion import POSTGRESQL_FUNCTION

        schema_editor.execute(POSTGRESQL_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("policy", "0002_data_version")]

    operations = [
        migrations.RenameField("dataversion", "table_name", "writer"),
        migrations.RunPython(replace_trigger_function, migrations.RunPython.noop),
    ]
