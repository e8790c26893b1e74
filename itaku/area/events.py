import enum

from django.utils.translation import gettext_lazy as _


class AreaEvent(enum.StrEnum):
    AREA_REGISTERED = "area.area.registered"
    AREA_CHANGED = "area.area.changed"
    SIGNAGE_CHECKED = "area.area.signage_checked"
    ENTRY_ADMITTED = "area.passage.entry_admitted"
    ENTRY_REFUSED = "area.passage.entry_refused"
    EXIT_RECORDED = "area.passage.exit_recorded"
    PASSAGE_CORRECTED = "area.passage.corrected"
    VISITOR_REQUESTED = "area.visitor.requested"
    VISITOR_APPROVED = "area.visitor.approved"
    VISITOR_REJECTED = "area.visitor.rejected"
    VISITOR_HANDED_OVER = "area.visitor.handed_over"
    WORK_DECLARED = "area.visitor.work_declared"
    WORK_REPORTED = "area.visitor.work_reported"
    AFTER_HOURS_REQUESTED = "area.after_hours.requested"
    AFTER_HOURS_APPROVED = "area.after_hours.approved"
    AFTER_HOURS_REJECTED = "area.after_hours.rejected"
    CARRY_RECORDED = "area.carry.recorded"
    CARRY_IN_REQUESTED = "area.carry_in.requested"
    CARRY_IN_APPROVED = "area.carry_in.approved"
    CARRY_IN_REJECTED = "area.carry_in.rejected"
    STORAGE_PLACE_REGISTERED = "area.storage.place_registered"
    STORAGE_CHECKED = "area.storage.checked"
    PATROL_RECORDED = "area.patrol.recorded"
    READER_REGISTERED = "area.reader.registered"
    READER_REVOKED = "area.reader.revoked"


# The audit trail screens name each event in words.
LABELS = {
    AreaEvent.AREA_REGISTERED: _("Controlled area registered"),
    AreaEvent.AREA_CHANGED: _("Controlled area changed"),
    AreaEvent.SIGNAGE_CHECKED: _("Area signage checked"),
    AreaEvent.ENTRY_ADMITTED: _("Entry admitted"),
    AreaEvent.ENTRY_REFUSED: _("Entry refused"),
    AreaEvent.EXIT_RECORDED: _("Exit recorded"),
    AreaEvent.PASSAGE_CORRECTED: _("Entry or exit corrected"),
    AreaEvent.VISITOR_REQUESTED: _("Visitor permission requested"),
    AreaEvent.VISITOR_APPROVED: _("Visitor permission approved"),
    AreaEvent.VISITOR_REJECTED: _("Visitor permission rejected"),
    AreaEvent.VISITOR_HANDED_OVER: _("Visitor handed over to another monitor"),
    AreaEvent.WORK_DECLARED: _("Visitor's work declared"),
    AreaEvent.WORK_REPORTED: _("Visitor's work reported"),
    AreaEvent.AFTER_HOURS_REQUESTED: _("After-hours entry requested"),
    AreaEvent.AFTER_HOURS_APPROVED: _("After-hours entry approved"),
    AreaEvent.AFTER_HOURS_REJECTED: _("After-hours entry rejected"),
    AreaEvent.CARRY_RECORDED: _("Items carried in or out recorded"),
    AreaEvent.CARRY_IN_REQUESTED: _("Device carry-in requested"),
    AreaEvent.CARRY_IN_APPROVED: _("Device carry-in approved"),
    AreaEvent.CARRY_IN_REJECTED: _("Device carry-in rejected"),
    AreaEvent.STORAGE_PLACE_REGISTERED: _("Storage place registered"),
    AreaEvent.STORAGE_CHECKED: _("Storage checked"),
    AreaEvent.PATROL_RECORDED: _("Clean-desk patrol recorded"),
    AreaEvent.READER_REGISTERED: _("Card reader registered"),
    AreaEvent.READER_REVOKED: _("Card reader revoked"),
}
