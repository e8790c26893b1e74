"""Lock-out behind a reverse proxy (security review, finding 3).

Behind a proxy every request came from one address, so five wrong passwords from anyone locked
the manager out everywhere. The client address is now read from X-Forwarded-For only when the
peer is a trusted proxy, and a wider per-user limit stops guessing from many addresses without
keeping the person out of a browser they logged in with before.
"""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory

from itaku.audit.models import Event
from itaku.core.client import client_address
from itaku.people.lockout import COOKIE
from itaku.people.roles import Role
from tests.factories import person_with_role

PASSWORD = "correct-horse-battery"
PROXY = "10.0.0.1"


def _login(client, username, password, client_ip, *, via_proxy=True):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_ip} if via_proxy else {
        "REMOTE_ADDR": client_ip
    }  # fmt: skip
    return client.post("/login/", {"username": username, "password": password}, **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.ITAKU_TRUSTED_PROXIES = [PROXY]


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings):
    settings.ITAKU_TRUSTED_PROXIES = []
    request = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert client_address(request) == "198.51.100.7"


def test_a_trusted_proxy_names_the_client_from_the_right(settings):
    settings.ITAKU_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.2"
    )
    # 1.2.3.4 was written by the client itself; the proxies vouch only for 203.0.113.9.
    assert client_address(request) == "203.0.113.9"


def test_a_malformed_header_gives_the_proxy_not_the_text(settings):
    settings.ITAKU_TRUSTED_PROXIES = [PROXY]
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="<script>")
    assert client_address(request) == PROXY


@pytest.mark.django_db
def test_a_stranger_behind_the_proxy_does_not_lock_the_manager_out(behind_proxy):
    """Before: one address for all, so the stranger's failures locked the manager too."""
    person = person_with_role(Role.CITY_STAFF, username="staff")
    stranger = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        _login(stranger, "staff", "wrong-password", "203.0.113.66")
    assert _login(stranger, "staff", PASSWORD, "203.0.113.66").status_code == 429
    response = _login(Client(), "staff", PASSWORD, "198.51.100.10")
    assert response.status_code == 302
    assert person.user.username == "staff"


@pytest.mark.django_db
def test_the_audit_trail_records_the_client_behind_the_proxy(behind_proxy, as_role):
    client = as_role(Role.ADMIN)
    client.post("/people/new/", {}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.10")
    client.get("/people/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.10")
    event = Event.objects.filter(code="access.personal_data.viewed").latest("id")
    assert event.data["source"] == "web:198.51.100.10"


def _spread_failures(username, count):
    """`count` failures from as many addresses, each below the per-address limit."""
    for number in range(count):
        _login(Client(), username, "wrong-password", f"203.0.113.{number % 250 + 1}")


@pytest.mark.django_db
def test_guessing_from_many_addresses_meets_the_per_user_limit(behind_proxy):
    person_with_role(Role.CITY_STAFF, username="staff")
    _spread_failures("staff", settings.ITAKU_LOGIN_USER_FAILURE_LIMIT)
    response = _login(Client(), "staff", PASSWORD, "198.51.100.99")
    assert response.status_code != 302, "the per-user limit let a new address in"
    assert "_auth_user_id" not in Client().session


@pytest.mark.django_db
def test_a_browser_that_logged_in_before_is_exempt_from_the_per_user_limit(behind_proxy):
    """So a stranger cannot keep the manager out indefinitely by guessing from many places."""
    person_with_role(Role.CITY_STAFF, username="staff")
    own = Client()
    assert _login(own, "staff", PASSWORD, "198.51.100.10").status_code == 302
    assert COOKIE in own.cookies
    own.post("/logout/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.10")
    _spread_failures("staff", settings.ITAKU_LOGIN_USER_FAILURE_LIMIT + 5)
    assert _login(own, "staff", PASSWORD, "198.51.100.10").status_code == 302


@pytest.mark.django_db
def test_a_forged_device_cookie_is_not_exempt(behind_proxy):
    person_with_role(Role.CITY_STAFF, username="staff")
    _spread_failures("staff", settings.ITAKU_LOGIN_USER_FAILURE_LIMIT)
    forger = Client()
    forger.cookies[COOKIE] = "staff"
    assert _login(forger, "staff", PASSWORD, "198.51.100.11").status_code != 302


@pytest.mark.django_db
def test_every_password_login_is_in_the_audit_trail(behind_proxy):
    person = person_with_role(Role.CITY_STAFF, username="staff")
    _login(Client(), "staff", "wrong-password", "203.0.113.5")
    _login(Client(), "staff", PASSWORD, "198.51.100.10")
    failed = Event.objects.get(code="people.login.failed")
    assert failed.data["source"] == "web:203.0.113.5"
    assert failed.object_id == str(person.pk)
    assert "wrong-password" not in bytes(failed.body).decode()
    succeeded = Event.objects.get(code="people.login.succeeded")
    assert succeeded.actor_id == person.pk
    assert succeeded.data["source"] == "web:198.51.100.10"


@pytest.mark.django_db
def test_a_wrong_and_a_right_second_factor_code_are_in_the_audit_trail(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    manager = person_with_role(Role.MANAGER, username="boss")
    client.post("/login/", {"username": "boss", "password": PASSWORD})
    device = TOTPDevice.objects.get(user=manager.user)
    right = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post("/login/otp/", {"token": right})
    # A wrong code after it (a failure first would throttle the device for a moment).
    client.post("/login/otp/", {"token": "000000" if right != "000000" else "111111"})
    failed = Event.objects.get(code="people.second_factor.failed")
    assert failed.object_id == str(manager.pk)
    assert Event.objects.get(code="people.second_factor.passed").actor_id == manager.pk


@pytest.mark.django_db
def test_a_refused_page_is_logged(as_role, caplog):
    with caplog.at_level("WARNING", logger="itaku.security"):
        assert as_role(Role.CONTRACTOR_WORKER).get("/people/").status_code == 403
    assert "access refused: GET '/people/'" in caplog.text
    assert "contractor_worker" in caplog.text


@pytest.mark.django_db
def test_a_session_ends_at_its_absolute_limit_however_active(client, settings):
    import time

    from itaku.people.session_limits import LOGGED_IN_AT

    person_with_role(Role.CITY_STAFF, username="staff")
    client.post("/login/", {"username": "staff", "password": PASSWORD})
    assert client.get("/dashboard/").status_code == 200
    session = client.session
    session[LOGGED_IN_AT] = int(time.time()) - settings.ITAKU_SESSION_MAX_HOURS * 3600 - 1
    session.save()
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
