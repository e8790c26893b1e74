"""Audited changes to the controlled area's records, one module per part of chapter 3.

Each action saves and logs in one transaction. Views, the card-reader API, commands and the
demo call these; nothing else writes area records.
"""

from itaku.area.actions.after_hours import decide_after_hours, request_after_hours
from itaku.area.actions.carried import record_carry
from itaku.area.actions.devices import decide_carry_in, request_carry_in
from itaku.area.actions.door import (
    EntryResult,
    correct_passage,
    hand_over_visitor,
    record_entry,
    record_exit,
    record_unknown_badge,
)
from itaku.area.actions.readers import register_reader, revoke_reader
from itaku.area.actions.register import (
    AREA_FIELDS,
    change_area,
    record_signage_check,
    register_area,
)
from itaku.area.actions.storage import (
    PlaceCount,
    record_patrol,
    record_storage_check,
    register_storage_place,
)
from itaku.area.actions.visitors import (
    decide_visitor_permission,
    declare_work,
    register_visitor,
    report_work,
    request_visitor_permission,
)

__all__ = [
    "AREA_FIELDS",
    "EntryResult",
    "PlaceCount",
    "change_area",
    "correct_passage",
    "decide_after_hours",
    "decide_carry_in",
    "decide_visitor_permission",
    "declare_work",
    "hand_over_visitor",
    "record_carry",
    "record_entry",
    "record_exit",
    "record_patrol",
    "record_signage_check",
    "record_storage_check",
    "record_unknown_badge",
    "register_area",
    "register_reader",
    "register_storage_place",
    "register_visitor",
    "report_work",
    "request_after_hours",
    "request_carry_in",
    "request_visitor_permission",
    "revoke_reader",
]
