import pytest

from itaku.people import admission
from itaku.people.roles import Role
from tests.area.factories import make_area, run_clock_at


@pytest.fixture(autouse=True)
def only_area_rules(monkeypatch):
    """These tests are about the area's own rules: other apps' rules (roster, pledge, training)
    have their own tests, and a test that wants one registers it on this list."""
    rules = [rule for rule in admission._rules if rule.__module__ == "itaku.area.admission"]
    monkeypatch.setattr(admission, "_rules", rules)
    return rules


@pytest.fixture(autouse=True)
def office_hours(monkeypatch):
    """Within the area's hours on an open day, whenever the suite runs (3-3)."""
    return run_clock_at(monkeypatch)


@pytest.fixture
def area(db):
    return make_area()


@pytest.fixture
def worker(personas):
    return personas[Role.CONTRACTOR_WORKER]


@pytest.fixture
def lead(personas):
    return personas[Role.CONTRACTOR_LEAD]


@pytest.fixture
def city_staff(personas):
    return personas[Role.CITY_STAFF]
