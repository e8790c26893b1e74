"""The fictional demo data, contributed by each app's `demo` module.

Each app that has something to show defines `load() -> list[DemoLogin]` in `<app>/demo.py`;
`itaku demo` runs them in INSTALLED_APPS order inside one transaction. Every loader must be
idempotent: running the demo twice neither fails nor duplicates.
"""

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import transaction

from itaku.audit.context import source

DEMO_PASSWORD = "itaku-demo-2026"  # noqa: S105 - fictional demo accounts only


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    totp_secret: str | None = None


@transaction.atomic
def load_all() -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    with source("command:demo"):
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name.startswith("itaku.") and find_spec(module_name):
                logins.extend(import_module(module_name).load())
    return logins
