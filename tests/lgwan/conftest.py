import pytest

from itaku.people.roles import Role
from tests.area.factories import make_area
from tests.lgwan.factories import make_source


@pytest.fixture
def area(db):
    return make_area()


@pytest.fixture
def source(db):
    return make_source()


@pytest.fixture
def city_staff(personas):
    return personas[Role.CITY_STAFF]
