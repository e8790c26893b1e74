import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from itaku.contractors.contract_check import (
    MAX_UPLOAD_BYTES,
    PROVISION_RULES,
    CheckResult,
    DocumentError,
    check_document,
)
from itaku.core.bilingual import both

# Exit codes: cron or a review script can tell "incomplete contract" from "unreadable file".
ALL_PRESENT, SOME_MISSING, BAD_DOCUMENT = 0, 1, 2


class Command(BaseCommand):
    help = (
        "Check a contract or specification (TXT, DOCX or PDF) for the 13 provisions of 2-2 "
        "(2-2-a … 2-2-m), quoting each passage found. Exit code 0 when all are present, 1 when "
        "some are missing, 2 when the file cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, file: Path, format: str, **options: Any) -> None:
        try:
            with file.open("rb") as stream:
                # One byte past the limit is enough to refuse the file as too large (2-2).
                data = stream.read(MAX_UPLOAD_BYTES + 1)
        except OSError:
            raise CommandError(
                both(gettext_noop("Cannot read the file %(file)s."), file=str(file)),
                returncode=BAD_DOCUMENT,
            ) from None
        try:
            result = check_document(file.name, data)
        except DocumentError as error:
            raise CommandError(
                both(error.template, **error.params), returncode=BAD_DOCUMENT
            ) from None
        if format == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            self._write_text(file.name, result)
        if result.missing():
            raise SystemExit(SOME_MISSING)

    def _write_text(self, name: str, result: CheckResult) -> None:
        titles = {provision.id: provision.title for provision in PROVISION_RULES}
        matched = _("matched")
        self.stdout.write(_("Provisions of 2-2 in %(file)s") % {"file": name})
        for provision in result.provisions:
            status = _("present") if provision.present else _("MISSING")
            self.stdout.write(f"{provision.id}  [{status}]  {titles[provision.id]}")
            for passage in provision.passages:
                self.stdout.write(f"    {passage.where}: {passage.text}")
                self.stdout.write(f"        {matched}: {' + '.join(passage.terms)}")
        missing = result.missing()
        total = len(result.provisions)
        if missing:
            self.stdout.write(
                _("%(found)d of %(total)d provisions found. Missing: %(missing)s")
                % {"found": total - len(missing), "total": total, "missing": ", ".join(missing)}
            )
        else:
            self.stdout.write(_("All %(total)d provisions found.") % {"total": total})
