"""LGWAN evidence is kept (3-6): a fiscal year on every record, no CASCADE, a guard.

Terminals' verifications, IDs, imported files, their lookups and rejected lines, applications,
findings and day reviews carry the fiscal year their retention counts from. Existing rows get
it here with one UPDATE per fiscal year (a lookup log may hold millions of rows), from the
same date the model uses. A rejected line no longer goes with its file (PROTECT), and the
database refuses to delete any of these records without a disposal. The lookups' unique key
is led by their time, the indexes by ID go and their links are not checked row by row: the
import's speed (docs/lgwan-import.md).
"""

from datetime import date, datetime, time

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max, Min
from django.utils import timezone

from itaku.core.dates import fiscal_year
from itaku.retention.guard import guard

# The date each record's fiscal year follows (the models' `fiscal_date_field`).
DATES = {
    "verification": "verified_at",
    "account": "issued_at",
    "logfile": "imported_at",
    "lookup": "occurred_at",
    "rejectedline": "file__imported_at",
    "application": "day",
    "finding": "day",
    "dayreview": "day",
}


def _bound(year: int, moment: date | datetime) -> date | datetime:
    """1 April of `year`, as a date or as the city's midnight, like the field compared."""
    if isinstance(moment, datetime):
        zone = timezone.get_current_timezone()
        return datetime.combine(date(year, 4, 1), time(0), tzinfo=zone)
    return date(year, 4, 1)


def fill_fiscal_years(apps, schema_editor):
    for name, path in DATES.items():
        rows = apps.get_model("lgwan", name).objects.all()
        span = rows.aggregate(first=Min(path), last=Max(path))
        if span["first"] is None:
            continue
        for year in range(fiscal_year(span["first"]), fiscal_year(span["last"]) + 1):
            start, end = _bound(year, span["first"]), _bound(year + 1, span["first"])
            rows.filter(**{f"{path}__gte": start, f"{path}__lt": end}).update(fiscal_year=year)


MODELS = list(DATES)


class Migration(migrations.Migration):
    dependencies = [
        ("lgwan", "0001_initial"),
        ("retention", "0001_initial"),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name=name,
                name="fiscal_year",
                field=models.PositiveSmallIntegerField(
                    db_index=True, default=0, editable=False, verbose_name="fiscal year"
                ),
                preserve_default=False,
            )
            for name in MODELS
        ],
        migrations.AlterField(
            model_name="rejectedline",
            name="file",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rejected_lines",
                to="lgwan.logfile",
                verbose_name="file",
            ),
        ),
        # The import's speed (docs/lgwan-import.md): the unique key led by the time serves the
        # day's reads as well; the rules need no index by ID.
        migrations.RemoveConstraint(model_name="lookup", name="lgwan_lookup_once"),
        migrations.RemoveIndex(model_name="lookup", name="lgwan_looku_occurre_f7a95b_idx"),
        migrations.RemoveIndex(model_name="lookup", name="lgwan_looku_account_1bb61d_idx"),
        migrations.RemoveIndex(model_name="lookup", name="lgwan_looku_account_467fe2_idx"),
        migrations.AddConstraint(
            model_name="lookup",
            constraint=models.UniqueConstraint(
                fields=("occurred_at", "source", "line_key"), name="lgwan_lookup_once"
            ),
        ),
        # Links the import sets itself, not checked row by row by the database (see the model).
        migrations.AlterField(
            model_name="lookup",
            name="account",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lookups",
                to="lgwan.account",
                verbose_name="LGWAN ID",
            ),
        ),
        migrations.AlterField(
            model_name="lookup",
            name="file",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lookups",
                to="lgwan.logfile",
                verbose_name="file",
            ),
        ),
        migrations.AlterField(
            model_name="lookup",
            name="source",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lgwan.logsource",
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="lookup",
            name="terminal",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lookups",
                to="lgwan.terminal",
                verbose_name="terminal",
            ),
        ),
        migrations.RunPython(fill_fiscal_years, migrations.RunPython.noop),
        # After every change to the tables: SQLite remakes a table to alter it, dropping its
        # triggers.
        guard("lgwan", *MODELS),
    ]
