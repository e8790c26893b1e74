from datetime import date
from getpass import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from itaku.audit.context import source
from itaku.core.bilingual import both
from itaku.people import actions
from itaku.people.models import Organization
from itaku.people.roles import Role


class Command(BaseCommand):
    help = (
        "Register a person with a role and, optionally, a login. Use it once to create the "
        "first system administrator; after that, people are managed on the People page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--organization", required=True)
        parser.add_argument("--kind", choices=Organization.Kind.values, default="city")
        parser.add_argument("--role", required=True)
        parser.add_argument("--from", dest="starts_on", type=date.fromisoformat)
        parser.add_argument("--badge")
        parser.add_argument("--username")
        parser.add_argument("--password", help="asked for interactively when omitted")
        parser.add_argument("--email", default="", help="where reminders reach the login")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["role"] not in Role.values:
            raise CommandError(
                both(
                    gettext_noop("Unknown role %(role)s. Choose one of: %(roles)s"),
                    role=options["role"],
                    roles=", ".join(Role.values),
                )
            )
        password = options["password"]
        if options["username"] and not password:
            password = getpass("Password: ")
        try:
            with source("command:add-person"), transaction.atomic():
                person = self._register(options, password)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            both(
                gettext_noop("Registered %(name)s as %(role)s (login: %(login)s)."),
                name=person.name,
                role=Role(options["role"]).label,
                login=options["username"] or "-",
            )
        )

    def _register(self, options: dict[str, Any], password: str | None) -> Any:
        organization, _ = Organization.objects.get_or_create(
            name=options["organization"], defaults={"kind": options["kind"]}
        )
        person = actions.register_person(
            name=options["name"],
            name_kana="",
            organization=organization,
            badge_number=options["badge"],
            by=None,
        )
        actions.assign_role(
            person,
            Role(options["role"]),
            starts_on=options["starts_on"] or timezone.localdate(),
            ends_on=None,
            by=None,
        )
        if options["username"]:
            assert password is not None  # noqa: S101 - asked for above
            actions.grant_login(
                person,
                username=options["username"],
                password=password,
                by=None,
                email=options["email"],
            )
        return person
