from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_noop

from itaku.audit.context import source
from itaku.core.bilingual import both
from itaku.people import accounts
from itaku.people.models import Person


class Command(BaseCommand):
    help = (
        "Issue a one-time code to register an authenticator app for USER. For the first "
        "administrator of an installation; after that, administrators issue codes on the "
        "person's login page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--replace", action="store_true", help="replace a registered authenticator (lost)"
        )

    def handle(self, *args: Any, username: str, replace: bool, **options: Any) -> None:
        person = Person.objects.filter(user__username=username).first()
        if person is None:
            raise CommandError(both(gettext_noop("No login %(user)s."), user=username))
        try:
            with source("command:enrolment-code"):
                code = accounts.issue_enrolment_code(person, by=None, replace_device=replace)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(code)
