"""Every URL × every role gets the expected answer; a URL missing from EXPECTED fails.

Each entry names who may read (GET) and, for views that accept POST, who may write. Anyone not
named gets 403; anonymous visitors are sent to the login page (pages) or refused (API). Object
URLs are requested with an ID that does not exist: an allowed role then gets 404, a denied one
403, so the rule is tested before any lookup.
"""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from itaku.people.roles import Role
from tests.conftest import sign_in

ALL = frozenset(Role)
OVERSIGHT = frozenset({Role.MANAGER, Role.DEPUTY, Role.SUPERIOR, Role.AUDITOR, Role.ADMIN})
AREA_DESK = frozenset({Role.MANAGER, Role.DEPUTY, Role.CITY_STAFF, Role.CONTRACTOR_LEAD})
AREA_CITY = frozenset({Role.MANAGER, Role.DEPUTY, Role.CITY_STAFF})
AREA_DECIDERS = frozenset({Role.MANAGER, Role.DEPUTY})
AREA_WATCH = frozenset({Role.SUPERIOR, Role.AUDITOR})
CITY_WRITERS = frozenset({Role.MANAGER, Role.DEPUTY})
CONTRACT_READERS = OVERSIGHT | {Role.CITY_STAFF, Role.CONTRACTOR_LEAD}
# 6-2: anyone on the staff reports an incident; 6-4: the lead writes, the city adds instructions.
INCIDENT_REPORTERS = ALL - {Role.AUDITOR, Role.ADMIN}
INCIDENT_REPORT_WRITERS = frozenset(
    {Role.CONTRACTOR_LEAD, Role.MANAGER, Role.DEPUTY, Role.CITY_STAFF}
)


@dataclass(frozen=True)
class Access:
    read: frozenset[Role]
    write: frozenset[Role] | None = None  # None: the view takes no POST
    public: bool = False  # reachable without logging in
    own_session: bool = False  # acts on the caller's own login, not on records
    api: bool = False
    kwargs: dict[str, object] = field(default_factory=dict)


EXPECTED: dict[str, Access] = {
    "people:login": Access(ALL, write=ALL, public=True, own_session=True),
    "people:otp_verify": Access(ALL, write=ALL, own_session=True),
    "people:otp_setup": Access(ALL, write=ALL, own_session=True),
    "people:logout": Access(frozenset(), write=ALL, own_session=True),
    "people:password_change": Access(ALL, write=ALL, own_session=True),
    "people:account": Access(frozenset({Role.ADMIN}), write=frozenset({Role.ADMIN})),
    "people:list": Access(OVERSIGHT | {Role.CITY_STAFF}),
    "people:new": Access(frozenset({Role.ADMIN}), write=frozenset({Role.ADMIN})),
    "people:detail": Access(OVERSIGHT | {Role.CITY_STAFF}),
    "people:assign_role": Access(frozenset(), write=frozenset({Role.ADMIN, Role.SUPERIOR})),
    "people:grant_login": Access(frozenset(), write=frozenset({Role.ADMIN})),
    "people:end_role": Access(frozenset(), write=frozenset({Role.ADMIN, Role.SUPERIOR})),
    "people:role_changes": Access(OVERSIGHT),
    "people:role_change_decide": Access(frozenset(), write=frozenset({Role.ADMIN, Role.SUPERIOR})),
    "people:absences": Access(OVERSIGHT, write=frozenset({Role.MANAGER, Role.SUPERIOR})),
    "people:absence_acknowledge": Access(frozenset(), write=frozenset({Role.MANAGER})),
    "policy:home": Access(ALL),
    "policy:dashboard": Access(OVERSIGHT | {Role.CITY_STAFF}),
    "set_language": Access(frozenset(), write=ALL, public=True, own_session=True),
    "core:ping": Access(frozenset(), write=ALL, own_session=True),
    "contractors:contract_list": Access(CONTRACT_READERS),
    "contractors:contract_new": Access(CITY_WRITERS, write=CITY_WRITERS),
    "contractors:contract_detail": Access(CONTRACT_READERS),
    "contractors:contract_edit": Access(CITY_WRITERS, write=CITY_WRITERS),
    "contractors:document_upload": Access(CITY_WRITERS, write=CITY_WRITERS),
    "contractors:document_file": Access(CONTRACT_READERS),
    "contractors:service_level_add": Access(frozenset(), write=CITY_WRITERS),
    "contractors:subcontractor_add": Access(
        frozenset(), write=CITY_WRITERS | {Role.CONTRACTOR_LEAD, Role.CITY_STAFF}
    ),
    "contractors:subcontractor_approve": Access(frozenset(), write=CITY_WRITERS),
    "contractors:waiver_add": Access(frozenset(), write=CITY_WRITERS),
    "contractors:roster": Access(CONTRACT_READERS, write=frozenset({Role.CONTRACTOR_LEAD})),
    "contractors:roster_receive": Access(frozenset(), write=CITY_WRITERS),
    "contractors:roster_pdf": Access(CONTRACT_READERS),
    "contractors:pledges": Access(CONTRACT_READERS, write=frozenset({Role.CONTRACTOR_LEAD})),
    "contractors:pledge_confirm": Access(frozenset(), write=CITY_WRITERS),
    "contractors:pledge_file": Access(CONTRACT_READERS),
    "contractors:training": Access(CONTRACT_READERS, write=frozenset({Role.CONTRACTOR_LEAD})),
    "contractors:reports": Access(CONTRACT_READERS, write=frozenset({Role.CONTRACTOR_LEAD})),
    "contractors:report_detail": Access(CONTRACT_READERS, write=CITY_WRITERS),
    "contractors:report_resubmit": Access(
        CONTRACT_READERS, write=frozenset({Role.CONTRACTOR_LEAD})
    ),
    "contractors:inspections": Access(CONTRACT_READERS, write=CITY_WRITERS),
    "contractors:inspection_detail": Access(CONTRACT_READERS),
    "contractors:corrective_action_add": Access(frozenset(), write=CITY_WRITERS),
    "contractors:corrective_action_done": Access(
        frozenset(), write=CITY_WRITERS | {Role.CONTRACTOR_LEAD}
    ),
    "contractors:inspection_close": Access(frozenset(), write=CITY_WRITERS),
    "contractors:end_of_work": Access(CONTRACT_READERS, write=CITY_WRITERS),
    "contractors:return_item_done": Access(frozenset(), write=CITY_WRITERS),
    "contractors:disposal_certify": Access(frozenset(), write=CITY_WRITERS),
    "area:areas": Access(AREA_DESK | AREA_WATCH | {Role.ADMIN}, write=AREA_DECIDERS),
    "area:area_edit": Access(AREA_DESK | AREA_WATCH | {Role.ADMIN}, write=AREA_DECIDERS),
    "area:signage": Access(frozenset(), write=AREA_DECIDERS),
    "area:desk": Access(AREA_DESK | AREA_WATCH),
    "area:area_desk": Access(AREA_DESK | AREA_WATCH, write=AREA_DESK),
    "area:inside": Access(AREA_DESK | AREA_WATCH | {Role.ADMIN}),
    "area:hand_over": Access(frozenset(), write=AREA_DESK),
    "area:correct_passage": Access(AREA_CITY | AREA_WATCH, write=AREA_CITY),
    "area:missed_exit": Access(AREA_CITY | AREA_WATCH, write=AREA_CITY),
    "area:visitors": Access(AREA_DESK | AREA_WATCH, write=AREA_DESK),
    "area:visitor": Access(AREA_DESK | AREA_WATCH),
    "area:visitor_decide": Access(frozenset(), write=AREA_DECIDERS),
    "area:visitor_declaration": Access(frozenset(), write=AREA_DESK),
    "area:visitor_report": Access(frozenset(), write=AREA_DESK),
    "area:carry_in_requests": Access(
        AREA_DESK | AREA_WATCH | {Role.CONTRACTOR_WORKER},
        write=AREA_DESK | {Role.CONTRACTOR_WORKER},
    ),
    "area:carry_in_decide": Access(frozenset(), write=AREA_DECIDERS),
    "area:after_hours": Access(
        AREA_DESK | AREA_WATCH | {Role.CONTRACTOR_WORKER},
        write=AREA_DESK | {Role.CONTRACTOR_WORKER},
    ),
    "area:after_hours_decide": Access(frozenset(), write=AREA_DECIDERS),
    "area:carry_log": Access(AREA_DESK | AREA_WATCH, write=AREA_DESK),
    "area:storage": Access(AREA_DESK | AREA_WATCH, write=AREA_CITY),
    "area:storage_check": Access(AREA_DESK | AREA_WATCH, write=AREA_DESK),
    "area:patrols": Access(AREA_DESK | AREA_WATCH, write=AREA_CITY),
    "area:exports": Access(AREA_DECIDERS | AREA_WATCH | {Role.CONTRACTOR_LEAD}),
    "area:readers": Access(
        frozenset({Role.MANAGER, Role.ADMIN, Role.AUDITOR}),
        write=frozenset({Role.MANAGER, Role.ADMIN}),
    ),
    "area:reader_revoke": Access(frozenset(), write=frozenset({Role.MANAGER, Role.ADMIN})),
    "api:area_passages": Access(frozenset(), write=frozenset(), api=True),
    "lgwan:terminals": Access(
        CITY_WRITERS | AREA_WATCH | {Role.CITY_STAFF, Role.ADMIN}, write=CITY_WRITERS
    ),
    "lgwan:terminal": Access(
        CITY_WRITERS | AREA_WATCH | {Role.CITY_STAFF, Role.ADMIN}, write=CITY_WRITERS
    ),
    "lgwan:terminal_retire": Access(frozenset(), write=CITY_WRITERS),
    "lgwan:accounts": Access(CITY_WRITERS | AREA_WATCH, write=CITY_WRITERS),
    "lgwan:account_revoke": Access(frozenset(), write=CITY_WRITERS),
    "lgwan:imports": Access(CITY_WRITERS | AREA_WATCH, write=CITY_WRITERS),
    "lgwan:import_detail": Access(CITY_WRITERS | AREA_WATCH),
    "lgwan:applications": Access(frozenset(), write=CITY_WRITERS),
    "lgwan:review": Access(CITY_WRITERS | AREA_WATCH, write=CITY_WRITERS),
    "lgwan:findings_close": Access(frozenset(), write=CITY_WRITERS),
    "lgwan:sign_off": Access(frozenset(), write=CITY_WRITERS),
    "lgwan:sources": Access(CITY_WRITERS | AREA_WATCH),
    "lgwan:source_new": Access(CITY_WRITERS, write=CITY_WRITERS),
    "lgwan:source": Access(CITY_WRITERS | AREA_WATCH, write=CITY_WRITERS),
    "lgwan:rules": Access(CITY_WRITERS | AREA_WATCH),
    "lgwan:rule": Access(CITY_WRITERS | AREA_WATCH, write=CITY_WRITERS),
    "api:lgwan_lookups": Access(frozenset(), write=frozenset(), api=True),
    "audit:events": Access(frozenset({Role.MANAGER, Role.DEPUTY, Role.AUDITOR})),
    "audit:status": Access(frozenset({Role.MANAGER, Role.DEPUTY, Role.AUDITOR})),
    "audit:checkpoint": Access(frozenset(), write=frozenset({Role.MANAGER, Role.DEPUTY})),
    "audit:export": Access(frozenset({Role.MANAGER, Role.DEPUTY, Role.AUDITOR})),
    "audit:event": Access(frozenset({Role.MANAGER, Role.DEPUTY, Role.AUDITOR})),
    "api:schema": Access(ALL, api=True),
    "api:compliance": Access(OVERSIGHT | {Role.CITY_STAFF}, api=True),
    "incidents:index": Access(ALL),
    "incidents:new": Access(INCIDENT_REPORTERS, write=INCIDENT_REPORTERS),
    "incidents:detail": Access(ALL),
    "incidents:receive": Access(frozenset(), write=CITY_WRITERS),
    "incidents:tell_superior": Access(frozenset(), write=CITY_WRITERS),
    "incidents:close": Access(frozenset(), write=CITY_WRITERS),
    "incidents:written_report": Access(
        OVERSIGHT | INCIDENT_REPORT_WRITERS, write=INCIDENT_REPORT_WRITERS
    ),
    "incidents:report_sign_off": Access(frozenset(), write=CITY_WRITERS),
    "incidents:report_pdf": Access(ALL),
    "incidents:task_add": Access(frozenset(), write=AREA_CITY),
    "incidents:task_done": Access(frozenset(), write=AREA_CITY | {Role.CONTRACTOR_LEAD}),
    "incidents:commission_report": Access(frozenset(), write=CITY_WRITERS),
    "incidents:commission_items": Access(OVERSIGHT | {Role.CITY_STAFF}),
    "incidents:notice": Access(frozenset(), write=CITY_WRITERS),
    "incidents:publication_draft": Access(frozenset(), write=AREA_CITY),
    "incidents:publication_decide": Access(frozenset(), write=CITY_WRITERS),
    "incidents:charts": Access(ALL, write=CITY_WRITERS),
    "incidents:chart_pdf": Access(ALL),
}


def _named_patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found.extend(_named_patterns(pattern, namespace))
        else:
            found.append((f"{prefix}{pattern.name}" if pattern.name else "", pattern))
    return found


def _url(name: str, pattern: URLPattern) -> str:
    kwargs = dict(EXPECTED[name].kwargs)
    for converter_name in pattern.pattern.converters:
        kwargs.setdefault(converter_name, 999999)
    return reverse(name, kwargs=kwargs)


URLS = _named_patterns(get_resolver())


def test_every_url_has_a_name_and_an_expected_rule():
    names = [name for name, _ in URLS]
    assert "" not in names, "every URL pattern needs a name to be in the matrix"
    missing = sorted(set(names) - EXPECTED.keys())
    assert not missing, f"add these URLs to EXPECTED with who may use them: {missing}"
    assert not set(EXPECTED) - set(names), "EXPECTED names URLs that no longer exist"


def test_the_auditor_changes_no_record():
    """The table itself may not grant the auditor a write; the matrix then proves the views."""
    writable = [
        name
        for name, access in EXPECTED.items()
        if Role.AUDITOR in (access.write or ()) and not access.own_session
    ]
    assert writable == []


@pytest.mark.parametrize(("name", "pattern"), URLS, ids=[name for name, _ in URLS])
@pytest.mark.django_db
def test_roles_get_the_expected_status(name, pattern, personas):
    access = EXPECTED[name]
    url = _url(name, pattern)
    for role, person in personas.items():
        client = sign_in(Client(), person)
        if access.read or access.public:
            status = client.get(url).status_code
            if role in access.read or access.public:
                assert status != 403, f"{role} should read {name}, got 403"
                assert status < 500, f"{role} reading {name}: {status}"
            else:
                assert status == 403, f"{role} must not read {name}, got {status}"
        if access.write is not None:
            status = client.post(url, {}).status_code
            if role in access.write:
                assert status != 403, f"{role} should write {name}, got 403"
                assert status < 500, f"{role} writing {name}: {status}"
            else:
                assert status == 403, f"{role} must not write {name}, got {status}"


@pytest.mark.parametrize(("name", "pattern"), URLS, ids=[name for name, _ in URLS])
@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(name, pattern, client):
    access = EXPECTED[name]
    if access.public:
        return
    url = _url(name, pattern)
    response = client.post(url) if access.write is not None and not access.read else client.get(url)
    if access.api:
        assert response.status_code in {401, 403}
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("people:login"))
