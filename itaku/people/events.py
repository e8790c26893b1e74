import enum

from django.utils.translation import gettext_lazy as _


class PeopleEvent(enum.StrEnum):
    PERSON_REGISTERED = "people.person.registered"
    LOGIN_GRANTED = "people.login.granted"
    ROLE_ASSIGNED = "people.role.assigned"
    ROLE_ENDED = "people.role.ended"
    ABSENCE_RECORDED = "people.absence.recorded"
    ABSENCE_ACKNOWLEDGED = "people.absence.acknowledged"
    ROLE_CHANGE_PROPOSED = "people.role_change.proposed"
    ROLE_CHANGE_CONFIRMED = "people.role_change.confirmed"
    ROLE_CHANGE_REJECTED = "people.role_change.rejected"


# The audit trail screens name each event in words.
LABELS = {
    PeopleEvent.PERSON_REGISTERED: _("Person registered"),
    PeopleEvent.LOGIN_GRANTED: _("Login granted"),
    PeopleEvent.ROLE_ASSIGNED: _("Role assigned"),
    PeopleEvent.ROLE_ENDED: _("Role ended"),
    PeopleEvent.ABSENCE_RECORDED: _("Manager's absence recorded"),
    PeopleEvent.ABSENCE_ACKNOWLEDGED: _("Deputy's decisions acknowledged by the manager"),
    PeopleEvent.ROLE_CHANGE_PROPOSED: _("Role change proposed"),
    PeopleEvent.ROLE_CHANGE_CONFIRMED: _("Role change confirmed"),
    PeopleEvent.ROLE_CHANGE_REJECTED: _("Role change rejected"),
}
