"""3-1: the manager records her planned absence, the superior an unplanned one, with a reason;
the deputy never creates the absence that gives her authority, and the manager sees on return
what the deputy decided."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from itaku.area import actions as area_actions
from itaku.audit.models import Event
from itaku.people import actions
from itaku.people.authority import approving_capacity
from itaku.people.models import Absence
from itaku.people.roles import Capacity, Role
from tests.area.factories import make_visitor, permission
from tests.factories import manager_away

pytestmark = pytest.mark.django_db


def _form(manager, reason="研修"):
    return {
        "person": manager.pk,
        "starts_at": "2026-05-01T09:00",
        "ends_at": "2026-05-01T17:00",
        "reason": reason,
    }


def test_deputy_cannot_record_the_managers_absence(manager, deputy):
    with pytest.raises(ValidationError) as refused:
        manager_away(manager, by=deputy)

    assert "次席者は管理者の不在を記録できません" in " ".join(refused.value.messages)
    assert "（3-1）" in " ".join(refused.value.messages)
    assert not Absence.objects.exists()
    assert approving_capacity(deputy, timezone.now()) is None


def test_the_deputy_gets_no_form_and_cannot_post_one(manager, deputy, as_role):
    client = as_role(Role.DEPUTY)
    page = client.get("/people/absences/")
    assert page.status_code == 200
    assert 'name="reason"' not in page.content.decode()
    assert client.post("/people/absences/", _form(manager)).status_code == 403
    assert not Absence.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CITY_STAFF, Role.AUDITOR])
def test_nobody_else_records_the_managers_absence(personas, manager, role):
    with pytest.raises(ValidationError) as refused:
        manager_away(manager, by=personas[role])
    assert "3-1" in " ".join(refused.value.messages)
    assert not Absence.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_absence_without_reason_refused(manager, reason):
    with pytest.raises(ValidationError) as refused:
        manager_away(manager, reason=reason)
    assert "reason" in refused.value.error_dict
    assert not Absence.objects.exists()


def test_the_page_shows_the_refusal_of_an_absence_without_reason(manager, as_role):
    response = as_role(Role.MANAGER).post("/people/absences/", _form(manager, reason=""))
    assert response.status_code == 200
    assert "管理者の不在の理由を入力してください（3-1）" in response.content.decode()
    assert not Absence.objects.exists()


def test_manager_records_her_planned_absence_as_manager(manager, deputy):
    absence = manager_away(manager)
    event = Event.objects.get(code="people.absence.recorded")
    assert absence.planned
    assert (event.actor, event.data["capacity"]) == (manager, Capacity.MANAGER)
    assert approving_capacity(deputy, timezone.now()) is Capacity.DEPUTY


def test_superior_records_an_unplanned_absence(personas, manager, deputy, as_role):
    superior = personas[Role.SUPERIOR]
    response = as_role(Role.SUPERIOR).post("/people/absences/", _form(manager, reason="急病"))
    assert response.status_code == 302
    absence = Absence.objects.get()
    assert (absence.person, absence.recorded_by, absence.planned) == (manager, superior, False)
    event = Event.objects.get(code="people.absence.recorded")
    assert (event.actor, event.data["capacity"]) == (superior, "superior")


def test_the_manager_is_offered_only_her_own_absence(manager, as_role):
    form = as_role(Role.MANAGER).get("/people/absences/").context["form"]
    assert list(form.fields["person"].queryset) == [manager]


def test_manager_sees_the_deputys_decisions_taken_in_her_absence(
    personas, manager, deputy, as_role
):
    lead = personas[Role.CONTRACTOR_LEAD]
    manager_away(manager, reason="出張")
    requested = permission(make_visitor(), lead, requested_by=lead)
    area_actions.decide_visitor_permission(requested, approve=True, note="", by=deputy)

    page = as_role(Role.MANAGER).get("/people/absences/")

    while_away = page.context["while_away"]
    assert len(while_away) == 1
    absence, decisions = while_away[0]
    assert [decision.event.code for decision in decisions] == ["area.visitor.approved"]
    assert decisions[0].event.actor == deputy
    html = page.content.decode()
    assert 'id="while-away"' in html
    assert decisions[0].label in html and deputy.name in html


def test_decisions_outside_the_absence_are_not_listed_as_taken_in_it(
    personas, manager, deputy, as_role
):
    lead = personas[Role.CONTRACTOR_LEAD]
    manager_away(manager, hours=(-5, -2))
    requested = permission(make_visitor(), lead, requested_by=lead)
    area_actions.decide_visitor_permission(requested, approve=True, note="", by=manager)

    ((absence, decisions),) = as_role(Role.MANAGER).get("/people/absences/").context["while_away"]
    assert decisions == []


def test_back_from_her_absence_the_manager_acknowledges_the_deputys_decisions(
    personas, manager, deputy, as_role
):
    lead = personas[Role.CONTRACTOR_LEAD]
    absence = manager_away(manager, hours=(-3, 1))
    requested = permission(make_visitor(), lead, requested_by=lead)
    decided = area_actions.decide_visitor_permission(requested, approve=True, note="", by=deputy)
    Absence.objects.filter(pk=absence.pk).update(ends_at=timezone.now())  # she is back
    approval = Event.objects.get(code="area.visitor.approved", object_id=str(decided.pk))

    with pytest.raises(ValidationError):
        actions.acknowledge_absence(absence, by=deputy)
    as_role(Role.MANAGER).post(f"/people/absences/{absence.pk}/acknowledge/")

    absence.refresh_from_db()
    assert absence.acknowledged_at is not None
    event = Event.objects.get(code="people.absence.acknowledged")
    assert event.actor == manager and event.changes["decisions"] == [approval.pk]
    page = as_role(Role.MANAGER).get("/people/absences/").content.decode()
    assert "管理者が確認しました" in page
