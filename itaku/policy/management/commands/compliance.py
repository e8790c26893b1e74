import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.policy import compliance_report
from itaku.policy.models import Procedure


class Command(BaseCommand):
    help = (
        "Print every clause with its status (ok, needs attention, no evidence yet, not covered "
        "yet) and evidence count. Exit code 0 when every clause is ok, 1 when any clause needs "
        "attention, 2 when none needs attention but some lack evidence or a check, so cron or "
        "monitoring can run it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, format: str, **options: Any) -> None:
        procedure = Procedure.objects.current()
        if procedure is None:
            raise CommandError(_("No procedure is loaded. Run: itaku load-policy FILE"))
        report = compliance_report.build(procedure, timezone.now())
        if format == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            evidence = _("evidence")
            for row in report.all_rows():
                self.stdout.write(
                    f"{row.clause.clause_id:<8} {row.status.label!s:<12} "
                    f"{evidence}: {row.result.evidence}"
                )
                for finding, link in row.result.linked_findings():
                    self.stdout.write(f"         - {finding}" + (f" <{link}>" if link else ""))
        if report.exit_code:
            raise SystemExit(report.exit_code)
