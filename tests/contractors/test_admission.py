"""Area admission of the contractor's people: roster (5-1), pledge (5-4), training (5-6)."""

from datetime import timedelta

from django.utils import timezone

from itaku.contractors import actions
from itaku.people.admission import refusals
from itaku.people.roles import Role
from tests.contractors.factories import admitted_setup, pdf_scan


def _clauses(person):
    return [refusal.clause_id for refusal in refusals(person, timezone.now())]


def test_a_rostered_pledged_and_trained_worker_is_admitted(contract, manager, lead, worker):
    admitted_setup(contract, manager, lead, [worker])
    assert _clauses(worker) == []
    assert _clauses(lead) == []


def test_a_worker_not_on_the_received_roster_is_refused_under_5_1(
    contract, manager, lead, worker, another_worker
):
    admitted_setup(contract, manager, lead, [worker])
    refused = refusals(another_worker, timezone.now())
    assert [refusal.clause_id for refusal in refused] == ["5-1"]
    assert "名簿" in str(refused[0].reason)


def test_a_roster_not_yet_received_admits_no_one(contract, lead, worker):
    actions.submit_roster(contract, lead=lead, workers=[worker], note="", by=lead)
    assert _clauses(worker) == ["5-1"]


def test_without_a_confirmed_pledge_the_worker_is_refused_under_5_4(
    contract, manager, lead, worker
):
    roster = actions.submit_roster(contract, lead=lead, workers=[worker], note="", by=lead)
    actions.receive_roster(roster, received_on=timezone.localdate(), by=manager)
    actions.submit_pledge(
        contract,
        person=None,
        signed_on=timezone.localdate(),
        filename="p.pdf",
        data=pdf_scan(),
        by=lead,
    )
    actions.record_training(
        contract,
        held_on=timezone.localdate(),
        content="研修",
        material="資料",
        trainer="講師",
        attendees=[worker],
        by=lead,
    )
    assert _clauses(worker) == ["5-4"]


def test_where_the_city_asks_for_personal_pledges_the_workers_own_is_needed(
    contract, manager, lead, worker
):
    contract.per_person_pledges = True
    contract.save()
    admitted_setup(contract, manager, lead, [worker])
    assert _clauses(worker) == ["5-4"]

    own = actions.submit_pledge(
        contract,
        person=worker,
        signed_on=timezone.localdate(),
        filename="own.pdf",
        data=pdf_scan(),
        by=lead,
    )
    actions.confirm_pledge(own, by=manager)
    assert _clauses(worker) == []


def test_a_worker_never_trained_or_trained_too_long_ago_is_refused_under_5_6(
    contract, manager, lead, worker, another_worker, settings
):
    admitted_setup(contract, manager, lead, [worker])
    roster = actions.submit_roster(
        contract, lead=lead, workers=[worker, another_worker], note="", by=lead
    )
    actions.receive_roster(roster, received_on=timezone.localdate(), by=manager)
    assert _clauses(another_worker) == ["5-6"]

    settings.ITAKU_TRAINING_VALID_DAYS = 0
    assert _clauses(worker) == ["5-6"]


def test_people_of_the_city_are_not_asked_for_a_roster(personas):
    assert _clauses(personas[Role.CITY_STAFF]) == []


def test_a_contract_whose_term_has_ended_admits_no_one(contract, manager, lead, worker):
    admitted_setup(contract, manager, lead, [worker])
    later = timezone.now() + timedelta(days=400)
    assert [refusal.clause_id for refusal in refusals(worker, later)] == ["5-1"]
