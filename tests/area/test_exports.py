"""3-6: CSV with BOM, the monthly PDF register in Japanese, the same from the command line."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from itaku.area import actions, exports
from itaku.people.roles import Role
from tests.area.factories import READY, make_visitor


@pytest.fixture
def day_with_passages(area, worker, city_staff):
    actions.record_entry(worker, area, READY, by=city_staff)
    actions.record_exit(worker, area, by=city_staff)
    actions.record_entry(make_visitor(), area, READY, by=city_staff)
    return timezone.localdate()


def test_the_csv_starts_with_a_bom_and_has_japanese_headers_and_every_passage(
    day_with_passages, worker
):
    body = exports.passages_csv(day_with_passages, day_with_passages)

    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert header.startswith("年度,")
    assert len(rows) == 3
    assert sum(worker.name in row for row in rows) == 2
    assert "3-4" in rows[2]


def test_the_pdf_register_reads_in_japanese_with_era_dates(day_with_passages, worker):
    pdf = exports.register_pdf(day_with_passages, day_with_passages)

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "入退室管理簿" in text
    assert "令和" in text
    assert worker.name.replace(" ", "") in text.replace(" ", "")


def test_a_period_over_two_months_gives_one_section_per_month(db):
    pdf = exports.register_pdf(
        timezone.localdate().replace(day=1) - timedelta(days=3), timezone.localdate().replace(day=1)
    )

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2


def test_the_manager_downloads_the_csv_from_the_records_page(day_with_passages, as_role):
    day = day_with_passages.isoformat()
    response = as_role(Role.MANAGER).get(
        reverse("area:exports"), {"date_from": day, "date_to": day, "format": "csv"}
    )

    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]


def test_a_reversed_period_names_the_end_date(as_role):
    response = as_role(Role.MANAGER).get(
        reverse("area:exports"),
        {"date_from": "2025-04-30", "date_to": "2025-04-01", "format": "pdf"},
    )

    assert "date_to" in response.context["form"].errors


def test_the_command_writes_the_file(day_with_passages, tmp_path):
    target = tmp_path / "register.csv"
    day = day_with_passages.isoformat()
    out = io.StringIO()

    call_command(
        "area",
        "export",
        "--from",
        day,
        "--to",
        day,
        "--format",
        "csv",
        "--output",
        str(target),
        stdout=out,
    )

    assert target.read_bytes().startswith("\ufeff".encode())
    assert str(target) in out.getvalue()


def test_the_command_refuses_a_bad_date_in_both_languages(db, tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command(
            "area",
            "export",
            "--from",
            "2025-13-01",
            "--to",
            "2025-04-30",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x.pdf"),
        )

    assert "2025-13-01" in str(raised.value)
    assert "Not a date" in str(raised.value)
    assert not (tmp_path / "x.pdf").exists()


def test_the_visitor_work_records_of_3_5_export_as_csv(area, manager, lead, tmp_path):
    from tests.area.factories import approved_permission

    # Starting now, not an hour ago: the export selects the day the window starts on.
    granted = approved_permission(
        make_visitor(), lead, manager, works_in_area=True, starts_at=timezone.now()
    )
    actions.declare_work(granted, work="発券機のローラー交換", by=lead)
    day = timezone.localdate().isoformat()
    target = tmp_path / "visitors.csv"

    call_command(
        "area", "export", "--from", day, "--to", day, "--format", "csv",
        "--records", "visitors", "--output", str(target),
    )  # fmt: skip

    text = target.read_bytes().decode("utf-8-sig")
    assert "発券機のローラー交換" in text
    assert "管理者として" in text


def test_an_export_records_who_looked_at_whom(day_with_passages, worker, manager, as_role):
    from itaku.audit.models import Event

    day = day_with_passages.isoformat()
    as_role(Role.MANAGER).get(
        reverse("area:exports"), {"date_from": day, "date_to": day, "format": "pdf"}
    )

    event = Event.objects.filter(code="access.personal_data.viewed").latest("occurred_at")
    assert event.data["changes"]["page"] == "area:exports"
    assert f"people.person:{worker.pk}" in event.data["changes"]["records"]
    assert event.actor == manager
