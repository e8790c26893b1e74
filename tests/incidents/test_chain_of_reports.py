"""6-2, 6-3: the lead reports, the manager and deputy are mailed at once, the superior is told."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from itaku.audit.models import Event
from itaku.incidents import actions
from itaku.incidents.models import Incident
from itaku.people.roles import Role
from tests.incidents.factories import escalated, reported

pytestmark = pytest.mark.django_db


def test_the_lead_reports_from_the_short_form_and_the_event_is_recorded(people, as_role):
    client = as_role(Role.CONTRACTOR_LEAD)
    known = timezone.localtime() - timedelta(minutes=3)
    response = client.post(
        reverse("incidents:new"),
        {
            "kind": "loss",
            "summary": "USBメモリの紛失",
            "known_at": known.strftime("%Y-%m-%dT%H:%M"),
            "place": "旅券窓口",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:detail", args=[incident.pk])
    assert incident.reported_by == people[Role.CONTRACTOR_LEAD]
    event = Event.objects.get(code="incidents.incident.reported")
    assert event.changes["summary"] == "USBメモリの紛失"
    # The lead decides nothing about publication: the card says where it stands, not nothing.
    page = client.get(response["Location"]).content.decode()
    assert "公表するかどうかは、まだ市が決定していません。" in page


def test_the_manager_and_the_deputy_are_mailed_in_japanese_once_it_commits(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = reported(people)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sorted(sent.to) == ["deputy@example.jp", "manager@example.jp"]
    assert "事故" in sent.subject and incident.summary in sent.subject
    assert "上席者" in sent.body
    assert reverse("incidents:detail", args=[incident.pk]) in sent.body


def test_no_mail_leaves_before_the_transaction_commits(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reported(people)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_the_mail_reaches_a_real_smtp_server_with_japanese_subject_and_body(
    people, smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = reported(people)
    smtp.wait(1)
    recipients, message = smtp.messages[0]
    assert sorted(recipients) == ["deputy@example.jp", "manager@example.jp"]
    # The header is folded as MIME encoded words; decoded, it reads as sent.
    assert str(message["Subject"]).strip() == f"[Itaku] 事故の報告: {incident.summary}"
    body = message.get_content()
    assert incident.summary in body
    assert "報告者" in body


def test_a_future_time_known_is_refused(people):
    with pytest.raises(ValidationError):
        reported(people, known_at=timezone.now() + timedelta(hours=1))


def test_the_deputy_may_receive_the_report_in_the_managers_place(people):
    incident = reported(people)
    received = actions.receive_incident(incident, by=people[Role.DEPUTY])
    assert received.manager_told == people[Role.DEPUTY]
    assert Event.objects.get(code="incidents.incident.manager_told").data["capacity"] == "deputy"


def test_city_staff_cannot_receive_the_report(people):
    with pytest.raises(ValidationError, match="6-2"):
        actions.receive_incident(reported(people), by=people[Role.CITY_STAFF])


def test_the_superior_cannot_be_told_before_the_manager(people):
    incident = reported(people)
    with pytest.raises(ValidationError, match="6-2"):
        actions.tell_superior(
            incident, superior=people[Role.SUPERIOR], measures="x", by=people[Role.MANAGER]
        )


def test_only_a_superior_can_be_told_as_the_superior(people):
    incident = actions.receive_incident(reported(people), by=people[Role.MANAGER])
    with pytest.raises(ValidationError, match="6-3"):
        actions.tell_superior(
            incident, superior=people[Role.CITY_STAFF], measures="x", by=people[Role.MANAGER]
        )


def test_each_step_is_timed_and_lateness_is_shown(people, as_role, settings):
    settings.ITAKU_INCIDENT_PROMPT_MINUTES = 60
    known = timezone.now() - timedelta(hours=3)
    incident = reported(people, known_at=known)
    incident = actions.receive_incident(
        incident, by=people[Role.MANAGER], at=known + timedelta(minutes=90)
    )
    incident = actions.tell_superior(
        incident,
        superior=people[Role.SUPERIOR],
        measures="捜索",
        at=known + timedelta(minutes=100),
        by=people[Role.MANAGER],
    )
    assert incident.minutes_to_manager == 90
    assert incident.minutes_to_superior == 10
    assert incident.manager_late(timezone.now())
    assert not incident.superior_late(timezone.now())
    page = as_role(Role.MANAGER).get(reverse("incidents:detail", args=[incident.pk]))
    text = page.content.decode()
    assert "90" in text and "分" in text
    assert text.count("status-attention") >= 1


def test_the_manager_sees_an_untold_incident_awaiting_her(people, as_role):
    incident = reported(people)
    page = as_role(Role.MANAGER).get(reverse("incidents:index")).content.decode()
    assert 'id="awaiting"' in page and incident.summary in page
    escalated_one = escalated(people)
    page = as_role(Role.MANAGER).get(reverse("incidents:index")).content.decode()
    assert f"#{escalated_one.pk} " not in page.split('id="awaiting"')[1].split("</section>")[0]


def test_the_report_form_fits_a_phone(people, as_role):
    page = as_role(Role.CONTRACTOR_WORKER).get(reverse("incidents:new")).content.decode()
    assert 'class="narrow"' in page
    assert 'type="datetime-local"' in page


def test_a_mail_server_that_is_down_leaves_the_incident_recorded(
    people, settings, django_capture_on_commit_callbacks, caplog
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    with django_capture_on_commit_callbacks(execute=True):
        incident = reported(people)
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert any("on_commit" in record.getMessage() for record in caplog.records)
