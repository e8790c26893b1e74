"""Schemathesis over the OpenAPI schema at /api/schema/: no API operation answers with a 5xx.

The schema is read from the running application, as a client would read it; every operation
in it is called with cases Schemathesis generates (bounded, derandomized), authenticated as each
persona with a token, and the card-reader operation with a registered reader's device token.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itaku.area import actions as area_actions
from itaku.people.account_models import ApiToken
from itaku.people.accounts import issue_api_token
from itaku.people.roles import Role
from tests.area.factories import make_area, make_visitor

EXAMPLES = int(os.environ.get("ITAKU_FUZZ_EXAMPLES", "5")) * 3


@pytest.fixture
def wsgi_app(db) -> Iterator[object]:
    """The real WSGI application on the test database. Django's test client does the same:
    it keeps the request signals from closing the connection that holds the test's
    transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(personas) -> dict[Role, str]:
    """A read token for each persona, issued as the administrator issues them."""
    return {
        role: issue_api_token(person.user, days=1, scope=ApiToken.Scope.READ, by=None)[1]
        for role, person in personas.items()
    }


@pytest.fixture
def device_token(personas) -> str:
    area = make_area()
    make_visitor(badge="V-0001")
    _reader, token = area_actions.register_reader(area=area, name="北口", by=personas[Role.MANAGER])
    return token


def test_no_api_operation_answers_with_a_server_error(wsgi_app, tokens, device_token):
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json",
        wsgi_app,
        headers={"Authorization": f"Token {tokens[Role.MANAGER]}"},
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/compliance/", "/api/v1/area/passages/"}

    for operation in operations:
        if operation.path == "/api/v1/area/passages/":
            _fuzz(operation, wsgi_app, {role: f"Device {device_token}" for role in Role})
        else:
            _fuzz(operation, wsgi_app, {role: f"Token {key}" for role, key in tokens.items()})


def _fuzz(operation: Any, app: object, auth: dict[Role, str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), role=st.sampled_from(list(Role)))
    def probe(case: Any, role: Role) -> None:
        response = case.call(app=app, headers={"Authorization": auth[role]})
        assert response.status_code < 500, (case.path, case.method, response.text[:500])

    probe()
