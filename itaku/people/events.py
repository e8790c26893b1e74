import enum


class PeopleEvent(enum.StrEnum):
    ROLE_ASSIGNED = "people.role.assigned"
    ROLE_ENDED = "people.role.ended"
    ABSENCE_RECORDED = "people.absence.recorded"
