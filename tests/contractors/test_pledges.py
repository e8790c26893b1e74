"""Pledges (5-3, 5-4): the signed scan must be what it claims; the manager confirms it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from itaku.audit.models import Event
from itaku.contractors import actions
from itaku.contractors.models import Pledge
from itaku.contractors.uploads import ScanError
from tests.contractors.conftest import stored_files
from tests.contractors.factories import pdf_scan

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _submit(contract, lead, filename, data, person=None):
    return actions.submit_pledge(
        contract,
        person=person,
        signed_on=timezone.localdate(),
        filename=filename,
        data=data,
        by=lead,
    )


def test_a_pdf_scan_is_stored_and_confirmed_by_the_manager(contract, lead, manager, media_root):
    pledge = _submit(contract, lead, "誓約書.pdf", pdf_scan())
    assert not pledge.confirmed
    assert (media_root / pledge.scan.name).read_bytes().startswith(b"%PDF")

    actions.confirm_pledge(pledge, by=manager)

    assert pledge.decided_by == manager
    assert pledge.decided_capacity == "manager"
    assert Event.objects.get(code="contractors.pledge.confirmed").data["capacity"] == "manager"


def test_a_png_scan_is_accepted(contract, lead):
    assert _submit(contract, lead, "pledge.png", PNG).filename == "pledge.png"


@pytest.mark.parametrize(
    ("filename", "data", "says"),
    [
        ("pledge.docx", b"PK\x03\x04", "PDF、JPEG、PNG"),
        ("pledge.png", b"%PDF-1.7 not a png", "中身がPNGではありません"),
        ("pledge.jpg", b"\xff\xd8\xff\xe0 cut off", "途中で切れているか、壊れています"),
        ("pledge.pdf", b"%PDF-1.7\n garbage", "PDFが壊れていて読み取れません"),
        ("pledge.pdf", pdf_scan(password="secret"), "パスワードを外して"),
    ],
)
def test_a_scan_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(
    contract, lead, media_root, filename, data, says
):
    with pytest.raises(ScanError) as refused:
        _submit(contract, lead, filename, data)
    assert says in str(refused.value.message)
    assert not Pledge.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_scan_is_refused(contract, lead, settings):
    settings.ITAKU_SCAN_MAX_BYTES = 1024
    with pytest.raises(ScanError):
        _submit(contract, lead, "pledge.pdf", pdf_scan() + b"\n" * 2048)


def test_a_per_person_pledge_must_be_of_the_contractors_people(contract, lead, manager):
    with pytest.raises(ValidationError) as refused:
        _submit(contract, lead, "pledge.pdf", pdf_scan(), person=manager)
    assert "person" in refused.value.error_dict


def test_a_pledge_is_confirmed_once(contract, lead, manager):
    pledge = _submit(contract, lead, "pledge.pdf", pdf_scan())
    actions.confirm_pledge(pledge, by=manager)
    with pytest.raises(ValidationError):
        actions.confirm_pledge(pledge, by=manager)
