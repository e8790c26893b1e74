"""`itaku lgwan import FILE --source NAME`: import a lookup log (4-4).

Also `itaku lgwan add-source NAME --mapping mapping.json [--encoding auto|utf-8|cp932]`, which
prints the token a log shipper pushes with (the mapping carries the columns and how the file is
written: delimiter, quoting, header line), and `itaku lgwan review --day YYYY-MM-DD`. On a
terminal the import shows a progress bar; piped or in cron it prints only the summary.
"""

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext_noop

from itaku.audit.context import source as audit_source
from itaku.core.bilingual import both
from itaku.lgwan import actions
from itaku.lgwan.importer import import_log
from itaku.lgwan.mapping import mapping_problems
from itaku.lgwan.models import LogSource
from itaku.lgwan.rules import review_day, review_past_days

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "LGWAN lookup logs: import a file, register a source, review a day (4-4)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        load = commands.add_parser("import", help="Import a lookup log file (CSV or TSV).")
        load.add_argument("file", help="the exported log file")
        load.add_argument("--source", required=True, help="the source system's name")
        add = commands.add_parser("add-source", help="Register a source and print its token.")
        add.add_argument("name")
        add.add_argument("--mapping", required=True, help="JSON file with the column mapping")
        add.add_argument("--encoding", default="auto", choices=LogSource.Encoding.values)
        review = commands.add_parser("review", help="Run the review rules over a day.")
        review.add_argument("--day", help="YYYY-MM-DD; yesterday when left out")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["subcommand"]
        if command == "import":
            self._import(Path(options["file"]), options["source"])
        elif command == "add-source":
            self._add_source(options["name"], Path(options["mapping"]), options["encoding"])
        else:
            self._review(options.get("day"))

    def _import(self, path: Path, name: str) -> None:
        log_source = LogSource.objects.filter(name=name).first()
        if log_source is None:
            raise CommandError(both(gettext_noop("No source named %(name)s."), name=name))
        if not path.is_file():
            raise CommandError(both(gettext_noop("No file %(path)s."), path=str(path)))
        size = path.stat().st_size
        progress = self._bar(size) if self.stdout.isatty() else None
        with audit_source("command:lgwan import"), path.open("rb") as stream:
            try:
                result = import_log(log_source, stream, name=path.name, by=None, progress=progress)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        if progress is not None:
            self.stdout.write("")
        if result.already_imported:
            self.stdout.write(
                both(gettext_noop("%(path)s was already imported; nothing was added."), path=path)
            )
            return
        log_file = result.file
        self.stdout.write(
            both(
                gettext_noop(
                    "%(stored)d lookups stored, %(duplicates)d already stored, "
                    "%(rejected)d lines rejected."
                ),
                stored=log_file.stored,
                duplicates=log_file.duplicates,
                rejected=log_file.rejected,
            )
        )
        for line in result_lines(result.rejected):
            self.stdout.write(line)
        with audit_source("command:lgwan import"):
            review_past_days(result.days())

    def _bar(self, total: int) -> Any:
        def show(done: int) -> None:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            percent = 100 * done // total if total else 100
            sys.stdout.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}%")
            sys.stdout.flush()

        return show

    def _add_source(self, name: str, mapping_path: Path, encoding: str) -> None:
        try:
            mapping = json.loads(mapping_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(
                both(gettext_noop("Cannot read the mapping: %(error)s"), error=str(error))
            ) from None
        with audit_source("command:lgwan add-source"):
            try:
                _created, token = actions.register_source(
                    name=name, mapping=mapping, encoding=encoding, by=None
                )
            except ValidationError as error:
                # Each refusal names its field, in Japanese and then in English.
                problems = mapping_problems(mapping) or error.messages
                raise CommandError("\n".join(problems)) from None
        self.stdout.write(
            both(
                gettext_noop(
                    "The source %(name)s was registered. Its token (shown once): %(token)s"
                ),
                name=name,
                token=token,
            )
        )

    def _review(self, text: str | None) -> None:
        try:
            day = date.fromisoformat(text) if text else timezone.localdate() - timedelta(days=1)
        except ValueError:
            raise CommandError(
                both(gettext_noop("Not a date (YYYY-MM-DD): %(value)s"), value=text)
            ) from None
        with audit_source("command:lgwan review"):
            added = review_day(day)
        self.stdout.write(both(gettext_noop("%(count)d new findings."), count=added))


def result_lines(rejected: list[tuple[int, str]]) -> list[str]:
    """The rejected lines' reasons, each naming its line, for a log file or a terminal."""
    return [reason for _number, reason in rejected]
