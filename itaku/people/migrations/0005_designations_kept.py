"""The records of 3-1 are evidence (3-6): designations, absences and role changes.

Each carries the fiscal year its retention counts from, filled here for existing rows from the
same date the model uses, and the database refuses to delete one without a disposal.
"""

from django.db import migrations, models

from itaku.core.dates import fiscal_year
from itaku.retention.guard import guard

# The date each record's fiscal year follows (the models' `fiscal_date_field`).
DATES = {
    "roleassignment": "starts_on",
    "absence": "starts_at",
    "rolechange": "proposed_at",
}


def fill_fiscal_years(apps, schema_editor):
    for name, field in DATES.items():
        model = apps.get_model("people", name)
        rows = list(model.objects.all())
        for row in rows:
            row.fiscal_year = fiscal_year(getattr(row, field))
        model.objects.bulk_update(rows, ["fiscal_year"], batch_size=500)


def fiscal_year_field():
    return models.PositiveSmallIntegerField(
        db_index=True, default=0, editable=False, verbose_name="fiscal year"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_organization_kind_visitor"),
        ("retention", "0001_initial"),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name=name,
                name="fiscal_year",
                field=fiscal_year_field(),
                preserve_default=False,
            )
            for name in DATES
        ],
        migrations.RunPython(fill_fiscal_years, migrations.RunPython.noop),
        guard("people", *DATES),
    ]
