"""Personas shared by every test: one person per role, each with a login."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaku.people.models import Person
from itaku.people.roles import Role
from itaku.policy import compliance_report, kept_todo
from tests.factories import person_with_role

# The browser fixtures live in one module so that a single Playwright serves all folders.
pytest_plugins = ["tests.browser.support"]


@pytest.fixture(autouse=True)
def _japanese_first():
    """Every test starts in the installation's language: a request made in English by one test
    leaves English active in its thread, and messages asserted in Japanese would then differ."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _no_report_kept_from_another_test():
    """A test may register a check or a to-do provider or change a setting: none is in the key
    of the kept report or to-do lists."""
    compliance_report.forget()
    kept_todo.forget()


@pytest.fixture
def personas(db) -> dict[Role, Person]:
    return {role: person_with_role(role, username=f"{role.value}-login") for role in Role}


@pytest.fixture
def manager(personas) -> Person:
    return personas[Role.MANAGER]


@pytest.fixture
def deputy(personas) -> Person:
    return personas[Role.DEPUTY]


@pytest.fixture
def auditor(personas) -> Person:
    return personas[Role.AUDITOR]


def sign_in(client: Client, person: Person) -> Client:
    """Log in as `person`, second factor passed where the role asks for one."""
    assert person.user is not None
    client.force_login(person.user)
    device = TOTPDevice.objects.filter(user=person.user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def as_role(personas, client):
    """`as_role(Role.MANAGER)` gives a client logged in as that persona."""

    def login(role: Role) -> Client:
        return sign_in(Client(), personas[role])

    return login
