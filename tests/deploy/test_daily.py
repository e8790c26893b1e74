"""`itaku daily` mails each reminder once, in Japanese, read back from a real SMTP server."""

import email
import email.policy
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from itaku.area import actions as area_actions
from itaku.area.models import Passage, StoragePlace
from itaku.audit.models import Checkpoint, Event
from itaku.contractors import actions as contractor_actions
from itaku.people.models import User
from itaku.people.roles import Role
from itaku.reminders.models import SentReminder
from tests.area.factories import READY
from tests.audit.conftest import guard_switched_off
from tests.contractors.factories import make_contract, pdf_scan
from tests.factories import person_with_role


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def mailbox(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.DEFAULT_FROM_EMAIL = "itaku@city.example"
    yield box
    controller.stop()


def with_email(person, address):
    person.user.email = address
    person.user.save(update_fields=["email"])
    return person


@pytest.fixture
def office(personas, area, city_staff):
    """A contract two reports behind, a worker inside since yesterday, an unchecked cabinet."""
    manager = with_email(personas[Role.MANAGER], "kanri@city.example")
    with_email(personas[Role.DEPUTY], "jiseki@city.example")
    lead = with_email(personas[Role.CONTRACTOR_LEAD], "lead@contractor.example")
    worker = person_with_role(Role.CONTRACTOR_WORKER, organization=lead.organization)
    contract = make_contract(manager, contractor=lead.organization)
    roster = contractor_actions.submit_roster(
        contract, lead=lead, workers=[worker], note="", by=lead
    )
    contractor_actions.receive_roster(roster, received_on=timezone.localdate(), by=manager)
    pledge = contractor_actions.submit_pledge(
        contract,
        person=None,
        signed_on=timezone.localdate(),
        filename="p.pdf",
        data=pdf_scan(),
        by=lead,
    )
    contractor_actions.confirm_pledge(pledge, by=manager)
    contractor_actions.record_training(
        contract,
        held_on=timezone.localdate() - timedelta(days=350),
        content="研修",
        material="資料",
        trainer="講師",
        attendees=[lead, worker],
        by=lead,
    )
    entry = area_actions.record_entry(worker, area, READY, by=city_staff)
    assert entry.admitted
    Passage.objects.filter(pk=entry.passage.pk).update(
        occurred_at=timezone.now() - timedelta(days=1)
    )
    area_actions.register_storage_place(
        area=area,
        name="キャビネットA",
        kind=StoragePlace.Kind.CABINET,
        contents="端末ICカード",
        key_holder=city_staff,
        ic_cards=3,
        by=city_staff,
    )
    return {"contract": contract, "worker": worker, "lead": lead}


def test_the_manager_deputy_and_lead_get_their_reminders_in_japanese(mailbox, office):
    call_command("daily")

    (to_manager,) = mailbox.to("kanri@city.example")
    assert len(mailbox.to("jiseki@city.example")) == 1
    assert "お知らせ" in to_manager["Subject"]
    body = to_manager.get_content()
    worker = office["worker"].name
    assert f"[3-3] {worker}" in body and "試験区域" in body  # still inside since yesterday
    assert "[3-10] キャビネットA" in body
    assert "[5-10]" in body and "期限を過ぎています" in body
    assert "[5-6]" in body  # trained 350 days ago: runs out within 30 days
    assert "監査証跡" in body
    (to_lead,) = mailbox.to("lead@contractor.example")
    lead_body = to_lead.get_content()
    assert "[5-10]" in lead_body and worker in lead_body
    assert "[3-10]" not in lead_body and "監査証跡" not in lead_body  # the city's own matters
    assert (
        Event.objects.filter(code="reminders.reminder.sent").count() == SentReminder.objects.count()
    )


def test_each_reminder_goes_once_and_a_new_occasion_goes_again(mailbox, office, area, city_staff):
    call_command("daily")
    first = len(mailbox.messages)

    call_command("daily")
    assert len(mailbox.messages) == first  # nothing new: nothing mailed

    area_actions.register_storage_place(
        area=area,
        name="ロッカーB",
        kind=StoragePlace.Kind.LOCKER,
        contents="書類",
        key_holder=city_staff,
        ic_cards=1,
        by=city_staff,
    )
    call_command("daily")
    new = mailbox.messages[first:]
    assert {m["To"] for m in new} == {"kanri@city.example", "jiseki@city.example"}
    body = new[0].get_content()
    assert "ロッカーB" in body
    assert "キャビネットA" not in body


def test_a_person_without_an_address_is_named_and_the_reminder_stays_due(
    mailbox, personas, area, city_staff, capsys
):
    area_actions.register_storage_place(
        area=area,
        name="キャビネットA",
        kind=StoragePlace.Kind.CABINET,
        contents="端末ICカード",
        key_holder=city_staff,
        ic_cards=3,
        by=city_staff,
    )
    call_command("daily")

    assert mailbox.messages == []
    assert f"no e-mail address: {personas[Role.MANAGER].name}" in capsys.readouterr().out
    assert not SentReminder.objects.filter(occasion__startswith="storage-check").exists()


def test_the_first_administrator_and_others_get_their_e_mail_address_with_the_login(db):
    call_command(
        "add-person",
        "見本 管理",
        "--organization",
        "見本市",
        "--role",
        "admin",
        "--username",
        "kanri2",
        "--password",
        "itaku-demo-2026",
        "--email",
        "kanri2@city.example",
    )

    event = Event.objects.get(code="people.login.granted")
    assert event.changes["email"] == "kanri2@city.example"
    assert User.objects.get(username="kanri2").email == "kanri2@city.example"


def test_a_trail_that_does_not_verify_is_flagged_in_the_subject_and_not_signed(
    mailbox, personas, area, city_staff, signing_key
):
    with_email(personas[Role.MANAGER], "kanri@city.example")
    area_actions.register_storage_place(
        area=area,
        name="キャビネットA",
        kind=StoragePlace.Kind.CABINET,
        contents="端末ICカード",
        key_holder=city_staff,
        ic_cards=3,
        by=city_staff,
    )
    event = Event.objects.filter(stream="area").first()
    with guard_switched_off(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET body = %s WHERE id = %s", [b"{}", event.pk])

    with pytest.raises(SystemExit) as exit_code:
        call_command("daily")

    assert exit_code.value.code == 1
    (mail,) = mailbox.to("kanri@city.example")
    assert "監査証跡の検証に失敗" in mail["Subject"]
    assert "FAIL  area" in mail.get_content()
    assert not Checkpoint.objects.exists()


def test_an_unreadable_audit_key_is_one_clear_error(db, settings, tmp_path):
    settings.ITAKU_AUDIT_PUBLIC_KEY = str(tmp_path / "missing.pub")

    with pytest.raises(CommandError, match="The audit key cannot be read: .*missing.pub"):
        call_command("daily")
