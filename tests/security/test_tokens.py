"""API tokens are stored hashed, end, can be revoked and carry a scope; uploads are capped
while they arrive (security review, findings 4)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from itaku.audit.models import Event
from itaku.contractors import forms as contractor_forms
from itaku.contractors.models import ContractDocument
from itaku.people.account_models import ApiToken
from itaku.people.accounts import issue_api_token, revoke_api_token
from itaku.people.roles import Role
from tests.contractors.factories import make_contract

COMPLIANCE = "/api/v1/compliance/"


def _get(client, key, method="get"):
    return getattr(client, method)(COMPLIANCE, headers={"authorization": f"Token {key}"})


@pytest.fixture
def auditor_key(personas):
    _token, key = issue_api_token(
        personas[Role.AUDITOR].user, days=30, scope=ApiToken.Scope.READ, by=None
    )
    return key


@pytest.mark.django_db
def test_a_token_reads_the_api(client, auditor_key):
    assert _get(client, auditor_key).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_the_key_is_not_stored_anywhere_in_the_database(auditor_key):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_apitoken")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert auditor_key not in row
    assert auditor_key not in bytes(Event.objects.get(code="people.api_token.issued").body).decode()


@pytest.mark.django_db
def test_an_expired_token_is_refused(client, auditor_key):
    ApiToken.objects.update(
        created_at=timezone.now() - timedelta(days=31), expires_at=timezone.now()
    )
    assert _get(client, auditor_key).status_code in {401, 403}


@pytest.mark.django_db
def test_a_revoked_token_is_refused_and_the_revocation_audited(client, auditor_key):
    revoke_api_token(ApiToken.objects.get(), by=None)
    assert _get(client, auditor_key).status_code in {401, 403}
    assert Event.objects.filter(code="people.api_token.revoked").exists()


@pytest.mark.django_db
def test_an_unknown_token_is_refused(client, auditor_key):
    assert _get(client, auditor_key[:-1] + "x").status_code in {401, 403}


@pytest.mark.django_db
def test_a_read_only_token_may_not_write(client, personas):
    manager = personas[Role.MANAGER].user
    _read, read_key = issue_api_token(manager, days=1, scope=ApiToken.Scope.READ, by=None)
    _write, write_key = issue_api_token(manager, days=1, scope=ApiToken.Scope.WRITE, by=None)
    # The compliance API only reads: a write-scoped token gets past the rule (405), a
    # read-only one is stopped by it (403).
    assert _get(client, read_key, "post").status_code == 403
    assert _get(client, write_key, "post").status_code == 405


@pytest.mark.django_db
def test_a_token_lasts_at_most_the_configured_days(personas, settings):
    settings.ITAKU_API_TOKEN_MAX_DAYS = 90
    with pytest.raises(ValidationError):
        issue_api_token(personas[Role.AUDITOR].user, days=91, scope=ApiToken.Scope.READ, by=None)


@pytest.mark.django_db
def test_the_command_prints_a_working_key_once(client, personas, capsys):
    call_command("api-token", personas[Role.AUDITOR].user.username, "--days", "7")
    key = capsys.readouterr().out.strip()
    assert _get(client, key).status_code == 200
    token = ApiToken.objects.get()
    assert token.scope == ApiToken.Scope.READ
    assert token.expires_at - token.created_at == timedelta(days=7)
    event = Event.objects.get(code="people.api_token.issued")
    assert event.data["source"] == "command:api-token"


@pytest.mark.django_db
def test_the_old_plain_text_token_table_is_gone():
    assert "authtoken_token" not in connection.introspection.table_names()


# Uploads


class LyingUpload(SimpleUploadedFile):
    """A file whose declared size is smaller than its content."""

    @property
    def size(self):
        return 10

    @size.setter
    def size(self, value):
        pass


def test_the_form_reads_no_more_than_its_limit_whatever_size_is_declared():
    upload = LyingUpload("a.txt", b"a" * 5000)
    with pytest.raises(Exception, match="MB"):
        contractor_forms._limited(upload, 1024)


@pytest.mark.django_db
def test_an_upload_over_the_cap_is_not_received(as_role, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ITAKU_UPLOAD_MAX_BYTES = 64 * 1024
    contract = make_contract(personas[Role.MANAGER])
    big = SimpleUploadedFile("契約書.txt", b"a" * (256 * 1024))
    response = as_role(Role.MANAGER).post(
        reverse("contractors:document_upload", args=[contract.pk]),
        {"kind": "contract", "file": big},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ContractDocument.objects.exists()
