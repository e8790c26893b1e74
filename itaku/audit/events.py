import enum

from django.utils.translation import gettext_lazy as _


class AuditEvent(enum.StrEnum):
    # Reads of records holding personal data ("who looked at whom") form their own stream.
    PERSONAL_DATA_VIEWED = "access.personal_data.viewed"
    CHECKPOINT_SIGNED = "audit.checkpoint.signed"
    EXPORT_DOWNLOADED = "audit.export.downloaded"


# The audit trail screens name each event in words.
LABELS = {
    AuditEvent.PERSONAL_DATA_VIEWED: _("Personal data viewed"),
    AuditEvent.CHECKPOINT_SIGNED: _("Checkpoint signed"),
    AuditEvent.EXPORT_DOWNLOADED: _("Audit export downloaded"),
}
