"""The auditor and the manager browse the trail, see the chain's status and download the export."""

import zipfile
from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from itaku.audit import log
from itaku.audit.events import AuditEvent
from itaku.audit.models import Checkpoint, Event
from itaku.people.roles import Role
from tests.audit.conftest import SampleEvent, append

pytestmark = pytest.mark.django_db


def listed(response) -> list[int]:
    """The sample events on the page, by their number (the suite's own events left aside)."""
    return [
        row.event.data["changes"]["number"]
        for row, _viewed in response.context["rows"]
        if row.event.stream in {"sample", "other"}
    ]


def test_the_auditor_filters_events_by_person_code_object_and_period(
    as_role, manager, deputy, monkeypatch
):
    with transaction.atomic():
        log.record(SampleEvent.NOTED, actor=manager, target=deputy, changes={"number": 1})
        log.record(SampleEvent.OTHER, actor=deputy, target=manager, changes={"number": 2})
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 6, 1, 3, tzinfo=UTC))
    with transaction.atomic():
        log.record(SampleEvent.NOTED, actor=deputy, changes={"number": 3})
    monkeypatch.undo()
    client = as_role(Role.AUDITOR)
    url = reverse("audit:events")

    assert sorted(listed(client.get(url))) == [1, 2, 3]
    assert listed(client.get(url, {"person": manager.pk})) == [1]
    assert sorted(listed(client.get(url, {"code": "sample.thing"}))) == [1, 3]
    by_object = {"object_type": "people.person", "object_id": str(manager.pk)}
    assert listed(client.get(url, by_object)) == [2]
    period = {"date_from": "2025-06-01", "date_to": "2025-06-01"}
    assert listed(client.get(url, period)) == [3]


def test_the_event_list_shows_who_looked_at_whom_by_name(as_role, personas, auditor):
    as_role(Role.MANAGER).get(reverse("people:list"))
    client = as_role(Role.AUDITOR)
    response = client.get(
        reverse("audit:events"),
        {"object_type": "people.person", "object_id": str(auditor.pk)},
    )
    ((row, viewed),) = response.context["rows"]
    assert row.event.code == AuditEvent.PERSONAL_DATA_VIEWED
    assert auditor.name in viewed
    assert auditor.name in response.content.decode()


def test_a_reversed_period_is_refused_with_a_message(as_role):
    response = as_role(Role.AUDITOR).get(
        reverse("audit:events"), {"date_from": "2025-06-02", "date_to": "2025-06-01"}
    )
    assert response.context["form"].errors["date_to"]


def test_the_status_page_verifies_on_request_and_shows_the_latest_checkpoint(as_role, signing_key):
    append(3)
    client = as_role(Role.AUDITOR)
    year = Event.objects.first().fiscal_year
    response = client.get(reverse("audit:status"), {"fiscal_year": year})
    assert response.context["verification"] is None
    assert response.context["can_sign"] is False

    as_role(Role.MANAGER).post(reverse("audit:checkpoint"))
    response = client.get(reverse("audit:status"), {"fiscal_year": year, "verify": "1"})
    assert response.context["verification"].ok
    (row,) = [row for row in response.context["rows"] if row["log"].stream == "sample"]
    assert row["checkpoint"].size == 3
    assert row["report"].ok


def test_the_manager_signs_a_checkpoint_on_demand_and_it_is_recorded(as_role, manager, signing_key):
    append(2)
    response = as_role(Role.MANAGER).post(reverse("audit:checkpoint"))
    assert response.status_code == 302
    assert Checkpoint.objects.filter(stream="sample", size=2).exists()
    event = Event.objects.get(code=AuditEvent.CHECKPOINT_SIGNED)
    assert event.actor == manager
    assert "sample" in " ".join(event.data["changes"]["checkpoints"])


def test_without_the_key_on_the_server_the_manager_is_told_where_to_sign(as_role, settings):
    settings.ITAKU_AUDIT_SIGNING_KEY = ""
    append(1)
    response = as_role(Role.MANAGER).post(reverse("audit:checkpoint"), follow=True)
    assert "itaku audit checkpoint --key FILE" in response.content.decode()
    assert not Checkpoint.objects.exists()


def test_the_auditor_downloads_an_export_that_verifies(as_role, auditor, signing_key, tmp_path):
    from itaku.audit.actions import sign_checkpoints
    from itaku.audit.verifier import read_bundle

    append(5)
    sign_checkpoints(signing_key, by=None)
    year = Event.objects.first().fiscal_year
    response = as_role(Role.AUDITOR).get(reverse("audit:export"), {"fiscal_year": year})
    assert response["Content-Disposition"].endswith(f'itaku-audit-{year}.zip"')
    path = tmp_path / "download.zip"
    path.write_bytes(b"".join(response.streaming_content))
    assert zipfile.ZipFile(BytesIO(path.read_bytes())).read("verify.py").startswith(b'"""')
    reports = {r.stream: r for r in read_bundle(path, None, [])}
    assert reports["sample"].ok and reports["sample"].size == 5
    downloaded = Event.objects.get(code=AuditEvent.EXPORT_DOWNLOADED)
    assert downloaded.actor == auditor


def test_the_screens_are_in_japanese(as_role):
    append(1)
    page = as_role(Role.AUDITOR).get(reverse("audit:status")).content.decode()
    assert "監査" in page
    assert "Verify now" not in page


def test_an_event_shows_its_bytes_and_its_proof_in_the_latest_checkpoint(as_role, signing_key):
    from itaku.audit.actions import sign_checkpoints

    events = append(11)
    client = as_role(Role.AUDITOR)
    url = reverse("audit:event", args=[events[6].pk])
    assert client.get(url).context["proof"] is None  # not yet signed
    sign_checkpoints(signing_key, by=None)
    response = client.get(url)
    proof = response.context["proof"]
    assert proof.holds and proof.signed and proof.checkpoint.size == 11
    assert len(proof.proof) == 4  # the depth of a tree of 11
    page = response.content.decode()
    assert bytes(events[6].body).decode().replace('"', "&quot;") in page
    assert "証明済み" in page


def test_an_altered_event_is_not_proved(as_role, signing_key):
    from itaku.audit.actions import sign_checkpoints
    from tests.audit.conftest import guard_switched_off

    events = append(4)
    sign_checkpoints(signing_key, by=None)
    with guard_switched_off():
        Event.objects.filter(pk=events[2].pk).update(body=b'{"forged":true}')
    response = as_role(Role.AUDITOR).get(reverse("audit:event", args=[events[2].pk]))
    assert response.context["proof"].holds is False
    assert "証明できません" in response.content.decode()
