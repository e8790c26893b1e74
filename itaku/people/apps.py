from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from itaku.core import menu


class PeopleConfig(AppConfig):
    name = "itaku.people"
    label = "people"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        menu.register(_("People"), "people:list", order=80, group="admin")
        menu.register(_("Manager's absences"), "people:absences", order=81, group="admin")
        menu.register(_("Role changes"), "people:role_changes", order=82, group="admin")
        # Area admission rules live in each app's `admission` module (see people/admission.py).
        autodiscover_modules("admission")
        from itaku.people import (  # noqa: F401 - their signal receivers and holds
            holds,  # designations in effect are not disposed of (3-6)
            lockout,  # remembers browsers that logged in; records logins
            session_limits,  # notes when a session's login happened
        )
