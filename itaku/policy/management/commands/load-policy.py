from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_noop

from itaku.audit.context import source
from itaku.core.bilingual import both
from itaku.policy.catalog import CatalogError, load


class Command(BaseCommand):
    help = "Load a procedure's policy catalog from a YAML file and make it the one in use."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            with source("command:load-policy"):
                procedure = load(file)
        except FileNotFoundError:
            raise CommandError(
                both(gettext_noop("File not found: %(file)s"), file=str(file))
            ) from None
        except CatalogError as error:
            raise CommandError(
                both(
                    gettext_noop(
                        "%(file)s line %(line)d, field %(field)s: %(message)s. "
                        "The catalog in use is unchanged."
                    ),
                    file=str(file),
                    line=error.line,
                    field=error.field_path,
                    message=error.message,
                )
            ) from None
        clauses = sum(chapter.clauses.count() for chapter in procedure.chapters.all())
        self.stdout.write(
            both(
                gettext_noop("Loaded %(title)s: %(clauses)d clauses."),
                title=procedure.title,
                clauses=clauses,
            )
        )
