from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from itaku.core.demo_data import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "Load the fictional demo data (safe to run again) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_all()
        self.stdout.write(
            _("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD}
        )
        for login in logins:
            second = (
                _("second factor: key %(secret)s, or run: .venv/bin/itaku totp-code %(user)s")
                % {"secret": login.totp_secret, "user": login.username}
                if login.totp_secret
                else _("no second factor")
            )
            self.stdout.write(f"  {login.username:<10} {login.role} {login.name} — {second}")
