"""The applications' unique key led by the day: the review reads a day's receipt numbers by an
index range instead of a scan of the whole table (docs/lgwan-import.md).

SQLite remakes the table to change the key, dropping its retention guard (3-6): the guard is
put back after the change, either way.
"""

from typing import Any

from django.db import migrations, models

from itaku.retention.guard import drop_trigger, evidence_tables, guard_statements


def guard_again(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    model = apps.get_model("lgwan", "application")
    for table, _parent in evidence_tables(model):
        for statement in drop_trigger(vendor, table):
            schema_editor.execute(statement, params=None)
    for statement in guard_statements(vendor, model):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("lgwan", "0003_day_counts"),
    ]

    operations = [
        # Undone last: the guard back after the old key's table remade.
        migrations.RunPython(migrations.RunPython.noop, guard_again, elidable=False),
        migrations.RemoveConstraint(model_name="application", name="lgwan_application_once"),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                fields=("day", "receipt_number"), name="lgwan_application_once"
            ),
        ),
        migrations.RunPython(guard_again, migrations.RunPython.noop, elidable=False),
    ]
