"""Confirmations, approvals, receipts, reviews and closures become steps of one decision model.

The old per-step columns (confirmed_by, reviewed_at, closing_note, …) are renamed to the
decision columns, and each record's state is derived from what was recorded before.
"""

import django.db.models.deletion
from django.db import migrations, models

RENAMES = {
    "subcontractor": "approved",
    "rostersubmission": "received",
    "pledge": "confirmed",
    "periodicreport": "reviewed",
    "inspection": "closed",
}
NOTES = {"periodicreport": "review_comment", "inspection": "closing_note"}
# State after the step, for records where the step's time was recorded.
DONE_STATE = {
    "subcontractor": ("requested", "approved"),
    "rostersubmission": ("submitted", "received"),
    "pledge": ("submitted", "confirmed"),
    "periodicreport": ("submitted", "reviewed"),
}


def set_states(apps, schema_editor):
    for model_name, (waiting, done) in DONE_STATE.items():
        model = apps.get_model("contractors", model_name)
        model.objects.filter(decided_at__isnull=False).update(state=done)
        model.objects.filter(decided_at__isnull=True).update(state=waiting)
    for model_name, waiting in (("correctiveaction", "open"), ("returnitem", "pending")):
        model = apps.get_model("contractors", model_name)
        model.objects.filter(done_on__isnull=False).update(state="done")
        model.objects.filter(done_on__isnull=True).update(state=waiting)


def _decision_fields(model_name, *, note=True):
    fields = [
        ("decided_by", models.ForeignKey(
            blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
            related_name="+", to="people.person", verbose_name="decided by",
        )),
        ("decided_capacity", models.CharField(
            blank=True, choices=[("manager", "as manager"), ("deputy", "as deputy for the absent manager")],
            max_length=20, verbose_name="capacity",
        )),
        ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
    ]
    if note:
        fields.append(("decision_note", models.TextField(blank=True, verbose_name="note")))
    return [migrations.AddField(model_name, name, field) for name, field in fields]


def _renamed(model_name, step):
    operations = [
        migrations.RenameField(model_name, f"{step}_by", "decided_by"),
        migrations.RenameField(model_name, f"{step}_capacity", "decided_capacity"),
        migrations.RenameField(model_name, f"{step}_at", "decided_at"),
    ]
    if model_name in NOTES:
        operations.append(migrations.RenameField(model_name, NOTES[model_name], "decision_note"))
    else:
        operations.append(
            migrations.AddField(model_name, "decision_note", models.TextField(blank=True, verbose_name="note"))
        )
    return operations


def _state(model_name, choices, default):
    return migrations.AddField(
        model_name,
        "state",
        models.CharField(choices=choices, default=default, max_length=20, verbose_name="state"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contractors", "0002_inspection_items"),
        ("people", "0001_initial"),
    ]

    operations = [
        *[op for model_name, step in RENAMES.items() for op in _renamed(model_name, step)],
        *_decision_fields("correctiveaction", note=False),
        migrations.RenameField("correctiveaction", "done_note", "decision_note"),
        *_decision_fields("returnitem"),
        _state("subcontractor", [("requested", "Awaiting approval"), ("approved", "Approved")], "requested"),
        migrations.AddField(
            "subcontractor",
            "requested_by",
            models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="people.person", verbose_name="requested by",
            ),
        ),
        _state("rostersubmission", [("submitted", "Submitted"), ("received", "Received")], "submitted"),
        _state("pledge", [("submitted", "Awaiting confirmation"), ("confirmed", "Confirmed")], "submitted"),
        _state("periodicreport", [("submitted", "Awaiting review"), ("reviewed", "Reviewed")], "submitted"),
        _state("correctiveaction", [("open", "Open"), ("done", "Done")], "open"),
        _state("returnitem", [("pending", "Not yet returned or disposed of"), ("done", "Returned or disposed of")], "pending"),

        migrations.AlterField(
            model_name='correctiveaction',
            name='decision_note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='inspection',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AlterField(
            model_name='inspection',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person', verbose_name='decided by'),
        ),
        migrations.AlterField(
            model_name='inspection',
            name='decision_note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='inspection',
            name='state',
            field=models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=20, verbose_name='state'),
        ),
        migrations.AlterField(
            model_name='periodicreport',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AlterField(
            model_name='periodicreport',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person', verbose_name='decided by'),
        ),
        migrations.AlterField(
            model_name='periodicreport',
            name='decision_note',
            field=models.TextField(blank=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='pledge',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AlterField(
            model_name='pledge',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person', verbose_name='decided by'),
        ),
        migrations.AlterField(
            model_name='rostersubmission',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AlterField(
            model_name='rostersubmission',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person', verbose_name='decided by'),
        ),
        migrations.AlterField(
            model_name='subcontractor',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='decided at'),
        ),
        migrations.AlterField(
            model_name='subcontractor',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person', verbose_name='decided by'),
        ),
        migrations.RunPython(set_states, migrations.RunPython.noop),
    ]
