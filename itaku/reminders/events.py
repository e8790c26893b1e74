import enum

from django.utils.translation import gettext_lazy as _


class ReminderEvent(enum.StrEnum):
    # Proof that the manager was told (3-3, 3-10, 3-12, 5-6, 5-10): who, what, when.
    SENT = "reminders.reminder.sent"


LABELS = {
    ReminderEvent.SENT: _("Reminder sent by mail"),
}
