"""`itaku retention due` lists what is past retention; `itaku retention dispose area.Passage 2021
--by kanri` disposes of it through `itaku.retention.actions.dispose` (3-6)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_noop

from itaku.audit.context import source
from itaku.core.bilingual import both
from itaku.core.dates import retention_ends
from itaku.people.models import Person
from itaku.retention import registry
from itaku.retention.actions import dispose


class Command(BaseCommand):
    help = "Records past their retention (3-6), and their disposal with a disposal record."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("due", help="List the records past their retention, per fiscal year.")
        disposal = commands.add_parser("dispose", help="Dispose of one model's fiscal year.")
        disposal.add_argument("model", help="the evidence model, e.g. area.Passage")
        disposal.add_argument("fiscal_year", type=int, help="the fiscal year, e.g. 2021")
        disposal.add_argument("--by", required=True, help="the login of the manager disposing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "due":
            self._due()
        else:
            self._dispose(options["model"], options["fiscal_year"], options["by"])

    def _due(self) -> None:
        today = timezone.localdate()
        for model in registry.evidence_models():
            years = (
                model._default_manager.values("fiscal_year")
                .annotate(n=Count("pk"))
                .order_by("fiscal_year")
            )
            for row in years:
                until = retention_ends(row["fiscal_year"])
                if until < today:
                    self.stdout.write(
                        f"{model._meta.label}\t{row['fiscal_year']}\t{row['n']}\t{until}"
                    )

    def _dispose(self, label: str, year: int, username: str) -> None:
        person = Person.objects.filter(user__username=username).first()
        if person is None:
            raise CommandError(both(gettext_noop("No login %(name)s."), name=username))
        try:
            with source("command:retention dispose"):
                disposal = dispose(label, year, by=person)
        except (LookupError, ValueError):
            raise CommandError(both(gettext_noop("No model %(model)s."), model=label)) from None
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(
            both(
                gettext_noop("Disposed of %(count)d records of %(model)s, fiscal year %(year)d."),
                count=disposal.count,
                model=disposal.model_label,
                year=year,
            )
        )
