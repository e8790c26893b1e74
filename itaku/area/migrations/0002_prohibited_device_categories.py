"""3-11: the prohibited device categories are added after every `migrate` since
(`itaku.area.seed`), so that a flushed database gets them back too."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("area", "0001_initial")]

    operations: list[migrations.operations.base.Operation] = []
