"""The door's new records are evidence too (3-6): after-hours permissions and monitor handovers."""

from django.db import migrations

from itaku.retention.guard import guard


class Migration(migrations.Migration):
    dependencies = [
        ("area", "0006_door_controls"),
        ("retention", "0001_initial"),
    ]

    operations = [guard("area", "afterhourspermission", "monitorhandover")]
