import enum

from django.utils.translation import gettext_lazy as _


class RetentionEvent(enum.StrEnum):
    RECORDS_DISPOSED = "retention.records.disposed"


LABELS = {
    RetentionEvent.RECORDS_DISPOSED: _("Records disposed of after their retention"),
}
