"""3-1: roles that decide, confirm, administer or watch change only with two people."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from itaku.audit.models import Event
from itaku.people import actions
from itaku.people.models import Person, RoleAssignment, RoleChange
from itaku.people.roles import TWO_PERSON_ROLES, Role
from tests.factories import PersonFactory, person_with_role

pytestmark = pytest.mark.django_db


def _messages(refused: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(refused.value.messages)


def test_admin_cannot_grant_himself_manager_directly(personas):
    admin = personas[Role.ADMIN]
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        actions.assign_role(admin, Role.MANAGER, starts_on=today, ends_on=None, by=admin)
    with pytest.raises(ValidationError) as refused:
        actions.propose_role_grant(admin, Role.MANAGER, starts_on=today, ends_on=None, by=admin)
    assert "3-1" in _messages(refused)
    assert Role.MANAGER not in admin.roles_on(today)
    assert not RoleChange.objects.exists()


def test_admin_cannot_confirm_his_own_proposal(personas):
    admin = personas[Role.ADMIN]
    newcomer = PersonFactory()
    change = actions.propose_role_grant(
        newcomer, Role.AUDITOR, starts_on=timezone.localdate(), ends_on=None, by=admin
    )
    with pytest.raises(ValidationError) as refused:
        actions.confirm_role_change(change, by=admin)
    assert "3-1" in _messages(refused)
    change.refresh_from_db()
    assert change.state == RoleChange.State.PROPOSED
    assert not newcomer.role_assignments.exists()


def test_a_change_about_oneself_is_not_ones_to_confirm(personas):
    """The superior proposes ending the administrator's role: not his to confirm (3-1)."""
    admin = personas[Role.ADMIN]
    second_admin = person_with_role(Role.ADMIN)
    change = actions.propose_role_end(
        admin.role_assignments.get(role=Role.ADMIN),
        on=timezone.localdate(),
        by=personas[Role.SUPERIOR],
    )
    with pytest.raises(ValidationError) as refused:
        actions.confirm_role_change(change, by=admin)
    assert "3-1" in _messages(refused)

    actions.confirm_role_change(change, by=second_admin)

    assert Role.ADMIN not in admin.roles_on(timezone.localdate() + timedelta(days=1))


def test_the_database_refuses_a_decision_by_the_person_concerned(personas):
    change = actions.propose_role_grant(
        PersonFactory(),
        Role.AUDITOR,
        starts_on=timezone.localdate(),
        ends_on=None,
        by=personas[Role.ADMIN],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleChange.objects.filter(pk=change.pk).update(
            state=RoleChange.State.CONFIRMED, decided_by=change.person
        )


def test_admin_alone_cannot_end_the_auditors_role(personas, auditor):
    admin = personas[Role.ADMIN]
    held = auditor.role_assignments.get(role=Role.AUDITOR)
    today = timezone.localdate()

    with pytest.raises(ValidationError) as refused:
        actions.end_role(held, on=today, by=admin)
    assert "3-1" in _messages(refused)
    change = actions.propose_role_end(held, on=today - timedelta(days=1), by=admin)
    with pytest.raises(ValidationError):
        actions.confirm_role_change(change, by=admin)
    assert Role.AUDITOR in auditor.roles_on(today)

    actions.confirm_role_change(change, note="任期満了", by=personas[Role.SUPERIOR])

    assert Role.AUDITOR not in auditor.roles_on(today)
    confirmed = Event.objects.get(code="people.role_change.confirmed")
    assert (confirmed.actor, confirmed.data["capacity"]) == (personas[Role.SUPERIOR], "superior")
    ended = Event.objects.get(code="people.role.ended")
    assert ended.changes["role_change"] == change.pk


def test_the_superior_cannot_confirm_what_another_superior_proposed(personas):
    other_superior = person_with_role(Role.SUPERIOR)
    change = actions.propose_role_grant(
        PersonFactory(),
        Role.AUDITOR,
        starts_on=timezone.localdate(),
        ends_on=None,
        by=other_superior,
    )
    with pytest.raises(ValidationError) as refused:
        actions.confirm_role_change(change, by=personas[Role.SUPERIOR])
    assert "3-1" in _messages(refused)
    actions.confirm_role_change(change, by=personas[Role.ADMIN])
    assert change.person.role_assignments.filter(role=Role.AUDITOR).exists()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.DEPUTY, Role.CITY_STAFF, Role.AUDITOR])
def test_only_the_administrator_and_the_superior_propose(personas, role):
    with pytest.raises(ValidationError):
        actions.propose_role_grant(
            PersonFactory(),
            Role.AUDITOR,
            starts_on=timezone.localdate(),
            ends_on=None,
            by=personas[role],
        )


def test_two_confirmations_of_one_proposal_make_one_assignment(personas):
    change = actions.propose_role_grant(
        PersonFactory(),
        Role.AUDITOR,
        starts_on=timezone.localdate(),
        ends_on=None,
        by=personas[Role.ADMIN],
    )
    stale = RoleChange.objects.get(pk=change.pk)
    actions.confirm_role_change(change, by=personas[Role.SUPERIOR])
    with pytest.raises(ValidationError):
        actions.reject_role_change(stale, by=personas[Role.SUPERIOR])
    assert RoleAssignment.objects.filter(person=change.person, role=Role.AUDITOR).count() == 1


def test_a_rejected_proposal_changes_no_role(personas):
    newcomer = PersonFactory()
    change = actions.propose_role_grant(
        newcomer,
        Role.AUDITOR,
        starts_on=timezone.localdate(),
        ends_on=None,
        by=personas[Role.ADMIN],
    )
    actions.reject_role_change(change, note="人選を再検討", by=personas[Role.SUPERIOR])
    change.refresh_from_db()
    assert change.state == RoleChange.State.REJECTED
    assert not newcomer.role_assignments.exists()
    assert Event.objects.filter(code="people.role_change.rejected").exists()


def test_a_proposal_through_the_person_page_waits_for_the_superior(personas, as_role):
    newcomer = PersonFactory()
    admin_client = as_role(Role.ADMIN)
    response = admin_client.post(
        f"/people/{newcomer.pk}/roles/",
        {"role": Role.AUDITOR, "starts_on": timezone.localdate().isoformat(), "reason": "新任"},
        follow=True,
    )
    assert "確認されると有効になります" in response.content.decode()
    assert not newcomer.role_assignments.exists()
    page = admin_client.get(f"/people/{newcomer.pk}/").content.decode()
    assert 'id="pending-role-changes"' in page and "監査担当者" in page

    superior = as_role(Role.SUPERIOR)
    change = RoleChange.objects.get()
    assert superior.get("/people/role-changes/").context["waiting_for_me"] == [change]
    assert admin_client.get("/people/role-changes/").context["waiting_for_me"] == []
    superior.post(f"/people/role-changes/{change.pk}/decide/", {"decision": "confirm"})

    assert Role.AUDITOR in newcomer.roles_on(timezone.localdate())


def test_the_page_shows_the_refusal_when_the_admin_proposes_himself(personas, as_role):
    admin = personas[Role.ADMIN]
    response = as_role(Role.ADMIN).post(
        f"/people/{admin.pk}/roles/",
        {"role": Role.MANAGER, "starts_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "（3-1）" in response.content.decode()
    assert not RoleChange.objects.exists()


def test_the_decision_page_shows_the_refusal_of_a_self_confirmation(personas, as_role):
    change = actions.propose_role_grant(
        PersonFactory(),
        Role.AUDITOR,
        starts_on=timezone.localdate(),
        ends_on=None,
        by=personas[Role.ADMIN],
    )
    response = as_role(Role.ADMIN).post(
        f"/people/role-changes/{change.pk}/decide/", {"decision": "confirm"}, follow=True
    )
    assert "（3-1）" in response.content.decode()
    change.refresh_from_db()
    assert change.state == RoleChange.State.PROPOSED


def test_add_person_bootstraps_the_first_superior_once_and_no_manager(capsys):
    call_command("add-person", "初代 上席", "--organization", "架空市", "--role", "superior")
    assert Person.objects.get(name="初代 上席").roles_on(timezone.localdate()) == {Role.SUPERIOR}
    event = Event.objects.get(code="people.role.assigned")
    assert event.changes["initial"] is True
    with pytest.raises(CommandError):
        call_command("add-person", "二代 上席", "--organization", "架空市", "--role", "superior")
    with pytest.raises(CommandError):
        call_command("add-person", "管理 仮", "--organization", "架空市", "--role", "manager")
    assert not Person.objects.filter(name__in=["二代 上席", "管理 仮"]).exists()


def test_add_person_refuses_a_second_administrator(personas):
    with pytest.raises(CommandError):
        call_command("add-person", "二代 管理", "--organization", "架空市", "--role", "admin")


def test_the_superior_is_offered_only_the_roles_that_take_two_people(personas, as_role):
    page = as_role(Role.SUPERIOR).get(f"/people/{personas[Role.CITY_STAFF].pk}/")
    offered = {value for value, _label in page.context["role_form"].fields["role"].choices}
    assert offered == set(TWO_PERSON_ROLES)
    assert "本日で終了" not in page.content.decode()  # city staff: the administrator's to end


def test_the_superior_proposes_and_the_administrator_confirms(personas, as_role):
    newcomer = PersonFactory()
    as_role(Role.SUPERIOR).post(
        f"/people/{newcomer.pk}/roles/",
        {"role": Role.AUDITOR, "starts_on": timezone.localdate().isoformat()},
    )
    change = RoleChange.objects.get()
    assert change.proposed_capacity == "superior"
    assert as_role(Role.ADMIN).get("/people/role-changes/").context["waiting_for_me"] == [change]
    actions.confirm_role_change(change, by=personas[Role.ADMIN])
    assert Role.AUDITOR in newcomer.roles_on(timezone.localdate())
