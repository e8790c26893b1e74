"""Incident records are evidence (3-6): no CASCADE, a fiscal year on every record, a guard.

An incident, its written report, investigation tasks and publication decision are kept by the
fiscal year in which the incident became known; a contact chart version and its entries by the
day the version takes effect. Deleting an incident or a chart no longer takes its records with
it (PROTECT); existing rows get their fiscal year from the same date the model uses; and the
database refuses to delete a record without a disposal.
"""

import django.db.models.deletion
from django.db import migrations, models

from itaku.core.dates import fiscal_year
from itaku.retention.guard import guard
from itaku.retention.models import fiscal_date_of

# The date each record's fiscal year follows (the models' `fiscal_date_field`).
DATES = {
    "contactchart": "effective_from",
    "contactentry": "chart.effective_from",
    "incident": "known_at",
    "writtenreport": "incident.known_at",
    "investigationtask": "incident.known_at",
    "publication": "incident.known_at",
}


def fill_fiscal_years(apps, schema_editor):
    for name, path in DATES.items():
        model = apps.get_model("incidents", name)
        rows = list(model.objects.all())
        for row in rows:
            row.fiscal_year = fiscal_year(fiscal_date_of(row, path))
        model.objects.bulk_update(rows, ["fiscal_year"], batch_size=500)


def _fiscal_year_field():
    return models.PositiveSmallIntegerField(
        db_index=True, default=0, editable=False, verbose_name="fiscal year"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("retention", "0001_initial"),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name=name,
                name="fiscal_year",
                field=_fiscal_year_field(),
                preserve_default=False,
            )
            for name in DATES
        ],
        migrations.AlterField(
            model_name="contactentry",
            name="chart",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="incidents.contactchart",
                verbose_name="contact chart",
            ),
        ),
        migrations.AlterField(
            model_name="investigationtask",
            name="incident",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tasks",
                to="incidents.incident",
                verbose_name="incident",
            ),
        ),
        migrations.AlterField(
            model_name="publication",
            name="incident",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="publication",
                to="incidents.incident",
                verbose_name="incident",
            ),
        ),
        migrations.AlterField(
            model_name="writtenreport",
            name="incident",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="written_report",
                to="incidents.incident",
                verbose_name="incident",
            ),
        ),
        migrations.RunPython(fill_fiscal_years, migrations.RunPython.noop),
        guard("incidents", *DATES),
    ]
