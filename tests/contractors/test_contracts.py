"""Contracts (2-1, 2-2): registration, uploaded texts with their provision check, waivers."""

import pytest
from django.core.exceptions import ValidationError

from itaku.audit.models import Event
from itaku.contractors import actions
from itaku.contractors.contract_check import DocumentError
from itaku.contractors.models import ContractDocument, ProvisionWaiver
from itaku.people.roles import Role
from tests.contractors.conftest import stored_files
from tests.contractors.factories import COMPLETE, MISSING_ONE, upload_text


def test_registering_a_contract_records_the_selection_method_and_an_audit_event(contract):
    event = Event.objects.get(code="contractors.contract.registered")
    assert event.object_id == str(contract.pk)
    assert event.data["changes"]["selection_method"] == "general_tender"


def test_an_uploaded_text_stores_its_file_hash_and_which_provision_is_missing(
    contract, manager, media_root
):
    document = upload_text(contract, MISSING_ONE, manager)

    assert document.missing() == ["2-2-l"]
    subcontracting = document.passages("2-2-h")
    assert {passage["where"][:4] for passage in subcontracting} == {"第11条"}
    assert any("第三者に委託してはならない" in passage["text"] for passage in subcontracting)
    assert len(document.sha256) == 64
    assert (media_root / document.file.name).read_bytes() == MISSING_ONE.encode("utf-8")
    assert contract.missing_provisions() == ["2-2-l"]
    event = Event.objects.get(code="contractors.document.uploaded")
    assert event.data["changes"]["missing"] == ["2-2-l"]


def test_an_amended_text_replaces_the_earlier_one_and_clears_the_missing_provision(
    contract, manager
):
    first = upload_text(contract, MISSING_ONE, manager)
    amended = upload_text(contract, COMPLETE, manager, replaces=first)

    first.refresh_from_db()
    assert first.replaced_by == amended
    assert list(contract.documents.current()) == [amended]
    assert contract.missing_provisions() == []


def test_a_provision_found_in_the_specification_counts_for_the_contract(contract, manager):
    upload_text(contract, MISSING_ONE, manager)
    upload_text(
        contract,
        "仕様書\n第1条 甲は、事故が発生したときは、その概要を公表することができる。\n",
        manager,
        kind="specification",
        filename="仕様書.txt",
    )
    assert contract.missing_provisions() == []


def test_a_damaged_docx_is_refused_and_nothing_is_stored(contract, manager, media_root):
    with pytest.raises(DocumentError) as refused:
        actions.upload_document(
            contract,
            kind="contract",
            filename="契約書.docx",
            data=b"PK\x03\x04 not really a word document",
            replaces=None,
            by=manager,
        )
    assert refused.value.kind in {"corrupt", "wrong_type"}
    assert not ContractDocument.objects.exists()
    assert stored_files(media_root) == []


def test_the_file_is_removed_when_recording_the_upload_fails(
    contract, manager, media_root, monkeypatch
):
    def broken_record(*args, **kwargs):
        raise RuntimeError("the audit table is unavailable")

    monkeypatch.setattr(actions, "record", broken_record)
    with pytest.raises(RuntimeError):
        upload_text(contract, MISSING_ONE, manager)

    assert not ContractDocument.objects.exists()
    assert stored_files(media_root) == []


def test_the_manager_records_why_a_missing_provision_is_acceptable(contract, manager):
    upload_text(contract, MISSING_ONE, manager)

    waiver = actions.waive_provision(
        contract, provision_id="2-2-l", reason="公表は市の条例で別に定めるため。", by=manager
    )

    assert waiver.waived_capacity == "manager"
    assert contract.missing_provisions() == []
    event = Event.objects.get(code="contractors.provision.waived")
    assert event.data["capacity"] == "manager"


def test_a_provision_that_is_present_cannot_be_waived(contract, manager):
    upload_text(contract, MISSING_ONE, manager)
    with pytest.raises(ValidationError) as refused:
        actions.waive_provision(contract, provision_id="2-2-a", reason="不要", by=manager)
    assert "provision_id" in refused.value.error_dict


def test_the_deputy_cannot_waive_while_the_manager_is_present(contract, manager, personas):
    upload_text(contract, MISSING_ONE, manager)
    with pytest.raises(ValidationError):
        actions.waive_provision(
            contract, provision_id="2-2-l", reason="理由", by=personas[Role.DEPUTY]
        )
    assert not ProvisionWaiver.objects.exists()


def test_a_subcontractor_is_approved_with_the_approvers_capacity(contract, manager, lead):
    subcontractor = actions.add_subcontractor(
        contract, name="有限会社テスト下請", work="書類の配送", by=lead
    )
    assert not subcontractor.approved

    actions.approve_subcontractor(subcontractor, by=manager)

    assert subcontractor.decided_by == manager
    assert subcontractor.decided_capacity == "manager"
