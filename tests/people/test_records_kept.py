"""3-1's records are evidence (3-6): designations, absences and role changes stay until a
disposal, and what is still in effect is not disposed of, whatever its start's fiscal year."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from itaku.core.dates import fiscal_year
from itaku.people import actions
from itaku.people.models import Absence, RoleAssignment, RoleChange
from itaku.people.roles import OversightCapacity, Role
from itaku.retention.actions import dispose
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _dispose(model: str, year: int, manager) -> int:
    return dispose(model, year, by=manager).count


def test_the_managers_designation_since_2020_is_not_disposed_of_while_she_holds_it(manager):
    """The personas hold their roles since 1 April 2020, far past a 3-year retention."""
    with pytest.raises(ValidationError, match="役割がまだ続いている"):
        dispose("people.RoleAssignment", 2020, by=manager)
    assert Role.MANAGER in manager.roles_on(timezone.localdate())


def test_a_role_ended_past_its_retention_is_disposed_of_and_a_recent_end_is_held(manager):
    person = PersonFactory()
    long_ended = RoleAssignment.objects.create(
        person=person, role=Role.CITY_STAFF, starts_on=date(2015, 4, 1), ends_on=date(2016, 3, 31)
    )
    assert long_ended.fiscal_year == 2015
    assert _dispose("people.RoleAssignment", 2015, manager) == 1
    assert not RoleAssignment.objects.filter(pk=long_ended.pk).exists()

    recently_ended = RoleAssignment.objects.create(
        person=person,
        role=Role.CITY_STAFF,
        starts_on=date(2014, 4, 1),
        ends_on=timezone.localdate() - timedelta(days=30),
    )
    with pytest.raises(ValidationError, match="終了から保存期間が過ぎていません"):
        dispose("people.RoleAssignment", 2014, by=manager)
    assert RoleAssignment.objects.filter(pk=recently_ended.pk).exists()


def test_a_role_change_awaiting_its_decision_is_held(manager, personas):
    proposed_at = datetime(2015, 6, 1, 0, 30, tzinfo=UTC)
    change = RoleChange.objects.create(
        kind=RoleChange.Kind.GRANT,
        person=PersonFactory(),
        role=Role.AUDITOR,
        starts_on=date(2015, 6, 1),
        proposed_by=personas[Role.ADMIN],
        proposed_capacity=OversightCapacity.ADMIN,
        proposed_at=proposed_at,
    )
    year = fiscal_year(proposed_at)
    with pytest.raises(ValidationError, match="まだ決定されていません"):
        dispose("people.RoleChange", year, by=manager)

    RoleChange.objects.filter(pk=change.pk).update(state=RoleChange.State.REJECTED)
    assert _dispose("people.RoleChange", year, manager) == 1


def test_an_absence_cannot_be_deleted_and_its_record_stays(manager):
    now = timezone.now()
    absence = actions.record_absence(
        manager,
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
        reason="出張（架空）",
        by=manager,
    )
    assert absence.fiscal_year == fiscal_year(absence.starts_at)
    with pytest.raises(DatabaseError), transaction.atomic():
        absence.delete()
    assert Absence.objects.filter(pk=absence.pk).exists()
