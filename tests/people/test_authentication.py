"""Logging in: Argon2, lock-out, the second factor for sensitive roles, idle sessions ending."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

import itaku.settings as production
from itaku.people.accounts import issue_enrolment_code
from itaku.people.roles import Role
from tests.factories import person_with_role

PASSWORD = "correct-horse-battery"


def _login(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def _current_code(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_production_hashes_passwords_with_argon2():
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_a_worker_without_second_factor_lands_on_the_start_page(client):
    person = person_with_role(Role.CONTRACTOR_WORKER, username="worker")
    response = _login(client, person.user.username)
    assert response.status_code == 302
    assert client.get("/", follow=True).status_code == 200


@pytest.mark.django_db
def test_manager_is_asked_for_a_code_before_any_page(client):
    manager = person_with_role(Role.MANAGER, username="boss")
    _login(client, manager.user.username)
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/otp/")


@pytest.mark.django_db
def test_manager_with_the_current_code_reaches_the_dashboard(client):
    manager = person_with_role(Role.MANAGER, username="boss")
    _login(client, manager.user.username)
    response = client.post(
        "/login/otp/", {"token": _current_code(manager.user), "next": "/dashboard/"}
    )
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_is_refused_with_a_message(client):
    manager = person_with_role(Role.MANAGER, username="boss")
    _login(client, manager.user.username)
    wrong = "000000" if _current_code(manager.user) != "000000" else "111111"
    response = client.post("/login/otp/", {"token": wrong})
    assert "コードが違うか" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
def test_an_auditor_without_an_authenticator_must_register_one_first(client):
    auditor = person_with_role(Role.AUDITOR, username="auditor")
    TOTPDevice.objects.filter(user=auditor.user).delete()
    enrolment_code = issue_enrolment_code(auditor, by=None)
    _login(client, auditor.user.username)
    response = client.get("/login/otp/", follow=True)
    assert "認証アプリを登録する" in response.content.decode()
    client.post("/login/otp/setup/", {"code": enrolment_code}, follow=True)
    device = TOTPDevice.objects.get(user=auditor.user, confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post("/login/otp/setup/", {"token": code})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_even_for_the_right_password(client):
    person = person_with_role(Role.CITY_STAFF, username="staff")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, person.user.username, "wrong-password")
    response = _login(client, person.user.username)
    assert response.status_code == 429
    assert "ログインの失敗が続きました" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_idle_session_ends_after_the_configured_minutes(client):
    assert settings.SESSION_COOKIE_AGE == settings.ITAKU_IDLE_TIMEOUT_MINUTES * 60 == 15 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    person = person_with_role(Role.CITY_STAFF, username="staff")
    _login(client, person.user.username)
    assert client.get("/dashboard/").status_code == 200
    session = client.session
    session.set_expiry(-timedelta(seconds=1).total_seconds())
    session.save()
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_pages_tell_the_browser_when_the_session_will_have_ended(client):
    person = person_with_role(Role.CITY_STAFF, username="staff")
    _login(client, person.user.username)
    assert 'data-idle-seconds="900"' in client.get("/dashboard/").content.decode()


def test_login_page_is_japanese_first():
    response = Client().get("/login/")
    assert '<html lang="ja">' in response.content.decode()
    assert "Itakuにログイン" in response.content.decode()


def _session_end():
    from django.contrib.sessions.models import Session

    return Session.objects.get().expire_date


@pytest.mark.django_db
def test_a_screen_refreshing_itself_does_not_keep_an_idle_session_alive(client):
    person = person_with_role(Role.CITY_STAFF, username="staff")
    _login(client, person.user.username)
    client.get("/dashboard/")
    ends = _session_end()

    refreshed = client.get("/area/inside/", headers={"x-itaku-passive": "1"})
    assert refreshed.status_code == 200
    assert _session_end() == ends

    client.get("/area/inside/")
    assert _session_end() > ends
