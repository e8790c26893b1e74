"""Contracts and their records for the tests, made through the actions as users make them."""

from datetime import date, timedelta
from io import BytesIO

from django.utils import timezone
from pypdf import PdfWriter

from itaku.contractors import actions
from itaku.contractors.demo import CONTRACT_TEXT
from itaku.contractors.models import Contract, SelectionMethod
from itaku.people.models import Person
from tests.factories import ContractorFactory

# The demo contract lacks 2-2-l; this article completes it.
PUBLICATION_ARTICLE = """
第16条（事故の公表）
甲は、乙の責めに帰すべき事由により個人情報の漏えい等の事故が発生したときは、その事実及び乙の名称を公表することができる。
"""
MISSING_ONE = CONTRACT_TEXT
COMPLETE = CONTRACT_TEXT + PUBLICATION_ARTICLE


def make_contract(manager: Person, **fields) -> Contract:
    today = timezone.localdate()
    values = {
        "contractor": ContractorFactory(),
        "title": "旅券窓口業務（試験）",
        "starts_on": today - timedelta(days=100),
        "ends_on": today + timedelta(days=265),
        "selection_method": SelectionMethod.GENERAL_TENDER,
        "selection_grounds": "価格競争が適する定型業務のため。",
        "city_responsible": manager,
        "work_place": "テスト市役所 旅券窓口",
        "per_person_pledges": False,
        "report_interval_months": 1,
        **fields,
    }
    return actions.register_contract(by=manager, **values)


def upload_text(contract: Contract, text: str, by: Person, **fields):
    values = {"kind": "contract", "filename": "契約書.txt", "replaces": None, **fields}
    return actions.upload_document(contract, data=text.encode("utf-8"), by=by, **values)


def pdf_scan(*, password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def admitted_setup(contract: Contract, manager: Person, lead: Person, workers: list[Person]):
    """Roster received, contractor's pledge confirmed, everyone trained yesterday."""
    today = timezone.localdate()
    roster = actions.submit_roster(contract, lead=lead, workers=workers, note="", by=lead)
    actions.receive_roster(roster, received_on=today, by=manager)
    pledge = actions.submit_pledge(
        contract,
        person=None,
        signed_on=today,
        filename="pledge.pdf",
        data=pdf_scan(),
        by=lead,
    )
    actions.confirm_pledge(pledge, by=manager)
    actions.record_training(
        contract,
        held_on=today - timedelta(days=1),
        content="情報セキュリティポリシー",
        material="研修資料",
        trainer="試験 講師",
        attendees=[lead, *workers],
        by=lead,
    )
    return roster, pledge


def a_date(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)
