"""Mail for the incident tests: every login gets an address, the manager and deputy included."""

import socket
import time
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller

from itaku.people.models import Person
from itaku.people.roles import Role


@pytest.fixture
def people(personas) -> dict[Role, Person]:
    for role, person in personas.items():
        assert person.user is not None
        person.user.email = f"{role.value}@example.jp"
        person.user.save(update_fields=["email"])
    return personas


class Inbox:
    """What a real SMTP server on loopback received: (recipients, parsed message)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def wait(self, count: int = 1, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, f"{len(self.messages)} mails arrived, {count} expected"


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    """Django's SMTP backend talking to an aiosmtpd server on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()
