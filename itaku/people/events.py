import enum

from django.utils.translation import gettext_lazy as _


class PeopleEvent(enum.StrEnum):
    PERSON_REGISTERED = "people.person.registered"
    LOGIN_GRANTED = "people.login.granted"
    ROLE_ASSIGNED = "people.role.assigned"
    ROLE_ENDED = "people.role.ended"
    ABSENCE_RECORDED = "people.absence.recorded"


# The audit trail screens name each event in words.
LABELS = {
    PeopleEvent.PERSON_REGISTERED: _("Person registered"),
    PeopleEvent.LOGIN_GRANTED: _("Login granted"),
    PeopleEvent.ROLE_ASSIGNED: _("Role assigned"),
    PeopleEvent.ROLE_ENDED: _("Role ended"),
    PeopleEvent.ABSENCE_RECORDED: _("Manager's absence recorded"),
}
