"""Passwords and second-factor enrolment: who may set, change and enrol what (security review)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaku.audit.models import Event
from itaku.people import accounts, actions
from itaku.people.account_models import EnrolmentCode
from itaku.people.models import RoleAssignment
from itaku.people.roles import Role
from tests.conftest import sign_in
from tests.factories import PersonFactory, RoleAssignmentFactory, person_with_role

PASSWORD = "correct-horse-battery"
CHOSEN = "a long phrase of my own"


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def _code_of(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _change(client, current, new, next_url=""):
    return client.post(
        "/password/",
        {"old_password": current, "new_password1": new, "new_password2": new, "next": next_url},
    )


@pytest.fixture
def admin(personas):
    return personas[Role.ADMIN]


@pytest.fixture
def new_manager(admin, personas):
    """A manager whose login the administrator just created: no authenticator yet.

    The persona manager's designation ended yesterday: one manager at a time (3-1).
    """
    today = timezone.localdate()
    RoleAssignment.objects.filter(person=personas[Role.MANAGER], role=Role.MANAGER).update(
        ends_on=today - timedelta(days=1)
    )
    person = PersonFactory()
    RoleAssignmentFactory(person=person, role=Role.MANAGER, starts_on=today)
    actions.grant_login(person, username="newboss", password="initial-secret-77", by=admin)
    return person


# Password change for everyone


@pytest.mark.django_db
def test_anyone_signed_in_changes_their_own_password(as_role, personas):
    client = as_role(Role.CITY_STAFF)
    response = _change(client, PASSWORD, CHOSEN)
    assert response.status_code == 302
    user = personas[Role.CITY_STAFF].user
    user.refresh_from_db()
    assert user.check_password(CHOSEN)
    assert client.get("/dashboard/").status_code == 200  # the session survives its own change
    event = Event.objects.get(code="people.password.changed")
    assert event.actor_id == personas[Role.CITY_STAFF].pk
    assert CHOSEN not in bytes(event.body).decode()


@pytest.mark.django_db
def test_the_header_links_to_the_password_change(as_role):
    assert 'href="/password/"' in as_role(Role.CONTRACTOR_WORKER).get("/").content.decode()


@pytest.mark.django_db
def test_a_wrong_current_password_changes_nothing(as_role, personas):
    response = _change(as_role(Role.CITY_STAFF), "not-my-password", CHOSEN)
    assert response.status_code == 200
    personas[Role.CITY_STAFF].user.refresh_from_db()
    assert personas[Role.CITY_STAFF].user.check_password(PASSWORD)
    assert not Event.objects.filter(code="people.password.changed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["short-one", "password1234", "staff-login-x"], ids=str)
def test_the_policy_refuses_short_common_and_similar_passwords(personas, weak):
    user = personas[Role.CITY_STAFF].user
    with pytest.raises(ValidationError):
        accounts.change_password(user, current=PASSWORD, new=weak)


@pytest.mark.django_db
def test_the_policy_asks_for_no_composition(personas):
    """NIST SP 800-63B: no rules about digits or symbols; length and the lists suffice."""
    user = personas[Role.CITY_STAFF].user
    accounts.change_password(user, current=PASSWORD, new="かなとひらがなだけのながいあいことば")
    accounts.change_password(
        user, current="かなとひらがなだけのながいあいことば", new="9" * 7 + "14285731"
    )


@pytest.mark.django_db
def test_the_manager_changes_the_password_only_after_the_second_factor(manager):
    client = Client()
    client.force_login(manager.user)
    response = client.get("/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/otp/")


# A password set by the administrator must be changed


@pytest.mark.django_db
def test_a_login_the_administrator_created_opens_only_the_password_change(new_manager):
    client = Client()
    _login(client, "newboss", "initial-secret-77")
    for url in ("/dashboard/", "/people/", "/login/otp/setup/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/password/"), url
    assert client.get("/password/").status_code == 200
    assert client.post("/logout/").status_code == 302


@pytest.mark.django_db
def test_the_api_refuses_a_session_whose_password_must_change(new_manager):
    client = Client()
    _login(client, "newboss", "initial-secret-77")
    assert client.get("/api/v1/compliance/").status_code == 403


@pytest.mark.django_db
def test_the_administrator_resetting_a_password_forces_a_change(admin, personas):
    staff = personas[Role.CITY_STAFF]
    accounts.set_password(staff, password="reset-by-office-42", by=admin)
    staff.user.refresh_from_db()
    assert staff.user.must_change_password
    event = Event.objects.get(code="people.password.set_by_administrator")
    assert event.actor_id == admin.pk
    client = Client()
    _login(client, staff.user.username, "reset-by-office-42")
    assert client.get("/dashboard/")["Location"].startswith("/password/")
    _change(client, "reset-by-office-42", CHOSEN)
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_the_administrator_resets_a_password_on_the_login_page(admin, personas):
    staff = personas[Role.CITY_STAFF]
    client = sign_in(Client(), admin)
    response = client.post(f"/people/{staff.pk}/account/", {"password": "reset-by-office-42"})
    assert response.status_code == 302
    staff.user.refresh_from_db()
    assert staff.user.must_change_password and staff.user.check_password("reset-by-office-42")


# Second-factor enrolment needs a code from the administrator


@pytest.mark.django_db
def test_the_password_alone_cannot_enrol_an_authenticator(new_manager):
    """The finding: whoever logged in first with the password enrolled the second factor."""
    client = Client()
    _login(client, "newboss", "initial-secret-77")
    _change(client, "initial-secret-77", CHOSEN)
    page = client.get("/login/otp/setup/").content.decode()
    assert "otpauth" not in page and 'class="secret"' not in page  # no key shown yet
    assert not TOTPDevice.objects.filter(user=new_manager.user).exists()
    response = client.post("/login/otp/setup/", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"})
    assert "登録コード" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=new_manager.user, confirmed=True).exists()


@pytest.mark.django_db
def test_the_person_enrols_with_the_code_and_their_own_password(new_manager, admin, personas):
    client = Client()
    _login(client, "newboss", "initial-secret-77")
    _change(client, "initial-secret-77", CHOSEN)
    code = accounts.issue_enrolment_code(new_manager, by=admin)
    stored = EnrolmentCode.objects.get(user=new_manager.user)
    assert code.replace("-", "") not in stored.code_hash  # only the hash is stored
    client.post("/login/otp/setup/", {"code": code.lower()}, follow=True)
    device = TOTPDevice.objects.get(user=new_manager.user, confirmed=False)
    response = client.post("/login/otp/setup/", {"token": _code_of(device), "next": "/dashboard/"})
    assert response["Location"] == "/dashboard/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/dashboard/").status_code == 200
    stored.refresh_from_db()
    assert stored.used_at is not None
    event = Event.objects.get(code="people.second_factor.enrolled")
    assert event.actor_id == new_manager.pk
    # The code works once.
    assert accounts.find_enrolment_code(new_manager.user, code) is None


@pytest.mark.django_db
def test_who_set_the_password_may_not_issue_the_enrolment_code(new_manager, admin):
    with pytest.raises(ValidationError, match="3-1"):
        accounts.issue_enrolment_code(new_manager, by=admin)
    assert not EnrolmentCode.objects.exists()


@pytest.mark.django_db
def test_an_enrolment_code_expires(new_manager, admin):
    new_manager.user.must_change_password = False
    new_manager.user.password_set_by = None
    new_manager.user.save()
    code = accounts.issue_enrolment_code(new_manager, by=admin)
    EnrolmentCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert accounts.find_enrolment_code(new_manager.user, code) is None
    issued = Event.objects.get(code="people.second_factor.code_issued")
    assert issued.actor_id == admin.pk
    assert code not in bytes(issued.body).decode()


@pytest.mark.django_db
def test_a_new_code_withdraws_the_earlier_one(new_manager, admin):
    new_manager.user.password_set_by = None
    new_manager.user.save()
    first = accounts.issue_enrolment_code(new_manager, by=admin)
    second = accounts.issue_enrolment_code(new_manager, by=admin)
    assert accounts.find_enrolment_code(new_manager.user, first) is None
    assert accounts.find_enrolment_code(new_manager.user, second) is not None


@pytest.mark.django_db
def test_replacing_a_lost_authenticator_is_explicit_and_audited(manager, admin):
    with pytest.raises(ValidationError):
        accounts.issue_enrolment_code(manager, by=admin)
    accounts.issue_enrolment_code(manager, by=admin, replace_device=True)
    assert not TOTPDevice.objects.filter(user=manager.user).exists()
    reset = Event.objects.get(code="people.second_factor.reset")
    assert reset.actor_id == admin.pk
    assert reset.changes["devices_removed"] == 1


@pytest.mark.django_db
def test_the_administrator_sees_the_code_once_on_the_login_page(manager, admin):
    client = sign_in(Client(), admin)
    response = client.post(
        f"/people/{manager.pk}/account/", {"issue_code": "1", "replace_device": "on"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    code = page.split('<p class="secret-code"><code>')[1].split("<")[0]
    assert accounts.find_enrolment_code(manager.user, code) is not None
    assert code not in client.get(f"/people/{manager.pk}/account/").content.decode()


@pytest.mark.django_db
def test_the_first_administrator_gets_a_code_on_the_command_line(capsys):
    admin = person_with_role(Role.ADMIN, username="first-admin")
    TOTPDevice.objects.filter(user=admin.user).delete()
    call_command("enrolment-code", "first-admin")
    code = capsys.readouterr().out.strip()
    assert accounts.find_enrolment_code(admin.user, code) is not None
    event = Event.objects.get(code="people.second_factor.code_issued")
    assert event.data["source"] == "command:enrolment-code"


@pytest.mark.django_db
def test_a_password_of_a_hundred_characters_is_accepted(personas):
    user = personas[Role.CITY_STAFF].user
    long_one = "a very long but memorable sentence about the harbour at dawn, " * 2
    accounts.change_password(user, current=PASSWORD, new=long_one[:100])
    user.refresh_from_db()
    assert user.check_password(long_one[:100])


@pytest.mark.django_db
def test_changing_the_password_ends_the_other_sessions(personas):
    staff = personas[Role.CITY_STAFF]
    here, elsewhere = Client(), Client()
    _login(here, staff.user.username, PASSWORD)
    _login(elsewhere, staff.user.username, PASSWORD)
    assert elsewhere.get("/dashboard/").status_code == 200
    _change(here, PASSWORD, CHOSEN)
    assert here.get("/dashboard/").status_code == 200
    assert elsewhere.get("/dashboard/")["Location"].startswith("/login/")


@pytest.mark.django_db
def test_the_administrator_resetting_a_password_ends_its_sessions(admin, personas):
    staff = personas[Role.CITY_STAFF]
    client = Client()
    _login(client, staff.user.username, PASSWORD)
    accounts.set_password(staff, password="reset-by-office-42", by=admin)
    assert client.get("/dashboard/")["Location"].startswith("/login/")
