"""Personas shared by every test: one person per role, each with a login."""

import zlib

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


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_process_group(item)))
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        return
    # `make test` runs the suite on SQLite, then again on PostgreSQL. A test marked `once`
    # gives the same answer on either: it starts installations of its own, or checks only how
    # pages look. The second pass would repeat it exactly.
    skip = pytest.mark.skip(reason="the same on every database: runs in the SQLite pass")
    for item in items:
        if item.get_closest_marker("once"):
            item.add_marker(skip)


def _process_group(item: pytest.Item) -> str:
    """What `make test` sends to one process at a time (`--dist loadgroup`): a whole file, so
    that a module's installation is made once; but every test that commits (a live server's)
    goes into one of two groups that run after all others of their process. Its commits are
    flushed afterwards, except the audit trail's, which nothing may empty: a test after it would
    see events of records that are gone."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if (
        "live_server" in fixtures
        or "transactional_db" in fixtures
        or (marker is not None and marker.kwargs.get("transaction"))
    ):
        return f"committing-{zlib.crc32(item.nodeid.split('::')[0].encode()) % 2}"
    return item.nodeid.split("::")[0]


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
