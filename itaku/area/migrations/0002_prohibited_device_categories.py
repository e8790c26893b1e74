"""3-11: the six categories of device the procedure prohibits in the area, as data."""

from django.db import migrations

CATEGORIES = [
    (1, "外付けハードディスク、USBメモリ等の外部記録媒体", "External storage media",
     "USB memory, external hard disks"),
    (2, "携帯電話（スマートフォン含む）", "Mobile phones", "including smartphones"),
    (3, "デジタルカメラ", "Digital cameras", ""),
    (4, "パソコン（タブレットパソコン含む）", "Personal computers", "including tablets"),
    (5, "パソコン周辺機器類", "PC peripherals", "printers, DVD/CD writers"),
    (6, "その他、個人情報を取得する事が可能な情報機器類", "Other devices able to capture personal data", ""),
]


def add_categories(apps, schema_editor):
    DeviceCategory = apps.get_model("area", "DeviceCategory")
    for number, name, name_en, examples in CATEGORIES:
        DeviceCategory.objects.update_or_create(
            number=number, defaults={"name": name, "name_en": name_en, "examples": examples}
        )


class Migration(migrations.Migration):
    dependencies = [("area", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
