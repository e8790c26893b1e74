import enum


class RetentionEvent(enum.StrEnum):
    RECORDS_DISPOSED = "retention.records.disposed"
