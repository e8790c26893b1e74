import enum


class PeopleEvent(enum.StrEnum):
    PERSON_REGISTERED = "people.person.registered"
    LOGIN_GRANTED = "people.login.granted"
    ROLE_ASSIGNED = "people.role.assigned"
    ROLE_ENDED = "people.role.ended"
    ABSENCE_RECORDED = "people.absence.recorded"
