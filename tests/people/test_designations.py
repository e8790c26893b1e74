"""3-1: the manager and the deputy are city staff, one of each at a time, from every entry point."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from itaku.people import actions
from itaku.people.models import Organization, RoleAssignment
from itaku.people.roles import TWO_PERSON_ROLES, Role
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _propose(personas, person, role, **dates):
    dates.setdefault("starts_on", timezone.localdate())
    dates.setdefault("ends_on", None)
    return actions.propose_role_grant(person, role, **dates, by=personas[Role.ADMIN])


def test_contractor_worker_cannot_become_deputy(personas):
    worker = personas[Role.CONTRACTOR_WORKER]
    RoleAssignment.objects.filter(role=Role.DEPUTY).update(ends_on=date(2024, 3, 31))

    with pytest.raises(ValidationError) as refused:
        _propose(personas, worker, Role.DEPUTY)

    assert "3-1" in " ".join(refused.value.messages)
    assert "市の職員" in " ".join(refused.value.messages)
    assert not worker.role_changes.exists()


def test_a_contractor_designation_written_as_a_model_is_refused_by_its_own_rules(personas):
    """Whoever builds the record (a script, the shell), full_clean() says no (3-1)."""
    designation = RoleAssignment(
        person=personas[Role.CONTRACTOR_LEAD], role=Role.MANAGER, starts_on=date(2030, 4, 1)
    )
    with pytest.raises(ValidationError) as refused:
        designation.full_clean()
    assert "role" in refused.value.error_dict


def test_city_staff_of_a_contractor_role_cannot_be_the_deputy(personas):
    city_person = PersonFactory()
    RoleAssignment.objects.create(
        person=city_person, role=Role.CONTRACTOR_WORKER, starts_on=date(2020, 4, 1)
    )
    designation = RoleAssignment(person=city_person, role=Role.DEPUTY, starts_on=date(2030, 4, 1))
    with pytest.raises(ValidationError):
        designation.full_clean()


def test_second_concurrent_manager_refused(personas):
    staff = personas[Role.CITY_STAFF]
    in_a_year = timezone.localdate() + timedelta(days=365)

    with pytest.raises(ValidationError) as refused:
        _propose(personas, staff, Role.MANAGER, starts_on=in_a_year, ends_on=None)

    assert "3-1" in " ".join(refused.value.messages)
    assert not staff.role_changes.exists()


def test_the_database_refuses_a_second_open_ended_manager(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            person=personas[Role.CITY_STAFF], role=Role.MANAGER, starts_on=date(2030, 4, 1)
        )


def test_a_new_manager_follows_the_one_whose_designation_ends(personas, manager):
    today = timezone.localdate()
    superior = personas[Role.SUPERIOR]
    ending = actions.propose_role_end(
        manager.role_assignments.get(role=Role.MANAGER), on=today, by=personas[Role.ADMIN]
    )
    actions.confirm_role_change(ending, by=superior)
    successor = PersonFactory()

    change = _propose(personas, successor, Role.MANAGER, starts_on=today + timedelta(days=1))
    actions.confirm_role_change(change, by=superior)

    assert Role.MANAGER in successor.roles_on(today + timedelta(days=1))
    assert Role.MANAGER not in manager.roles_on(today + timedelta(days=1))


def test_one_person_cannot_be_the_manager_and_the_deputy(personas, manager):
    RoleAssignment.objects.filter(role=Role.DEPUTY).update(ends_on=date(2024, 3, 31))
    with pytest.raises(ValidationError) as refused:
        actions.propose_role_grant(
            manager,
            Role.DEPUTY,
            starts_on=timezone.localdate(),
            ends_on=None,
            by=personas[Role.SUPERIOR],
        )
    assert "3-1" in " ".join(refused.value.messages)


@pytest.mark.parametrize("role", sorted(TWO_PERSON_ROLES))
def test_the_administrator_alone_cannot_grant_a_role_that_takes_two_people(personas, role):
    person = PersonFactory()
    with pytest.raises(ValidationError) as refused:
        actions.assign_role(
            person, role, starts_on=timezone.localdate(), ends_on=None, by=personas[Role.ADMIN]
        )
    assert "3-1" in " ".join(refused.value.messages)
    assert not person.role_assignments.exists()


def test_the_administrator_still_grants_city_staff_alone(personas):
    person = PersonFactory(organization=Organization.objects.get(kind=Organization.Kind.CITY))
    actions.assign_role(
        person,
        Role.CITY_STAFF,
        starts_on=timezone.localdate(),
        ends_on=None,
        by=personas[Role.ADMIN],
    )
    assert Role.CITY_STAFF in person.roles_on(timezone.localdate())


def test_only_the_administrator_grants_the_one_step_roles(personas):
    person = PersonFactory()
    with pytest.raises(ValidationError):
        actions.assign_role(
            person,
            Role.CITY_STAFF,
            starts_on=timezone.localdate(),
            ends_on=None,
            by=personas[Role.SUPERIOR],
        )


def test_ending_a_designation_never_extends_it(personas, manager):
    held = manager.role_assignments.get(role=Role.MANAGER)
    RoleAssignment.objects.filter(pk=held.pk).update(ends_on=timezone.localdate())
    held.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.propose_role_end(
            held, on=timezone.localdate() + timedelta(days=30), by=personas[Role.ADMIN]
        )
