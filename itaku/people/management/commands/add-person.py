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
from itaku.people.models import Organization, Person, RoleAssignment
from itaku.people.roles import BOOTSTRAP_ROLES, TWO_PERSON_ROLES, Role


class Command(BaseCommand):
    help = (
        "Register a person with a role and, optionally, a login. Use it once to create the "
        "first system administrator (and the first superior, who confirms role changes); after "
        "that, people are managed on the People page."
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

    def _bootstrap(self, person: Person, role: Role, starts_on: date) -> None:
        """The one exception to the two-person rule of 3-1, for a brand-new installation.

        A role change of `TWO_PERSON_ROLES` is proposed by the system administrator and
        confirmed by the superior (or the reverse). On a new installation neither exists, so no
        one could ever confirm anything: this command may create the first system administrator
        and the first superior, each only while nobody has ever held that role. Every other
        two-person role, and any later administrator or superior, goes through a proposal and
        its confirmation on the People page. The audit event says it was the initial setup.
        """
        if role not in BOOTSTRAP_ROLES or RoleAssignment.objects.filter(role=role).exists():
            raise CommandError(
                both(
                    gettext_noop(
                        "%(role)s takes two people: propose it on the People page and have it "
                        "confirmed (3-1). This command only creates the first system "
                        "administrator and the first superior of a new installation."
                    ),
                    role=role.label,
                )
            )
        actions._create_assignment(  # noqa: SLF001 - the documented bootstrap exception
            person, role, starts_on=starts_on, ends_on=None, by=None, initial=True
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
        role = Role(options["role"])
        starts_on = options["starts_on"] or timezone.localdate()
        if role in TWO_PERSON_ROLES:
            self._bootstrap(person, role, starts_on)
        else:
            actions.assign_role(person, role, starts_on=starts_on, ends_on=None, by=None)
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
