import enum


class PeopleEvent(enum.StrEnum):
    PERSON_REGISTERED = "people.person.registered"
    LOGIN_GRANTED = "people.login.granted"
    ROLE_ASSIGNED = "people.role.assigned"
    ROLE_ENDED = "people.role.ended"
    ABSENCE_RECORDED = "people.absence.recorded"


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
