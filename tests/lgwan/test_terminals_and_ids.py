"""Terminals with their measures (4-1, 4-3, 4-5) and one LGWAN ID per person (4-2)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from itaku.audit.models import Event
from itaku.lgwan import actions
from itaku.lgwan.models import Account, Measure, Terminal, Verification
from itaku.people.roles import Role


def _terminal(area, manager, **fields):
    values = {
        "asset_number": "LG-01",
        "place": "旅券窓口 1番",
        "area": area,
        "media_block_method": "USBストレージ無効化",
        "screen_lock_minutes": 10,
        **fields,
    }
    return actions.register_terminal(**values, by=manager)


def test_registering_a_terminal_is_audited(area, manager):
    terminal = _terminal(area, manager)

    event = Event.objects.get(code="lgwan.terminal.registered")
    assert event.object_id == str(terminal.pk)
    assert event.changes["screen_lock_minutes"] == 10


def test_a_terminal_without_a_media_block_is_refused(area, manager):
    with pytest.raises(ValidationError, match="4-3"):
        _terminal(area, manager, media_block_method=" ")
    assert not Terminal.objects.exists()


def test_verifications_are_appended_and_a_failure_needs_a_note(area, manager):
    terminal = _terminal(area, manager)
    with pytest.raises(ValidationError):
        actions.verify_terminal(terminal, measure=Measure.MEDIA_BLOCKED, passed=False, by=manager)

    actions.verify_terminal(
        terminal, measure=Measure.MEDIA_BLOCKED, passed=False, note="USBが認識された", by=manager
    )
    actions.verify_terminal(terminal, measure=Measure.MEDIA_BLOCKED, passed=True, by=manager)

    assert Verification.objects.filter(terminal=terminal).count() == 2
    assert terminal.verification_problem(Measure.MEDIA_BLOCKED, timezone.now()) is None
    assert Event.objects.filter(code="lgwan.terminal.verified").count() == 2


def test_an_id_is_never_issued_to_a_second_person(personas, manager):
    first, second = personas[Role.CITY_STAFF], personas[Role.CONTRACTOR_WORKER]
    account = actions.issue_account(account_id="U1001", person=first, by=manager)
    actions.revoke_account(account, by=manager)

    with pytest.raises(ValidationError, match="4-2"):
        actions.issue_account(account_id="U1001", person=second, by=manager)


def test_the_database_refuses_two_people_on_one_id(personas, manager):
    Account.objects.create(
        account_id="U1001",
        person=personas[Role.CITY_STAFF],
        issued_at=timezone.now(),
        issued_by=manager,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(
            account_id="U1001",
            person=personas[Role.CONTRACTOR_WORKER],
            issued_at=timezone.now(),
            issued_by=manager,
        )


def test_the_database_refuses_two_current_ids_for_one_person(personas, manager):
    person = personas[Role.CITY_STAFF]
    Account.objects.create(
        account_id="U1", person=person, issued_at=timezone.now(), issued_by=manager
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(
            account_id="U2", person=person, issued_at=timezone.now(), issued_by=manager
        )


def test_a_revoked_id_leaves_the_person_free_for_a_new_one(personas, manager):
    person = personas[Role.CITY_STAFF]
    old = actions.issue_account(account_id="U1", person=person, by=manager)
    actions.revoke_account(old, by=manager)

    new = actions.issue_account(account_id="U2", person=person, by=manager)

    assert list(Account.objects.active().values_list("account_id", flat=True)) == [new.account_id]
    assert Event.objects.filter(code="lgwan.account.revoked").count() == 1
    with pytest.raises(ValidationError):
        actions.revoke_account(old, by=manager)


def test_the_manager_issues_an_id_on_the_screen(personas, manager, as_role):
    person = personas[Role.CITY_STAFF]
    client = as_role(Role.MANAGER)

    response = client.post(reverse("lgwan:accounts"), {"account_id": "U7", "person": person.pk})

    assert response.status_code == 302
    assert Account.objects.get(account_id="U7").person == person
    page = client.get(reverse("lgwan:accounts"))
    assert "U7" in page.content.decode()


def test_the_manager_registers_and_verifies_a_terminal_on_the_screen(area, as_role):
    client = as_role(Role.MANAGER)
    page = client.get(reverse("lgwan:terminals")).content.decode()
    assert f'<option value="{area.pk}" selected>' in page  # the office's one area, chosen
    response = client.post(
        reverse("lgwan:terminals"),
        {
            "asset_number": "LG-05",
            "place": "旅券窓口",
            "area": area.pk,
            "media_block_method": "USB無効化",
            "screen_lock_minutes": 5,
            "verify_every_days": 30,
        },
    )
    terminal = Terminal.objects.get(asset_number="LG-05")
    assert response.status_code == 302

    client.post(
        reverse("lgwan:terminal", args=[terminal.pk]),
        {"measure": Measure.SCREEN_LOCK, "passed": "1", "note": ""},
    )

    assert terminal.verifications.get().passed
    assert "LG-05" in client.get(reverse("lgwan:terminals")).content.decode()


def test_the_manager_takes_a_terminal_out_of_service_on_its_page(area, manager, as_role):
    terminal = _terminal(area, manager)
    client = as_role(Role.MANAGER)
    today = timezone.localdate()

    response = client.post(
        reverse("lgwan:terminal_retire", args=[terminal.pk]),
        {"retire-retired_on": today.isoformat(), "retire-note": "LG-05に交換"},
    )

    terminal.refresh_from_db()
    assert response.status_code == 302
    assert terminal.retired_on == today
    event = Event.objects.get(code="lgwan.terminal.retired")
    assert event.changes == {"retired_on": today.isoformat(), "note": "LG-05に交換"}
    page = client.get(reverse("lgwan:terminal", args=[terminal.pk])).content.decode()
    assert "使用終了" in page and "確認を記録" not in page


@pytest.mark.parametrize(
    ("days_from_today", "words"),
    [(1, "端末の使用を終えてから"), (-400, "端末はその日より後に登録されています")],
)
def test_a_day_out_of_service_in_the_future_or_before_registration_is_refused(
    area, manager, as_role, days_from_today, words
):
    terminal = _terminal(area, manager)
    day = timezone.localdate() + timedelta(days=days_from_today)

    page = as_role(Role.MANAGER).post(
        reverse("lgwan:terminal_retire", args=[terminal.pk]), {"retire-retired_on": day}
    )

    terminal.refresh_from_db()
    assert words in page.content.decode()
    assert terminal.retired_on is None
    assert not Event.objects.filter(code="lgwan.terminal.retired").exists()


def test_a_terminal_out_of_service_is_retired_once(area, manager):
    terminal = _terminal(area, manager)
    actions.retire_terminal(terminal, retired_on=timezone.localdate(), note="", by=manager)

    with pytest.raises(ValidationError, match="すでに使用終了"):
        actions.retire_terminal(terminal, retired_on=timezone.localdate(), note="", by=manager)
