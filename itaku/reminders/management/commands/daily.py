"""`itaku daily`: the last week's lookup review (4-4), the evening's reminders by mail, and the
day's audit verification and checkpoint.

Run once a day after closing, by the systemd timer in deploy/systemd/ (or cron). A timer and a
command rather than a task queue: the work is one short run a day, the timer retries a missed
run (Persistent=true) and logs to the journal, and a queue would add a broker and a worker
process to every installation for nothing. Each reminder is mailed once per occasion.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from itaku.audit import chain
from itaku.audit.actions import sign_checkpoints
from itaku.audit.signing import KeyFileError, configured_signing_key
from itaku.audit.verifier import describe
from itaku.core.dates import wareki
from itaku.lgwan.rules import review_day
from itaku.policy import dataversion
from itaku.reminders import reminders
from itaku.reminders.actions import mark_sent
from itaku.reminders.models import SentReminder
from itaku.reminders.reminders import Reminder

# Days back the lookup review covers each night: the longest closure (年末年始) and a missed run.
LOOKUP_REVIEW_DAYS = 7


class Command(BaseCommand):
    help = (
        "Review the last week's lookups; mail the day's reminders to the manager and deputy; "
        "verify and sign the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be mailed, send nothing"
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        try:
            self._daily(dry_run)
        except KeyFileError as error:
            raise CommandError(f"The audit key cannot be read: {error}") from None

    def _daily(self, dry_run: bool) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        with override("ja"):
            if not dry_run:
                self._review_lookups(today)
            audit, audit_ok = self._audit(dry_run)
            due = [*reminders.due(now), audit]
            sent = set(
                SentReminder.objects.filter(occasion__in=[r.occasion for r in due]).values_list(
                    "occasion", flat=True
                )
            )
            new = [r for r in due if r.occasion not in sent]
            by_address: dict[str, list[Reminder]] = defaultdict(list)
            addressed: dict[str, list[str]] = defaultdict(list)
            for reminder in new:
                for person in reminders.recipients(reminder, today):
                    email = person.user.email if person.user else ""
                    if not email:
                        self.stdout.write(f"no e-mail address: {person.name}")
                        continue
                    if reminder not in by_address[email]:
                        by_address[email].append(reminder)
                        addressed[reminder.occasion].append(email)
            messages = [
                self._message(address, items, today, audit_ok)
                for address, items in by_address.items()
            ]
            for message in messages:
                self.stdout.write(f"{message.to[0]}: {message.subject}")
            if dry_run:
                return
            # The data versions of database sessions that have ended: housekeeping, no record.
            dataversion.prune(DEFAULT_DB_ALIAS)
            get_connection().send_messages(messages)
            for reminder in new:
                if addressed[reminder.occasion]:
                    mark_sent(
                        reminder.occasion,
                        clause=reminder.clause,
                        text=reminder.text,
                        recipients=addressed[reminder.occasion],
                    )
                else:
                    self.stdout.write(f"not sent (no recipient): {reminder.text}")
        if not audit_ok:
            raise SystemExit(1)

    def _review_lookups(self, today: date) -> None:
        """4-4: the last week's lookups reviewed, whatever brought them. A log shipper pushes a
        day's lines while the day lasts, so no import reviews that day once it is over; a
        file imported later is reviewed on import, and a day reviewed again adds only what is
        new."""
        days = [today - timedelta(days=back) for back in range(LOOKUP_REVIEW_DAYS, 0, -1)]
        added = sum(review_day(day) for day in days)
        self.stdout.write(
            _("Lookup review of %(first)s to %(last)s: %(count)d new findings.")
            % {"first": wareki(days[0]), "last": wareki(days[-1]), "count": added}
        )

    def _audit(self, dry_run: bool) -> tuple[Reminder, bool]:
        """Verify every log, sign what grew when the key is here; the result as a reminder."""
        today = timezone.localdate()
        result = chain.verify()
        lines = [describe(report, "ja") for report in result.reports]  # the mail is Japanese
        if result.ok and not dry_run:
            key = configured_signing_key()
            if key is None:
                lines.append(_("The signing key is not on this server: no checkpoint was signed."))
            else:
                signing = sign_checkpoints(key, by=None)
                lines.append(_("%(count)d checkpoints signed.") % {"count": len(signing.made)})
        head = (
            _("The audit trail verifies.")
            if result.ok
            else _("The audit trail does NOT verify: see docs/audit.md and tell the auditor.")
        )
        text = "\n  ".join([head, *lines])
        for line in lines:
            self.stdout.write(line)
        return Reminder(f"audit:{today}", "audit", text), result.ok

    def _message(
        self, address: str, items: list[Reminder], today: Any, audit_ok: bool
    ) -> EmailMessage:
        subject = _("[Itaku] Reminders of %(day)s (%(count)d)") % {
            "day": wareki(today),
            "count": len(items),
        }
        if not audit_ok:
            subject = _("[Itaku] The audit trail does not verify") + " / " + subject
        lines = [_("Reminders from Itaku (each is sent once):"), ""]
        for item in items:
            label = _("audit trail") if item.clause == "audit" else item.clause
            lines.append(f"・[{label}] {item.text}")
        lines += ["", _("This mail was sent by `itaku daily`.")]
        return EmailMessage(
            subject, "\n".join(lines) + "\n", settings.DEFAULT_FROM_EMAIL, [address]
        )
