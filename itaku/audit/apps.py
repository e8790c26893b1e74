from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from itaku.core import menu


class AuditConfig(AppConfig):
    name = "itaku.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        menu.register(_("Audit trail"), "audit:events", order=90, group="audit")
        menu.register(_("Audit chain"), "audit:status", order=91, group="audit")
