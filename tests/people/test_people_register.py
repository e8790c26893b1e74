"""The system administrator registers people, gives logins and assigns roles with periods."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from itaku.audit.models import Event
from itaku.people.models import Organization, Person, RoleAssignment
from itaku.people.roles import Role


@pytest.fixture
def admin(as_role):
    return as_role(Role.ADMIN)


@pytest.mark.django_db
def test_admin_registers_a_visitor_without_a_login(admin):
    company = Organization.objects.create(name="架空保守株式会社", kind=Organization.Kind.OTHER)
    response = admin.post(
        "/people/new/",
        {"name": "保守 一平", "name_kana": "ほしゅ いっぺい", "organization": company.pk},
        follow=True,
    )
    person = Person.objects.get(name="保守 一平")
    assert person.user is None and person.badge_number is None
    assert "保守 一平 を登録しました" in response.content.decode()
    assert Event.objects.filter(code="people.person.registered", object_id=str(person.pk)).exists()


@pytest.mark.django_db
def test_a_badge_number_already_in_use_is_refused_naming_the_field(admin, personas):
    taken = personas[Role.CITY_STAFF].badge_number
    org = personas[Role.CITY_STAFF].organization
    response = admin.post(
        "/people/new/", {"name": "重複 太郎", "organization": org.pk, "badge_number": taken}
    )
    assert response.status_code == 200
    assert 'id="id_badge_number_error"' in response.content.decode()
    assert not Person.objects.filter(name="重複 太郎").exists()


@pytest.mark.django_db
def test_admin_assigns_a_role_for_a_period_and_ends_it(admin, personas):
    worker = personas[Role.CONTRACTOR_WORKER]
    admin.post(
        f"/people/{worker.pk}/roles/",
        {"role": Role.CONTRACTOR_LEAD, "starts_on": "2026-04-01", "ends_on": ""},
    )
    assignment = RoleAssignment.objects.get(person=worker, role=Role.CONTRACTOR_LEAD)
    assert assignment.starts_on == date(2026, 4, 1)
    admin.post(f"/people/roles/{assignment.pk}/end/")
    assignment.refresh_from_db()
    assert assignment.ends_on is not None
    assert Event.objects.filter(code="people.role.ended", object_id=str(assignment.pk)).exists()


@pytest.mark.django_db
def test_a_role_ending_before_it_starts_is_refused(admin, personas):
    worker = personas[Role.CONTRACTOR_WORKER]
    response = admin.post(
        f"/people/{worker.pk}/roles/",
        {"role": Role.CITY_STAFF, "starts_on": "2026-04-01", "ends_on": "2026-03-01"},
    )
    assert "終了日が開始日より前になっています" in response.content.decode()
    assert not RoleAssignment.objects.filter(person=worker, role=Role.CITY_STAFF).exists()


@pytest.mark.django_db
def test_a_login_is_given_with_a_strong_password_and_the_password_is_not_audited(admin, personas):
    visitor = Person.objects.create(name="来訪 花", organization=personas[Role.ADMIN].organization)
    weak = admin.post(f"/people/{visitor.pk}/login/", {"username": "hana", "password": "short"})
    assert weak.status_code == 200
    visitor.refresh_from_db()
    assert visitor.user is None
    admin.post(
        f"/people/{visitor.pk}/login/",
        {"username": "hana", "password": "a-long-enough-passphrase"},
    )
    visitor.refresh_from_db()
    assert visitor.user is not None
    assert visitor.user.check_password("a-long-enough-passphrase")
    event = Event.objects.get(code="people.login.granted")
    assert "a-long-enough-passphrase" not in str(event.changes)


@pytest.mark.django_db
def test_add_person_command_bootstraps_the_first_administrator(capsys):
    call_command(
        "add-person",
        "初代 管理",
        "--organization",
        "架空市 情報政策課",
        "--role",
        "admin",
        "--username",
        "first-admin",
        "--password",
        "bootstrap-passphrase-1",
    )
    person = Person.objects.get(name="初代 管理")
    assert person.roles_on(timezone.localdate()) == {Role.ADMIN}
    assert person.user.check_password("bootstrap-passphrase-1")
    assert "first-admin" in capsys.readouterr().out


@pytest.mark.django_db
def test_add_person_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        call_command("add-person", "誰か", "--organization", "架空市", "--role", "mayor")


@pytest.mark.django_db
def test_opening_a_persons_page_is_recorded_as_who_looked_at_whom(as_role, personas):
    worker = personas[Role.CONTRACTOR_WORKER]
    as_role(Role.AUDITOR).get(f"/people/{worker.pk}/")
    viewed = Event.objects.filter(code="access.personal_data.viewed").last()
    assert viewed.actor == personas[Role.AUDITOR]
    assert str(worker.pk) in viewed.body.decode()
