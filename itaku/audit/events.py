import enum


class AuditEvent(enum.StrEnum):
    # Reads of records holding personal data ("who looked at whom") form their own stream.
    PERSONAL_DATA_VIEWED = "access.personal_data.viewed"
    CHECKPOINT_SIGNED = "audit.checkpoint.signed"
    EXPORT_DOWNLOADED = "audit.export.downloaded"
