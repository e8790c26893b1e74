"""User text in PDFs and CSVs is shown as typed, never read as markup or as a formula.

ReportLab reads a Paragraph's text as markup: `<` broke the PDF with a server error, `<img>`
drew any image file the server can read and `<a href>` put a live link into an official record.
A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` as a formula (OWASP, CSV injection).
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from reportlab.platypus import Paragraph

from itaku.area import actions as area_actions
from itaku.area import exports
from itaku.contractors import actions as contractor_actions
from itaku.contractors.pdf import roster_pdf
from itaku.core.escape import FORMULA_START, csv_cell, pdf_text
from itaku.people.roles import Role
from tests.area.factories import READY
from tests.security.conftest import pdf_text as read_pdf

IMAGE = '<img src="/etc/passwd"/>'
LINK = '<a href="https://evil.example/">x</a>'


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_markup_in_a_roster_note_is_printed_literally_in_the_roster_pdf(
    contract, personas, settings
):
    lead = personas[Role.CONTRACTOR_LEAD]
    submission = contractor_actions.submit_roster(
        contract, lead=lead, workers=[], note=f"{IMAGE} {LINK} <b>太字 & 𠮷", by=lead
    )

    data = roster_pdf(submission)

    text = _squeezed(read_pdf(data))
    assert _squeezed(IMAGE) in text
    assert _squeezed(LINK) in text
    # 𠮷 (U+20BB7) is outside the embedded IPAex font: its glyph is missing, the text is not.
    assert "<b>太字&" in text
    assert b"/URI" not in data  # no live link in the record


def test_a_visitor_name_with_markup_is_printed_literally_in_the_register(
    only_area_rules, area, personas
):
    staff = personas[Role.CITY_STAFF]
    visitor = area_actions.register_visitor(
        name="<font color='red'>訪問</font>", organization=LINK, badge_number="", by=staff
    )
    area_actions.record_entry(visitor, area, READY, by=staff)  # refused: no permission (3-4)
    reader, _token = area_actions.register_reader(area=area, name="北口", by=personas[Role.MANAGER])
    area_actions.record_unknown_badge(area, IMAGE, reader=reader)
    today = timezone.localdate()

    data = exports.register_pdf(today, today)

    text = _squeezed(read_pdf(data))
    assert _squeezed("<font color='red'>訪問</font>") in text
    assert _squeezed(LINK) in text
    assert _squeezed(IMAGE) in text
    assert b"/URI" not in data


def test_the_manager_downloads_the_register_of_a_month_with_markup_in_a_name(
    only_area_rules, area, personas, as_role
):
    staff = personas[Role.CITY_STAFF]
    visitor = area_actions.register_visitor(
        name="A <B", organization="C & D", badge_number="", by=staff
    )
    area_actions.record_entry(visitor, area, READY, by=staff)
    day = timezone.localdate().isoformat()

    response = as_role(Role.MANAGER).get(
        reverse("area:exports"), {"date_from": day, "date_to": day, "format": "pdf"}
    )

    assert response.status_code == 200
    assert "A <B" in read_pdf(response.content)


@pytest.mark.parametrize("hostile", [IMAGE, LINK, "<font size=80>", "a < b & c > d", "\x00nul"])
def test_pdf_text_makes_any_string_a_valid_paragraph(hostile):
    Paragraph(pdf_text(hostile))  # would raise on broken or unknown markup


def _cells(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_formula_in_a_visitor_organisation_or_a_badge_reaches_the_csv_as_text(
    only_area_rules, area, personas
):
    staff = personas[Role.CITY_STAFF]
    hyperlink = '=HYPERLINK("https://evil.example/","詳細")'
    visitor = area_actions.register_visitor(
        name="@SUM(1+1)", organization=hyperlink, badge_number="", by=staff
    )
    area_actions.record_entry(visitor, area, READY, by=staff)
    reader, _token = area_actions.register_reader(area=area, name="北口", by=personas[Role.MANAGER])
    area_actions.record_unknown_badge(area, "=1+2*3", reader=reader)
    today = timezone.localdate()

    cells = [cell for row in _cells(exports.passages_csv(today, today)) for cell in row]

    assert "'" + hyperlink in cells
    assert "'@SUM(1+1)" in cells
    assert "'=1+2*3" in cells
    assert not [cell for cell in cells if cell and cell[0] in FORMULA_START]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"])
def test_every_formula_start_is_neutralised(start):
    assert csv_cell(f"{start}1+1") == f"'{start}1+1"


def test_numbers_and_plain_text_pass_unchanged():
    assert csv_cell(-5) == -5
    assert csv_cell("見本 一郎") == "見本 一郎"
    assert csv_cell("") == ""
