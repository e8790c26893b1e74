"""Roster (5-1): versioned submissions, the manager's receipt, the printable PDF."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from itaku.audit.models import Event
from itaku.contractors import actions
from itaku.contractors.pdf import roster_pdf
from itaku.people.roles import Role
from tests.factories import manager_away, person_with_role


def test_each_submission_is_a_new_version_and_only_a_received_one_is_current(
    contract, manager, lead, worker
):
    first = actions.submit_roster(contract, lead=lead, workers=[worker], note="", by=lead)
    actions.receive_roster(first, received_on=timezone.localdate(), by=manager)
    second = actions.submit_roster(contract, lead=lead, workers=[], note="交代", by=lead)

    assert (first.version, second.version) == (1, 2)
    assert contract.current_roster() == first
    assert first.decided_capacity == "manager"

    actions.receive_roster(second, received_on=timezone.localdate(), by=manager)
    assert contract.current_roster() == second
    assert Event.objects.filter(code="contractors.roster.received").count() == 2


def test_a_person_of_another_organization_cannot_be_on_the_roster(contract, lead, personas):
    city_staff = personas[Role.CITY_STAFF]
    with pytest.raises(ValidationError) as refused:
        actions.submit_roster(contract, lead=lead, workers=[city_staff], note="", by=lead)
    assert "workers" in refused.value.error_dict


def test_the_deputy_cannot_receive_the_roster_while_the_manager_is_present(
    contract, lead, worker, deputy
):
    submission = actions.submit_roster(contract, lead=lead, workers=[worker], note="", by=lead)
    with pytest.raises(ValidationError):
        actions.receive_roster(submission, received_on=timezone.localdate(), by=deputy)
    submission.refresh_from_db()
    assert not submission.received


def test_the_deputy_receives_the_roster_while_the_manager_is_recorded_absent(
    contract, lead, worker, manager, deputy
):
    manager_away(manager, hours=(-1, 8))
    submission = actions.submit_roster(contract, lead=lead, workers=[worker], note="", by=lead)
    actions.receive_roster(submission, received_on=timezone.localdate(), by=deputy)
    assert (submission.decided_by, submission.decided_capacity) == (deputy, "deputy")


def test_a_future_receipt_date_is_refused_on_its_field(contract, manager, lead, worker):
    submission = actions.submit_roster(contract, lead=lead, workers=[worker], note="", by=lead)
    with pytest.raises(ValidationError) as refused:
        actions.receive_roster(
            submission, received_on=timezone.localdate() + timedelta(days=1), by=manager
        )
    assert "received_on" in refused.value.error_dict


def test_the_roster_pdf_names_the_people_with_era_dates(contract, manager, lead):
    worker = person_with_role(Role.CONTRACTOR_WORKER, name="見本 花子")
    submission = actions.submit_roster(contract, lead=lead, workers=[worker], note="", by=lead)
    actions.receive_roster(submission, received_on=timezone.localdate(), by=manager)

    data = roster_pdf(submission)

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    assert data.startswith(b"%PDF")
    assert "見本 花子" in text
    assert "令和" in text
    assert contract.title in text
