from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from itaku.core import menu


class IncidentsConfig(AppConfig):
    name = "itaku.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # Registers the legal hold of open incidents with the retention registry.
        from itaku.incidents import holds  # noqa: F401

        menu.register_group("incidents", _("Incidents"), 45)
        menu.register(_("Incidents"), "incidents:index", order=40, group="incidents")
