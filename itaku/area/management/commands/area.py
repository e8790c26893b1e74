"""`itaku area export --from 2025-04-01 --to 2025-04-30 --format csv|pdf --output FILE` (3-6).

`--records visitors` or `--records carried` exports the visitor and carried-item records as CSV.
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext_noop

from itaku.area import exports
from itaku.audit.context import source
from itaku.audit.log import record_view
from itaku.core.bilingual import both


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            both(gettext_noop("Not a date (YYYY-MM-DD): %(value)s"), value=text)
        ) from None


class Command(BaseCommand):
    help = "The controlled area's records: export a period as CSV or as the monthly PDF register."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        export = commands.add_parser("export", help="Export the entry and exit records (3-6).")
        export.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
        export.add_argument("--to", dest="date_to", required=True, help="last day, YYYY-MM-DD")
        export.add_argument("--format", choices=["csv", "pdf"], required=True)
        export.add_argument(
            "--records",
            choices=sorted(exports.CSV_EXPORTS),
            default="passages",
            help="which records as CSV (the PDF is always the entry and exit register)",
        )
        export.add_argument("--output", required=True, help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _day(options["date_from"]), _day(options["date_to"])
        if end < start:
            raise CommandError(both(gettext_noop("--to is before --from.")))
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(
                both(gettext_noop("The folder %(folder)s does not exist."), folder=output.parent)
            )
        records = options["records"]
        with source("command:area export"):
            if options["format"] == "pdf":
                records = "passages"
                body = exports.register_pdf(start, end)
            else:
                body = exports.CSV_EXPORTS[records](start, end)
            output.write_bytes(body)
            # Who looked at whom: an export from the command line has no signed-in person.
            record_view(
                exports.people_shown(records, start, end), actor=None, page="command:area export"
            )
        self.stdout.write(
            both(
                gettext_noop("Wrote %(path)s (%(size)d bytes)."),
                path=str(output),
                size=len(body),
            )
        )
