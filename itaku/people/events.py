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


class AccountEvent(enum.StrEnum):
    """Changes to a login's credentials (itaku/people/accounts.py). Never the secrets."""

    PASSWORD_CHANGED = "people.password.changed"  # noqa: S105 - event codes, not secrets
    PASSWORD_SET = "people.password.set_by_administrator"  # noqa: S105
    ENROLMENT_CODE_ISSUED = "people.second_factor.code_issued"
    SECOND_FACTOR_RESET = "people.second_factor.reset"
    SECOND_FACTOR_ENROLLED = "people.second_factor.enrolled"
    API_TOKEN_ISSUED = "people.api_token.issued"  # noqa: S105
    API_TOKEN_REVOKED = "people.api_token.revoked"  # noqa: S105
    LOGIN_SUCCEEDED = "people.login.succeeded"
    LOGIN_FAILED = "people.login.failed"
    SECOND_FACTOR_PASSED = "people.second_factor.passed"
    SECOND_FACTOR_FAILED = "people.second_factor.failed"


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
    AccountEvent.PASSWORD_CHANGED: _("Password changed"),
    AccountEvent.PASSWORD_SET: _("Password set by an administrator"),
    AccountEvent.ENROLMENT_CODE_ISSUED: _("Authenticator enrolment code issued"),
    AccountEvent.SECOND_FACTOR_RESET: _("Authenticator removed for replacement"),
    AccountEvent.SECOND_FACTOR_ENROLLED: _("Authenticator registered"),
    AccountEvent.API_TOKEN_ISSUED: _("API token issued"),
    AccountEvent.API_TOKEN_REVOKED: _("API token revoked"),
    AccountEvent.LOGIN_SUCCEEDED: _("Logged in"),
    AccountEvent.LOGIN_FAILED: _("Login failed"),
    AccountEvent.SECOND_FACTOR_PASSED: _("Second factor passed"),
    AccountEvent.SECOND_FACTOR_FAILED: _("Wrong second-factor code"),
}
