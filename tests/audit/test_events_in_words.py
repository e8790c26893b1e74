"""The audit trail speaks in words: what happened, to whom by name, old → new in era dates."""

import enum
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from itaku.area import actions
from itaku.audit.describe import event_label
from itaku.audit.models import Event
from itaku.people.roles import Role
from tests.area.factories import make_visitor, permission
from tests.factories import manager_away

pytestmark = pytest.mark.django_db


def test_every_event_code_of_every_app_has_a_label():
    """A new event without a label would show its code on the audit screens."""
    unlabeled = []
    for config in apps.get_app_configs():
        if not config.name.startswith("itaku."):
            continue
        try:
            module = import_module(f"{config.name}.events")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, enum.StrEnum):
                unlabeled += [code.value for code in value if event_label(code) == code.value]
    assert not unlabeled


def test_a_deputy_approval_reads_as_words_with_names_and_era_dates(as_role, personas):
    manager, deputy = personas[Role.MANAGER], personas[Role.DEPUTY]
    lead = personas[Role.CONTRACTOR_LEAD]
    manager_away(manager)
    requested = permission(make_visitor("訪問 花子", registered_by=lead), lead, requested_by=lead)
    actions.decide_visitor_permission(requested, approve=True, note="点検のため", by=deputy)

    page = as_role(Role.AUDITOR).get(reverse("audit:events")).content.decode()

    assert "入室許可の承認" in page
    assert "area.visitor.approved" not in page
    assert "不在の管理者に代わり次席者として" in page  # the capacity in words, not "deputy"
    assert "申請中 → 承認" in page
    requested_event = Event.objects.get(code="area.visitor.requested")
    detail = as_role(Role.AUDITOR).get(reverse("audit:event", args=[requested_event.pk]))
    text = detail.content.decode()
    assert lead.name in text  # the monitor by name, not by key
    assert "令和" in text  # the window in era dates
    assert "&quot;code&quot;:&quot;area.visitor.requested&quot;" in text  # the exact bytes stay


def test_a_look_at_personal_data_names_the_page_by_its_menu_name(as_role):
    as_role(Role.MANAGER).get(reverse("people:list"))
    event = Event.objects.get(code="access.personal_data.viewed")

    text = as_role(Role.AUDITOR).get(reverse("audit:event", args=[event.pk])).content.decode()

    assert "画面: 人員" in text
    assert "画面: people:list" not in text  # the stored bytes below keep the code, as recorded
