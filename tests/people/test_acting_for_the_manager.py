"""3-1: the manager approves; the deputy acts only while the manager is recorded absent."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from itaku.audit.models import Event
from itaku.people.authority import approving_capacity, manager_absent, require_approving_capacity
from itaku.people.models import Absence
from itaku.people.roles import Capacity, Role
from tests.conftest import sign_in
from tests.factories import manager_away


@pytest.mark.django_db
def test_manager_approves_as_manager(manager):
    assert approving_capacity(manager, timezone.now()) is Capacity.MANAGER


@pytest.mark.django_db
def test_deputy_cannot_approve_while_manager_present(deputy):
    assert approving_capacity(deputy, timezone.now()) is None


@pytest.mark.django_db
def test_deputy_approves_as_deputy_while_manager_recorded_absent(manager, deputy):
    manager_away(manager)
    assert manager_absent(timezone.now())
    assert approving_capacity(deputy, timezone.now()) is Capacity.DEPUTY


@pytest.mark.django_db
def test_deputy_authority_ends_with_the_absence(manager, deputy):
    manager_away(manager, hours=(-5, -1))
    assert approving_capacity(deputy, timezone.now()) is None


@pytest.mark.django_db
def test_city_staff_never_approve(personas):
    assert approving_capacity(personas[Role.CITY_STAFF], timezone.now()) is None


@pytest.mark.django_db
def test_recording_an_absence_writes_an_audit_event_with_the_actor(manager, deputy):
    absence = manager_away(manager)
    event = Event.objects.get(code="people.absence.recorded")
    assert event.actor == manager
    assert event.data["capacity"] == "manager"
    assert event.object_id == str(absence.pk)


@pytest.mark.django_db
def test_manager_records_her_absence_through_the_page(manager, deputy):
    client = sign_in(Client(), manager)
    response = client.post(
        "/people/absences/",
        {
            "person": manager.pk,
            "starts_at": "2026-05-01T09:00",
            "ends_at": "2026-05-01T17:00",
            "reason": "研修",
        },
        follow=True,
    )
    assert "不在を記録しました" in response.content.decode()
    absence = Absence.objects.get()
    assert absence.recorded_by == manager
    assert timezone.localtime(absence.starts_at).hour == 9


@pytest.mark.django_db
def test_an_absence_ending_before_it_starts_is_refused_and_nothing_is_stored(manager, deputy):
    client = sign_in(Client(), manager)
    response = client.post(
        "/people/absences/",
        {"person": manager.pk, "starts_at": "2026-05-01T17:00", "ends_at": "2026-05-01T09:00"},
    )
    assert response.status_code == 200
    assert "終了は開始より後にしてください" in response.content.decode()
    assert not Absence.objects.exists()
    assert not Event.objects.filter(code="people.absence.recorded").exists()


@pytest.mark.django_db
def test_a_deputy_deciding_while_the_manager_is_present_is_told_why(deputy):
    with pytest.raises(ValidationError) as refused:
        require_approving_capacity(deputy, timezone.now())
    assert "管理者の不在が記録されている間の次席者だけです（3-1）" in refused.value.messages[0]
