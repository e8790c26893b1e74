"""Contractor evidence is kept (3-6): no CASCADE, a fiscal year on every record, a guard.

Deleting a contract or a person no longer takes its evidence with it (PROTECT); each record
carries the fiscal year its retention counts from, filled here for existing rows from the same
date the model uses; and the database refuses to delete a record without a disposal.
"""

import django.db.models.deletion
from django.db import migrations, models

from itaku.core.dates import fiscal_year
from itaku.retention.guard import guard
from itaku.retention.models import fiscal_date_of

# The date each record's fiscal year follows (the models' `fiscal_date_field`).
DATES = {
    "contract": "ends_on",
    "servicelevelitem": "contract.ends_on",
    "subcontractor": "contract.ends_on",
    "contractdocument": "uploaded_at",
    "provisionwaiver": "contract.ends_on",
    "rostersubmission": "submitted_at",
    "rosterentry": "submission.submitted_at",
    "pledge": "submitted_at",
    "trainingsession": "held_on",
    "periodicreport": "submitted_at",
    "inspection": "held_on",
    "correctiveaction": "inspection.held_on",
    "returnitem": "contract.ends_on",
    "disposalcertificate": "disposed_on",
}


def fill_fiscal_years(apps, schema_editor):
    for name, path in DATES.items():
        model = apps.get_model("contractors", name)
        rows = list(model.objects.all())
        for row in rows:
            row.fiscal_year = fiscal_year(fiscal_date_of(row, path))
        model.objects.bulk_update(rows, ["fiscal_year"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('contractors', '0004_report_sent_back'),
        ('retention', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='contract',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='contractdocument',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='correctiveaction',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='disposalcertificate',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='inspection',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='periodicreport',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='pledge',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='provisionwaiver',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='returnitem',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='rosterentry',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='rostersubmission',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='servicelevelitem',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='subcontractor',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='trainingsession',
            name='fiscal_year',
            field=models.PositiveSmallIntegerField(db_index=True, default=0, editable=False, verbose_name='fiscal year'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='contractdocument',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='contractdocument',
            name='replaced_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replaces', to='contractors.contractdocument', verbose_name='replaced by'),
        ),
        migrations.AlterField(
            model_name='correctiveaction',
            name='inspection',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='contractors.inspection', verbose_name='inspection'),
        ),
        migrations.AlterField(
            model_name='disposalcertificate',
            name='contract',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='disposal_certificate', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='inspection',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='inspections', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='periodicreport',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='periodic_reports', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='pledge',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pledges', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='provisionwaiver',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='waivers', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='returnitem',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='return_items', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='rosterentry',
            name='submission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='contractors.rostersubmission'),
        ),
        migrations.AlterField(
            model_name='rostersubmission',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='roster_submissions', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='servicelevelitem',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_levels', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='subcontractor',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='subcontractors', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='trainingsession',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training_sessions', to='contractors.contract', verbose_name='contract'),
        ),
        migrations.RunPython(fill_fiscal_years, migrations.RunPython.noop),
        guard("contractors", *[name for name in DATES]),
    ]
