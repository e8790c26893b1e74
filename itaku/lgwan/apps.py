from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from itaku.core import menu


class LgwanConfig(AppConfig):
    name = "itaku.lgwan"
    label = "lgwan"
    verbose_name = _("LGWAN terminals")

    def ready(self) -> None:
        from itaku.lgwan import compliance, rules  # noqa: F401 - registers checks and rules

        menu.register(_("LGWAN terminals"), "lgwan:terminals", order=40, group="lgwan")
        menu.register(_("LGWAN IDs"), "lgwan:accounts", order=41, group="lgwan")
        menu.register(_("Lookup log import"), "lgwan:imports", order=42, group="lgwan")
        menu.register(_("Lookup review"), "lgwan:review", order=43, group="lgwan")
        menu.register(_("Lookup log sources"), "lgwan:sources", order=44, group="lgwan")
        menu.register(_("Review rules"), "lgwan:rules", order=45, group="lgwan")
