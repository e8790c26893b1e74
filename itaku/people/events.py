import enum


class PeopleEvent(enum.StrEnum):
    PERSON_REGISTERED = "people.person.registered"
    LOGIN_GRANTED = "people.login.granted"
    ROLE_ASSIGNED = "people.role.assigned"
    ROLE_ENDED = "people.role.ended"
    ABSENCE_RECORDED = "people.absence.recorded"
    ROLE_CHANGE_PROPOSED = "people.role_change.proposed"
    ROLE_CHANGE_CONFIRMED = "people.role_change.confirmed"
    ROLE_CHANGE_REJECTED = "people.role_change.rejected"
