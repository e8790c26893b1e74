from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from itaku.audit.log import record
from itaku.reminders.events import ReminderEvent
from itaku.reminders.models import SentReminder


@transaction.atomic
def mark_sent(occasion: str, *, clause: str, text: str, recipients: Iterable[str]) -> SentReminder:
    """Record that a reminder went out, so it is not mailed again; the trail keeps the proof."""
    addresses = sorted(set(recipients))
    sent = SentReminder.objects.create(
        occasion=occasion,
        clause=clause,
        text=text,
        recipients=", ".join(addresses),
        sent_at=timezone.now(),
    )
    record(
        ReminderEvent.SENT,
        actor=None,
        target=sent,
        changes={"occasion": occasion, "clause": clause, "recipients": addresses},
    )
    return sent
