"""The lookups no longer indexed by file or by fiscal year: each index cost the import on every
line, and no read needs them (docs/lgwan-import.md). The import counts a file's lookups within
the times its lines span, through the unique key; a disposal reads a year once.

SQLite remakes the table to drop an index of a field, dropping its retention guard (3-6): the
guard is put back after the change, either way.
"""

import django.db.models.deletion
from django.db import migrations, models

from itaku.retention.guard import guard_again


class Migration(migrations.Migration):
    dependencies = [
        ("lgwan", "0004_applications_by_day"),
    ]

    operations = [
        # Undone last: the guard back after the table remade with the old indexes.
        guard_again("lgwan", "lookup", undone=True),
        migrations.AlterField(
            model_name="lookup",
            name="file",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lookups",
                to="lgwan.logfile",
                verbose_name="file",
            ),
        ),
        migrations.AlterField(
            model_name="lookup",
            name="fiscal_year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="fiscal year"),
        ),
        guard_again("lgwan", "lookup"),
    ]
