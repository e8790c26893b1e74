"""A reminder sent: each occasion is mailed once, not every day until someone acts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    # The occasion names the fact and its instance, e.g. "report-overdue:3:2026-04-01"; a new
    # occasion (a later period, another stay) is mailed again.
    occasion = models.CharField(_("occasion"), max_length=200, unique=True)
    clause = models.CharField(_("clause"), max_length=20)
    text = models.TextField(_("text"))
    recipients = models.TextField(_("recipients"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.occasion
