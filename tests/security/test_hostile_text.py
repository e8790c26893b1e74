"""Hostile text typed into the free-text fields is stored or plainly refused, and shown as typed.

Each string of `HOSTILE_TEXT` (markup, ReportLab tags, template syntax, formula prefixes, a
right-to-left override, 𠮷, 10,000 characters) and a NUL is posted through the forms users
use (people, visitors, carried items, patrols, contracts, roster notes, periodic reports). A
field that cannot hold it (too long; NUL, which PostgreSQL refuses in text) answers with
a form error, never a 5xx. What is stored is then read back on every page and export that shows
it: escaped in HTML, literal in the PDF text, neutralised in the CSV, exact in the JSON API.
"""

import csv
import io
import unicodedata
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from itaku.area.models import CarryRecord, Patrol, VisitorPermission
from itaku.contractors.models import Contract, RosterSubmission
from itaku.core.escape import csv_cell
from itaku.people.models import Person
from itaku.people.roles import Role
from tests.area.factories import run_clock_at
from tests.security.conftest import pdf_text
from tests.security.hostile import HOSTILE_TEXT

STRINGS = [*HOSTILE_TEXT, "NUL\x00here"]
LOCAL = "%Y-%m-%dT%H:%M"


def _stored(response, what: str) -> bool:
    """True when the form was accepted; otherwise the refusal must be a form error."""
    assert response.status_code < 500, what
    if response.status_code == 302:
        return True
    assert response.status_code == 200, (what, response.status_code)
    assert response.context["form"].errors, what
    return False


def _in_html(response, text: str) -> bool:
    assert response.status_code == 200
    html = response.content.decode()
    return escape(text) in html or escape(text).replace("&#x27;", "'") in html


def _visible(text: str) -> str:
    """What a PDF can show: no white space (lines wrap), no format or control characters."""
    return "".join(
        c for c in text if not c.isspace() and unicodedata.category(c) not in {"Cf", "Cc"}
    )


# Characters the embedded IPAex fonts have no glyph for: printed as blanks, a known gap.
NO_GLYPH = {"𠮷"}


def _in_pdf(data: bytes, text: str) -> bool:
    printable = "".join(char for char in text if char not in NO_GLYPH)
    return _visible(printable) in _visible(pdf_text(data))


@pytest.fixture(autouse=True)
def _office_hours(monkeypatch):
    """Entries are admitted within the area's hours (3-3), whenever the suite runs."""
    run_clock_at(monkeypatch)


def _csv_cells(response) -> list[str]:
    assert response.status_code == 200
    rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    return [cell for row in rows for cell in row]


@pytest.fixture
def clients(personas) -> dict[Role, Client]:
    from tests.conftest import sign_in

    return {role: sign_in(Client(), person) for role, person in personas.items()}


def _export(client: Client, records: str, fmt: str = "csv"):
    # Yesterday to tomorrow: a visit that started an hour ago may have started yesterday.
    today = timezone.localdate()
    start, end = (today - timedelta(days=1)).isoformat(), (today + timedelta(days=1)).isoformat()
    query = {"date_from": start, "date_to": end, "format": fmt, "records": records}
    return client.get(reverse("area:exports"), query)


def test_hostile_visitor_names_and_purposes(only_area_rules, area, personas, clients):
    staff, manager = clients[Role.CITY_STAFF], clients[Role.MANAGER]
    lead = personas[Role.CONTRACTOR_LEAD]
    now = timezone.localtime()
    stored: list[VisitorPermission] = []
    for number, text in enumerate(STRINGS):
        response = staff.post(
            reverse("area:visitors"),
            {
                "new_name": text,
                "new_organization": text,
                "new_badge": f"V-{number:04d}",
                "purpose": text,
                "starts_at": (now - timedelta(hours=1)).strftime(LOCAL),
                "ends_at": (now + timedelta(hours=2)).strftime(LOCAL),
                "monitor": lead.pk,
            },
        )
        if not _stored(response, repr(text[:40])):
            assert len(text) > 100 or "\x00" in text, f"{text[:40]!r} was refused"
            continue
        permission = VisitorPermission.objects.select_related("person").latest("pk")
        assert permission.person.name == text.strip()
        stored.append(permission)
        page = staff.get(reverse("area:visitor", args=[permission.pk]))
        assert _in_html(page, permission.person.name), text[:40]
        assert _in_html(page, permission.purpose), text[:40]
        # A refused attempt at the desk puts the name into the register (3-3).
        desk = staff.post(
            reverse("area:area_desk", args=[area.pk]),
            {"person": permission.person.badge_number, "badge_worn": "on", "only_valuables": "on"},
        )
        assert desk.status_code < 500
    assert len(stored) == len(STRINGS) - 2  # all but the 10,000 characters and the NUL

    listing = staff.get(reverse("area:visitors"))
    desk_page = staff.get(reverse("area:area_desk", args=[area.pk]))
    visitors_csv = _csv_cells(_export(manager, "visitors"))
    passages_csv = _csv_cells(_export(manager, "passages"))
    register = _export(manager, "passages", "pdf")
    assert register.status_code == 200
    for permission in stored:
        name = permission.person.name
        assert _in_html(listing, name), name
        assert _in_html(desk_page, name), name
        assert csv_cell(name) in visitors_csv and csv_cell(permission.purpose) in visitors_csv
        assert csv_cell(name) in passages_csv, name
        assert _in_pdf(register.content, name), name


def test_hostile_badge_numbers_sent_by_a_card_reader(area, personas, clients):
    from itaku.area.actions import register_reader

    _reader, token = register_reader(area=area, name="北口", by=personas[Role.MANAGER])
    reader = Client(HTTP_AUTHORIZATION=f"Device {token}")
    for text in STRINGS:
        response = reader.post(
            reverse("api:area_passages"),
            {"badge_number": text, "direction": "entry", "only_valuables": True}
            | {"prohibited_device": False, "badge_worn": True},
            content_type="application/json",
        )
        assert response.status_code in {201, 400}, text[:40]
    cells = _csv_cells(_export(clients[Role.MANAGER], "passages"))
    assert csv_cell('=HYPERLINK("https://evil.example/","詳細")') in cells
    assert not [c for c in cells if c[:1] in {"=", "+", "-", "@", "＝"}]


def test_the_api_returns_a_hostile_name_exactly(only_area_rules, area, personas):
    from itaku.area.actions import register_reader, register_visitor

    _reader, token = register_reader(area=area, name="北口", by=personas[Role.MANAGER])
    reader = Client(HTTP_AUTHORIZATION=f"Device {token}")
    for number, text in enumerate(STRINGS[:-2]):  # the 10,000 characters and NUL: no name
        visitor = register_visitor(
            name=text[:100],
            organization="架空",
            badge_number=f"B-{number}",
            by=personas[Role.MANAGER],
        )
        response = reader.post(
            reverse("api:area_passages"),
            {"badge_number": f"B-{number}", "direction": "entry"}
            | {"only_valuables": True, "prohibited_device": False, "badge_worn": True},
            content_type="application/json",
        )
        assert response.status_code == 201
        assert response.json()["person"] == visitor.name


def test_hostile_carried_items_and_patrol_findings(area, personas, clients):
    staff = clients[Role.CITY_STAFF]
    for text in STRINGS:
        carried = staff.post(
            reverse("area:carry_log"),
            {
                "area": area.pk,
                "direction": "in",
                "items": text,
                "carried_by": personas[Role.CONTRACTOR_LEAD].pk,
                "witness": personas[Role.CITY_STAFF].pk,
                "checked": text,
            },
        )
        patrol = staff.post(reverse("area:patrols"), {"area": area.pk, "findings": text})
        assert _stored(carried, text[:40]) == _stored(patrol, text[:40]) == ("\x00" not in text)

    log = staff.get(reverse("area:carry_log"))
    patrols = staff.get(reverse("area:patrols"))
    cells = _csv_cells(_export(clients[Role.MANAGER], "carried"))
    for record in CarryRecord.objects.all():
        assert _in_html(log, record.items), record.items[:40]
        assert csv_cell(record.items) in cells and csv_cell(record.checked) in cells
    for patrol in Patrol.objects.all():
        assert _in_html(patrols, patrol.findings), patrol.findings[:40]


def test_hostile_contract_texts_and_roster_notes(personas, clients):
    manager, lead = clients[Role.MANAGER], clients[Role.CONTRACTOR_LEAD]
    lead_person = personas[Role.CONTRACTOR_LEAD]
    today = timezone.localdate()
    for text in STRINGS:
        response = manager.post(
            reverse("contractors:contract_new"),
            {
                "contractor": lead_person.organization_id,
                "title": text,
                "starts_on": (today - timedelta(days=40)).isoformat(),
                "ends_on": (today + timedelta(days=300)).isoformat(),
                "selection_method": "general_tender",
                "selection_grounds": text,
                "city_responsible": personas[Role.MANAGER].pk,
                "work_place": text,
                "report_interval_months": 1,
            },
        )
        if not _stored(response, text[:40]):
            assert len(text) > 200 or "\x00" in text, f"{text[:40]!r} was refused"
            continue
        contract = Contract.objects.latest("pk")
        assert contract.title == text.strip()
        assert _in_html(manager.get(reverse("contractors:contract_list")), contract.title)
        detail = manager.get(reverse("contractors:contract_detail", args=[contract.pk]))
        assert _in_html(detail, contract.title) and _in_html(detail, contract.work_place)

        roster = lead.post(
            reverse("contractors:roster", args=[contract.pk]),
            {"lead": lead_person.pk, "workers": [lead_person.pk], "note": text},
        )
        if not _stored(roster, text[:40]):
            continue
        submission = RosterSubmission.objects.latest("pk")
        assert _in_html(lead.get(reverse("contractors:roster", args=[contract.pk])), text.strip())
        pdf = manager.get(reverse("contractors:roster_pdf", args=[submission.pk]))
        assert pdf.status_code == 200
        assert _in_pdf(pdf.content, contract.title), text[:40]
        if len(text) < 1000:  # the long note is checked by length: its x's wrap over pages
            assert _in_pdf(pdf.content, submission.note), text[:40]
        else:
            assert _visible(pdf_text(pdf.content)).count("x") >= len(submission.note)


def test_a_nul_in_a_name_is_a_form_error_not_a_server_error(clients, personas):
    response = clients[Role.CITY_STAFF].post(
        reverse("area:visitors"),
        {"new_name": "見本\x00", "new_organization": "架空", "purpose": "点検"},
    )

    assert response.status_code == 200
    assert "new_name" in response.context["form"].errors
    assert not Person.objects.filter(name__startswith="見本").exists()


def test_hostile_names_of_people(personas, clients):
    admin, manager = clients[Role.ADMIN], clients[Role.MANAGER]
    organization = personas[Role.CONTRACTOR_LEAD].organization_id
    stored: list[Person] = []
    for number, text in enumerate(STRINGS):
        response = admin.post(
            reverse("people:new"),
            {
                "name": text,
                "name_kana": text,
                "organization": organization,
                "badge_number": f"P-{number:04d}",
            },
        )
        if not _stored(response, text[:40]):
            assert len(text) > 100 or "\x00" in text, f"{text[:40]!r} was refused"
            continue
        person = Person.objects.latest("pk")
        assert person.name == text.strip()
        stored.append(person)
        assert _in_html(manager.get(reverse("people:detail", args=[person.pk])), person.name)
    listing = manager.get(reverse("people:list"))
    for person in stored:
        assert _in_html(listing, person.name), person.name


def test_hostile_periodic_reports(personas, clients):
    from itaku.contractors.forms import ReportForm
    from itaku.contractors.models import PeriodicReport
    from tests.contractors.factories import make_contract

    lead, manager = clients[Role.CONTRACTOR_LEAD], clients[Role.MANAGER]
    contractor = personas[Role.CONTRACTOR_LEAD].organization
    for text in STRINGS:
        # A contract each: one report per period, and records are never deleted.
        contract = make_contract(personas[Role.MANAGER], contractor=contractor)
        field = ReportForm(contract=contract).fields["period_start"]
        periods = [value for value, _ in field.choices]  # type: ignore[attr-defined]
        response = lead.post(
            reverse("contractors:reports", args=[contract.pk]),
            {"period_start": periods[0], "no_copying": "on", "text": text}
            | {"no_third_party": "on", "policy_obeyed": "on"},
        )
        if not _stored(response, text[:40]):
            assert "\x00" in text, f"{text[:40]!r} was refused"
            continue
        report = PeriodicReport.objects.latest("pk")
        assert report.text == text.strip()
        page = manager.get(reverse("contractors:report_detail", args=[report.pk]))
        assert _in_html(page, report.text), text[:40]
