"""Shared set-up for the contractor tests: uploads go to a temporary MEDIA_ROOT."""

from pathlib import Path

import pytest

from itaku.contractors.models import Contract
from itaku.people.models import Person
from itaku.people.roles import Role
from tests.contractors.factories import make_contract
from tests.factories import person_with_role


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def contract(personas) -> Contract:
    return make_contract(personas[Role.MANAGER])


@pytest.fixture
def lead(personas) -> Person:
    return personas[Role.CONTRACTOR_LEAD]


@pytest.fixture
def worker(personas) -> Person:
    return personas[Role.CONTRACTOR_WORKER]


@pytest.fixture
def another_worker(db) -> Person:
    return person_with_role(Role.CONTRACTOR_WORKER)
