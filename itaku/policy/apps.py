from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from itaku.core import menu


class PolicyConfig(AppConfig):
    name = "itaku.policy"
    label = "policy"
    verbose_name = _("Policy catalog")

    def ready(self) -> None:
        menu.register(_("Compliance"), "policy:dashboard", order=10)
        # Each app states what its records prove in its own `compliance` module.
        autodiscover_modules("compliance")
        # Each app lists what awaits a person on the home page in its own `todo` module.
        autodiscover_modules("todo")
        post_migrate.connect(_load_seed_catalog, sender=self)
        post_migrate.connect(_watch_tables, sender=self)


def _load_seed_catalog(**kwargs: Any) -> None:
    """A fresh database gets the shipped procedure, so the dashboard works with zero set-up."""
    from itaku.audit.context import source
    from itaku.policy.catalog import ensure_seed

    with source("command:migrate"):
        ensure_seed()


def _watch_tables(using: str, **kwargs: Any) -> None:
    """Every table of the apps tells the report's cache when it changes, new ones included."""
    from itaku.policy import dataversion

    dataversion.install(using)
