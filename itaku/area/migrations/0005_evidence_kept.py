"""The area's records are kept (3-6): the database refuses to delete one without a disposal."""

from django.db import migrations

from itaku.retention.guard import guard


class Migration(migrations.Migration):
    dependencies = [
        ("area", "0004_decision_primitive"),
        ("retention", "0001_initial"),
    ]

    operations = [
        guard(
            "area",
            "visitorpermission",
            "workdeclaration",
            "carryinrequest",
            "passage",
            "carryrecord",
            "storagecheck",
            "patrol",
        ),
    ]
