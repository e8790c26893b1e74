from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from itaku.core import menu


class ContractorsConfig(AppConfig):
    name = "itaku.contractors"
    label = "contractors"
    verbose_name = _("Contractors and contracts")

    def ready(self) -> None:
        menu.register(_("Contracts"), "contractors:contract_list", order=20, group="contractors")
