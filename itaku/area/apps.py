from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from itaku.core import menu


class AreaConfig(AppConfig):
    name = "itaku.area"
    label = "area"
    verbose_name = _("Controlled area")

    def ready(self) -> None:
        menu.register(_("Entry desk"), "area:desk", order=20, group="area")
        menu.register(_("Who is inside"), "area:inside", order=21, group="area")
        menu.register(_("Visitors"), "area:visitors", order=22, group="area")
        menu.register(_("Device carry-in"), "area:carry_in_requests", order=23, group="area")
        menu.register(_("After-hours entry"), "area:after_hours", order=24, group="area")
        menu.register(_("Items carried"), "area:carry_log", order=24, group="area")
        menu.register(_("Locked storage"), "area:storage", order=25, group="area")
        menu.register(_("Clean-desk patrols"), "area:patrols", order=26, group="area")
        menu.register(_("Areas"), "area:areas", order=27, group="area")
        menu.register(_("Area records"), "area:exports", order=28, group="area")
        post_migrate.connect(_add_device_categories, sender=self)


def _add_device_categories(using: str, **kwargs: Any) -> None:
    from itaku.area.seed import ensure_device_categories

    ensure_device_categories(using)
