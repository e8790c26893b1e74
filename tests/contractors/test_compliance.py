"""The dashboard's statuses for 2-1, 2-2-a … 2-2-m and 5-1 … 5-11 come from these records."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from itaku.contractors import actions
from itaku.contractors.models import Contract
from itaku.core.dates import wareki
from itaku.people.models import RoleAssignment
from itaku.people.roles import Role
from itaku.policy.registry import Status, assess
from tests.contractors.factories import (
    COMPLETE,
    MISSING_ONE,
    a_date,
    admitted_setup,
    make_contract,
    upload_text,
)

CLAUSES = ["2-1", *[f"2-2-{letter}" for letter in "abcdefghijklm"]] + [
    f"5-{n}" for n in range(1, 12)
]


def _status(clause_id):
    return assess([clause_id], timezone.now())[clause_id]


def test_without_a_current_contract_there_is_no_evidence_yet(db):
    statuses = assess(CLAUSES, timezone.now())
    assert {status.status for status in statuses.values()} == {Status.NO_EVIDENCE}


def test_a_missing_provision_needs_attention_until_waived(contract, manager):
    upload_text(contract, MISSING_ONE, manager)
    assert _status("2-2-l").status is Status.ATTENTION
    assert _status("2-2-a").status is Status.OK

    actions.waive_provision(contract, provision_id="2-2-l", reason="別に定める", by=manager)

    assert _status("2-2-l").status is Status.OK


def test_an_amended_text_clears_the_missing_provision(contract, manager):
    first = upload_text(contract, MISSING_ONE, manager)
    upload_text(contract, COMPLETE, manager, replaces=first)
    assert _status("2-2-l").status is Status.OK


def test_a_contract_without_any_text_needs_attention_on_every_provision(contract):
    assert _status("2-2-g").status is Status.ATTENTION


def test_the_contract_records_selection_method(contract):
    assert _status("2-1").status is Status.OK


def test_5_1_needs_attention_without_a_received_roster(contract, lead, worker, manager):
    assert _status("5-1").status is Status.ATTENTION
    admitted_setup(contract, manager, lead, [worker])
    assert _status("5-1").status is Status.OK
    assert _status("5-4").status is Status.OK
    assert _status("5-6").status is Status.OK


def test_a_rostered_person_without_pledge_or_training_needs_attention(
    contract, manager, lead, worker, another_worker
):
    admitted_setup(contract, manager, lead, [worker])
    roster = actions.submit_roster(
        contract, lead=lead, workers=[worker, another_worker], note="", by=lead
    )
    actions.receive_roster(roster, received_on=timezone.localdate(), by=manager)
    contract.per_person_pledges = True
    contract.save()

    assert _status("5-4").status is Status.ATTENTION
    training = _status("5-6")
    assert training.status is Status.ATTENTION
    assert any(another_worker.name in finding for finding in training.findings)


def test_attestations_in_reviewed_reports_prove_5_7_and_5_8(contract, manager, lead):
    start = contract.report_periods(timezone.localdate())[0][0]
    report = actions.submit_report(
        contract,
        period_start=start,
        no_copying=True,
        no_third_party=False,
        policy_obeyed=True,
        text="報告",
        by=lead,
    )
    assert _status("5-7").status is Status.NO_EVIDENCE  # attested, but not reviewed yet
    # Not ruling out provision to a third party needs attention at once, not after a review.
    assert _status("5-8").status is Status.ATTENTION

    actions.review_report(report, comment="", by=manager)

    assert _status("5-7").status is Status.OK
    assert _status("5-8").status is Status.ATTENTION


def test_overdue_reports_and_corrective_actions_need_attention(contract, manager, lead):
    assert _status("5-10").status is Status.ATTENTION  # the term began 100 days ago
    inspection = actions.record_inspection(
        contract, trigger="routine", held_on=timezone.localdate(), findings="所見", by=manager
    )
    assert _status("5-11").status is Status.OK
    actions.add_corrective_action(
        inspection,
        description="是正",
        owner=lead,
        due_on=a_date(1),
        by=manager,
    )
    assert _status("5-11").status is Status.ATTENTION


def test_an_unapproved_subcontractor_needs_attention(contract, manager, lead):
    upload_text(contract, COMPLETE, manager)
    subcontractor = actions.add_subcontractor(contract, name="下請", work="配送", by=lead)
    assert _status("2-2-h").status is Status.ATTENTION
    actions.approve_subcontractor(subcontractor, by=manager)
    assert _status("2-2-h").status is Status.OK


def test_copying_found_in_an_inspection_needs_attention_until_it_closes(contract, manager, lead):
    inspection = actions.record_inspection(
        contract,
        trigger="suspected_breach",
        held_on=timezone.localdate(),
        findings="申請書の写しを私物の手帳に書き写していた。",
        copying_found=True,
        by=manager,
    )
    assert _status("5-7").status is Status.ATTENTION
    assert _status("5-8").status is not Status.ATTENTION
    assert _status("5-11").status is Status.ATTENTION  # a breach found, no corrective action
    with pytest.raises(ValidationError):
        actions.close_inspection(inspection, note="問題なし", by=manager)

    action = actions.add_corrective_action(
        inspection, description="手帳を回収し廃棄", owner=lead, due_on=a_date(-7), by=manager
    )
    actions.complete_corrective_action(action, done_on=timezone.localdate(), note="", by=lead)
    actions.close_inspection(inspection, note="手帳を回収し廃棄、全員に再研修", by=manager)

    assert _status("5-7").status is not Status.ATTENTION
    assert _status("5-11").status is Status.OK


def test_next_years_contract_lacking_provisions_needs_attention_before_it_starts(contract, manager):
    upload_text(contract, COMPLETE, manager)
    coming = make_contract(
        manager,
        title="旅券窓口業務（翌年度）",
        starts_on=contract.ends_on + timedelta(days=1),
        ends_on=contract.ends_on + timedelta(days=365),
    )
    upload_text(coming, MISSING_ONE, manager)

    status = _status("2-2-l")

    assert status.status is Status.ATTENTION
    assert status.findings == [
        f"旅券窓口業務（翌年度）（{wareki(coming.starts_on)}から）："
        "登録された契約書等にこの規定がありません。"
    ]
    # Each fact names the contract whose text it cites.
    assert all(fact.startswith("旅券窓口業務（") for fact in _status("2-2-a").facts)


def test_2_2_b_names_each_mismatch_with_the_roster_the_manager_and_the_area(
    contract, manager, lead, worker, personas
):
    admitted_setup(contract, manager, lead, [worker])
    Contract.objects.filter(pk=contract.pk).update(
        city_responsible=personas[Role.CITY_STAFF], work_place="別館 会議室"
    )
    # The worker left the contractor's staff, but the received roster still names them.
    RoleAssignment.objects.filter(person=worker).update(ends_on=a_date(1))

    findings = _status("2-2-b").findings

    city_staff = personas[Role.CITY_STAFF].name
    assert any(city_staff in finding and "管理者ではありません" in finding for finding in findings)
    assert any("別館 会議室" in finding for finding in findings)
    assert any(worker.name in finding and "業務従事者" in finding for finding in findings)
    assert not any(lead.name in finding for finding in findings)
