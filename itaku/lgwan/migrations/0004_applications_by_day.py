"""The applications' unique key led by the day: the review reads a day's receipt numbers by an
index range instead of a scan of the whole table (docs/lgwan-import.md).

SQLite remakes the table to change the key, dropping its retention guard (3-6): the guard is
put back after the change, either way.
"""

from django.db import migrations, models

from itaku.retention.guard import guard_again


class Migration(migrations.Migration):
    dependencies = [
        ("lgwan", "0003_day_counts"),
    ]

    operations = [
        # Undone last: the guard back after the old key's table remade.
        guard_again("lgwan", "application", undone=True),
        migrations.RemoveConstraint(model_name="application", name="lgwan_application_once"),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                fields=("day", "receipt_number"), name="lgwan_application_once"
            ),
        ),
        guard_again("lgwan", "application"),
    ]
