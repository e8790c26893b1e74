"""3-11: the six categories of device the procedure prohibits in the area, as data.

Added after every `migrate` (and after a test's flush, which empties the tables), so that a
fresh database has them with zero set-up. A category already stored is left as it is.
"""

from django.db import transaction

from itaku.area.models import DeviceCategory

CATEGORIES = [
    (
        1,
        "外付けハードディスク、USBメモリ等の外部記録媒体",
        "External storage media",
        "USB memory, external hard disks",
    ),
    (2, "携帯電話（スマートフォン含む）", "Mobile phones", "including smartphones"),
    (3, "デジタルカメラ", "Digital cameras", ""),
    (4, "パソコン（タブレットパソコン含む）", "Personal computers", "including tablets"),
    (5, "パソコン周辺機器類", "PC peripherals", "printers, DVD/CD writers"),
    (
        6,
        "その他、個人情報を取得する事が可能な情報機器類",
        "Other devices able to capture personal data",
        "",
    ),
]


def ensure_device_categories(using: str) -> None:
    with transaction.atomic(using=using):
        for number, name, name_en, examples in CATEGORIES:
            DeviceCategory.objects.using(using).get_or_create(
                number=number, defaults={"name": name, "name_en": name_en, "examples": examples}
            )
