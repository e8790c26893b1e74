"""The contractor pages as their users meet them: Japanese, field errors, who sees what."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from itaku.audit.models import Event
from itaku.contractors import actions, forms
from itaku.contractors.models import Contract, ContractDocument, Pledge, RosterSubmission
from itaku.people.models import Organization
from itaku.people.roles import Role
from tests.contractors.conftest import stored_files
from tests.contractors.factories import (
    MISSING_ONE,
    admitted_setup,
    make_contract,
    pdf_scan,
    upload_text,
)
from tests.factories import person_with_role


def test_the_manager_registers_a_contract_and_lands_on_its_page(as_role, personas):
    contractor = Organization.objects.create(name="株式会社ビュー試験", kind="contractor")
    response = as_role(Role.MANAGER).post(
        reverse("contractors:contract_new"),
        {
            "contractor": contractor.pk,
            "title": "旅券窓口業務",
            "starts_on": "2026-04-01",
            "ends_on": "2027-03-31",
            "selection_method": "proposal",
            "selection_grounds": "企画提案の内容で選ぶため。",
            "city_responsible": personas[Role.MANAGER].pk,
            "work_place": "旅券窓口",
            "report_interval_months": 1,
        },
    )
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contractors:contract_detail", args=[contract.pk])
    assert contract.registered_by == personas[Role.MANAGER]


def test_a_term_ending_before_it_starts_is_refused_on_the_end_field(as_role, personas):
    response = as_role(Role.MANAGER).post(
        reverse("contractors:contract_new"),
        {"starts_on": "2026-04-01", "ends_on": "2026-03-01", "title": "業務"},
    )
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert not Contract.objects.exists()


def test_uploading_a_text_shows_the_provisions_with_passages_and_the_missing_one_in_red(
    as_role, contract
):
    client = as_role(Role.MANAGER)
    upload = SimpleUploadedFile("契約書.txt", MISSING_ONE.encode("utf-8"), "text/plain")
    response = client.post(
        reverse("contractors:document_upload", args=[contract.pk]),
        {"kind": "contract", "file": upload},
        follow=True,
    )
    page = response.content.decode()
    assert ContractDocument.objects.count() == 1
    assert 'id="provision-2-2-l"' in page
    row_l = page.split('id="provision-2-2-l"')[1].split("</tr>")[0]
    assert "status-attention" in row_l
    row_h = page.split('id="provision-2-2-h"')[1].split("</tr>")[0]
    assert "第三者に委託してはならない" in row_h
    assert "第11条" in row_h


def test_a_corrupt_pdf_upload_names_the_file_field_and_stores_nothing(
    as_role, contract, media_root
):
    upload = SimpleUploadedFile("契約書.pdf", b"%PDF-1.4 broken", "application/pdf")
    response = as_role(Role.MANAGER).post(
        reverse("contractors:document_upload", args=[contract.pk]),
        {"kind": "contract", "file": upload},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not ContractDocument.objects.exists()
    assert stored_files(media_root) == []


def test_the_contract_list_shows_the_missing_provision(as_role, contract, manager):
    upload_text(contract, MISSING_ONE, manager)
    page = as_role(Role.AUDITOR).get(reverse("contractors:contract_list")).content.decode()
    assert contract.title in page
    assert "2-2-l" in page


def test_the_contractor_lead_sees_only_their_own_organizations_contracts(as_role, manager):
    own = make_contract(manager)
    other = make_contract(
        manager, contractor=Organization.objects.create(name="株式会社他社", kind="contractor")
    )
    client = as_role(Role.CONTRACTOR_LEAD)
    assert client.get(reverse("contractors:contract_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("contractors:contract_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("contractors:roster", args=[other.pk])).status_code == 404


def test_the_lead_submits_a_roster_and_the_manager_records_receipt(as_role, contract, lead, worker):
    as_role(Role.CONTRACTOR_LEAD).post(
        reverse("contractors:roster", args=[contract.pk]),
        {"lead": lead.pk, "workers": [worker.pk], "note": ""},
    )
    submission = RosterSubmission.objects.get()
    as_role(Role.MANAGER).post(
        reverse("contractors:roster_receive", args=[submission.pk]),
        {"received_on": timezone.localdate().isoformat()},
    )
    submission.refresh_from_db()
    assert submission.decided_capacity == "manager"

    response = as_role(Role.AUDITOR).get(reverse("contractors:roster_pdf", args=[submission.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_roster_without_a_lead_names_the_lead_field(as_role, contract, worker):
    response = as_role(Role.CONTRACTOR_LEAD).post(
        reverse("contractors:roster", args=[contract.pk]), {"workers": [worker.pk]}
    )
    assert "lead" in response.context["form"].errors
    assert not RosterSubmission.objects.exists()


def test_a_pledge_scan_of_the_wrong_type_names_the_file_field(as_role, contract, media_root):
    upload = SimpleUploadedFile("pledge.png", b"not an image", "image/png")
    response = as_role(Role.CONTRACTOR_LEAD).post(
        reverse("contractors:pledges", args=[contract.pk]),
        {"signed_on": timezone.localdate().isoformat(), "file": upload},
    )
    assert "file" in response.context["form"].errors
    assert not Pledge.objects.exists()
    assert stored_files(media_root) == []


def test_the_training_page_flags_a_rostered_worker_never_trained(
    as_role, contract, manager, lead, worker
):
    untrained = person_with_role(Role.CONTRACTOR_WORKER, name="未受講 次郎")
    admitted_setup(contract, manager, lead, [worker])
    roster = actions.submit_roster(
        contract, lead=lead, workers=[worker, untrained], note="", by=lead
    )
    actions.receive_roster(roster, received_on=timezone.localdate(), by=manager)

    response = as_role(Role.MANAGER).get(reverse("contractors:training", args=[contract.pk]))
    flagged = [row["person"] for row in response.context["people"] if row["flagged"]]
    assert flagged == [untrained]


def test_the_reports_page_lists_overdue_periods(as_role, contract):
    response = as_role(Role.CITY_STAFF).get(reverse("contractors:reports", args=[contract.pk]))
    assert response.context["overdue"]
    assert contract.report_periods(timezone.localdate())[0][0] == response.context["overdue"][0][0]


def test_every_contract_page_renders_for_the_auditor(as_role, contract, manager, lead, worker):
    upload_text(contract, MISSING_ONE, manager)
    admitted_setup(contract, manager, lead, [worker])
    client = as_role(Role.AUDITOR)
    for name in [
        "contract_detail",
        "roster",
        "pledges",
        "training",
        "reports",
        "inspections",
        "end_of_work",
    ]:
        response = client.get(reverse(f"contractors:{name}", args=[contract.pk]))
        assert response.status_code == 200, name
        assert b'<form method="post" novalidate>' not in response.content, name


def test_the_manager_waives_a_missing_provision_from_the_contract_page(as_role, contract, manager):
    upload_text(contract, MISSING_ONE, manager)
    client = as_role(Role.MANAGER)
    blank = client.post(
        reverse("contractors:waiver_add", args=[contract.pk]), {"provision_id": "2-2-l"}
    )
    assert "reason" in blank.context["waiver_form"].errors

    client.post(
        reverse("contractors:waiver_add", args=[contract.pk]),
        {"provision_id": "2-2-l", "reason": "公表は条例で別に定める。"},
    )
    page = client.get(reverse("contractors:contract_detail", args=[contract.pk])).content.decode()
    row_l = page.split('id="provision-2-2-l"')[1].split("</tr>")[0]
    assert "status-attention" not in row_l
    assert "公表は条例で別に定める。" in row_l


def test_the_manager_records_an_inspection_with_an_action_and_closes_it(as_role, contract, lead):
    client = as_role(Role.MANAGER)
    client.post(
        reverse("contractors:inspections", args=[contract.pk]),
        {
            "trigger": "suspected_breach",
            "held_on": timezone.localdate().isoformat(),
            "findings": "所見",
        },
    )
    inspection = contract.inspections.get()
    assert inspection.recorded_capacity == "manager"
    client.post(
        reverse("contractors:corrective_action_add", args=[inspection.pk]),
        {"description": "再周知", "owner": lead.pk, "due_on": timezone.localdate().isoformat()},
    )
    action = inspection.actions.get()

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = as_role(Role.CONTRACTOR_LEAD).post(
        reverse("contractors:corrective_action_done", args=[action.pk]),
        {"done_on": tomorrow},
        follow=True,
    )
    assert "完了日: 未来の日付です。" in refused.content.decode()
    as_role(Role.CONTRACTOR_LEAD).post(
        reverse("contractors:corrective_action_done", args=[action.pk]),
        {"done_on": timezone.localdate().isoformat(), "note": "朝礼で周知"},
    )
    client.post(reverse("contractors:inspection_close", args=[inspection.pk]), {"note": ""})

    inspection.refresh_from_db()
    assert inspection.state == "closed"


def test_the_manager_reviews_a_report_from_its_page(as_role, contract, lead):
    start = contract.report_periods(timezone.localdate())[0][0]
    as_role(Role.CONTRACTOR_LEAD).post(
        reverse("contractors:reports", args=[contract.pk]),
        {"period_start": start.isoformat(), "no_copying": "on", "text": "異常なし"},
    )
    report = contract.periodic_reports.get()
    assert (report.no_copying, report.no_third_party) == (True, False)

    as_role(Role.MANAGER).post(
        reverse("contractors:report_detail", args=[report.pk]),
        {"comment": "第三者提供の確認を求める"},
    )
    report.refresh_from_db()
    assert report.decided_capacity == "manager"


def test_the_end_of_work_checklist_is_closed_by_the_certificate(as_role, contract):
    client = as_role(Role.MANAGER)
    end = reverse("contractors:end_of_work", args=[contract.pk])
    client.post(end, {"asset": "申請書控え", "quantity": 3, "method": "disposal"})
    item = contract.return_items.get()
    client.post(
        reverse("contractors:return_item_done", args=[item.pk]),
        {"done_on": timezone.localdate().isoformat()},
    )
    client.post(
        reverse("contractors:disposal_certify", args=[contract.pk]),
        {
            "what": "申請書控え",
            "how_many": 3,
            "how": "溶解処理",
            "disposed_on": timezone.localdate().isoformat(),
            "witnessed_by": "例田 三郎",
        },
    )
    page = client.get(end).content.decode()
    assert 'id="certificate"' in page
    assert "溶解処理" in page


def test_the_contract_page_reads_in_english(as_role, contract, manager):
    upload_text(contract, MISSING_ONE, manager)
    client = as_role(Role.MANAGER)
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("contractors:contract_detail", args=[contract.pk])).content.decode()
    assert "Provisions required by 2-2" in page
    assert "Open competitive tender" in page


@pytest.mark.parametrize(
    ("filename", "data", "says"),
    [
        ("契約書.pdf", pdf_scan(), "スキャン"),
        ("契約書.pdf", pdf_scan(password="secret"), "パスワード"),
        ("契約書.xlsx", b"PK\x03\x04", "TXT、DOCX"),
    ],
)
def test_an_upload_the_check_cannot_read_says_why_on_the_file_field(
    as_role, contract, media_root, filename, data, says
):
    response = as_role(Role.MANAGER).post(
        reverse("contractors:document_upload", args=[contract.pk]),
        {"kind": "contract", "file": SimpleUploadedFile(filename, data)},
    )
    errors = response.context["form"].errors["file"]
    assert says in " ".join(errors)
    assert not ContractDocument.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_upload_is_refused_before_it_is_read(as_role, contract, monkeypatch):
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    big = SimpleUploadedFile("契約書.txt", b"a" * (2 * 1024 * 1024 + 1))
    response = as_role(Role.MANAGER).post(
        reverse("contractors:document_upload", args=[contract.pk]),
        {"kind": "contract", "file": big},
    )
    assert "2 MB" in " ".join(response.context["form"].errors["file"])
    assert not ContractDocument.objects.exists()


def test_the_auditor_downloads_the_stored_text_and_pledge_scan(
    as_role, contract, manager, lead, worker
):
    document = upload_text(contract, MISSING_ONE, manager)
    _roster, pledge = admitted_setup(contract, manager, lead, [worker])
    client = as_role(Role.AUDITOR)

    text = client.get(reverse("contractors:document_file", args=[document.pk]))
    scan = client.get(reverse("contractors:pledge_file", args=[pledge.pk]))

    assert b"".join(text.streaming_content) == MISSING_ONE.encode("utf-8")
    assert b"".join(scan.streaming_content).startswith(b"%PDF")


def test_a_new_roster_version_starts_from_the_current_roster(
    as_role, contract, manager, lead, worker
):
    admitted_setup(contract, manager, lead, [worker])
    response = as_role(Role.CONTRACTOR_LEAD).get(reverse("contractors:roster", args=[contract.pk]))
    form = response.context["form"]
    assert form.initial["lead"] == lead
    assert form.initial["workers"] == [worker]


def test_the_pledges_page_names_rostered_people_without_their_own_pledge(
    as_role, contract, manager, lead, worker
):
    contract.per_person_pledges = True
    contract.save()
    admitted_setup(contract, manager, lead, [worker])
    response = as_role(Role.MANAGER).get(reverse("contractors:pledges", args=[contract.pk]))
    assert set(response.context["without_pledge"]) == {lead, worker}


def test_reading_the_roster_is_recorded_as_who_looked_at_whom(
    as_role, contract, manager, lead, worker
):
    admitted_setup(contract, manager, lead, [worker])
    as_role(Role.AUDITOR).get(reverse("contractors:roster", args=[contract.pk]))

    event = Event.objects.filter(code="access.personal_data.viewed").latest("occurred_at")
    assert event.data["changes"]["page"] == "contractors:roster"
    assert f"people.person:{worker.pk}" in event.data["changes"]["records"]


def test_changing_the_contract_keeps_old_and_new_values_in_the_audit_trail(
    as_role, contract, personas
):
    new_end = contract.ends_on + timedelta(days=30)
    response = as_role(Role.MANAGER).post(
        reverse("contractors:contract_edit", args=[contract.pk]),
        {
            "contractor": contract.contractor_id,
            "title": contract.title,
            "starts_on": contract.starts_on.isoformat(),
            "ends_on": new_end.isoformat(),
            "selection_method": contract.selection_method,
            "selection_grounds": contract.selection_grounds,
            "city_responsible": contract.city_responsible_id,
            "work_place": contract.work_place,
            "report_interval_months": 1,
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.ends_on == new_end
    event = Event.objects.get(code="contractors.contract.changed")
    assert list(event.data["changes"]) == ["ends_on"]
    assert event.data["changes"]["ends_on"][1] == new_end.isoformat()


def test_after_an_upload_the_message_and_the_table_agree_on_what_is_missing(as_role, contract):
    client = as_role(Role.MANAGER)
    upload = SimpleUploadedFile("契約書.txt", MISSING_ONE.encode("utf-8"), "text/plain")
    response = client.post(
        reverse("contractors:document_upload", args=[contract.pk]),
        {"kind": "contract", "file": upload},
        follow=True,
    )
    page = response.content.decode()
    messages = page.split('class="messages"')[1].split("</ul>")[0]
    assert "下の表" in messages
    assert "2-2-" not in messages  # the table alone lists the missing provisions
    header = page.split('class="table provisions"')[1].split("</thead>")[0]
    assert header.count(">規定<") == 1
