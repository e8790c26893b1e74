"""Every PDF embeds its Japanese fonts, so it prints the same on a machine without them."""

import io
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from itaku.area import actions, exports
from itaku.contractors.actions import submit_roster
from itaku.contractors.demo import _pledge_scan
from itaku.contractors.pdf import roster_pdf
from itaku.core import pdf as core_pdf
from itaku.core.pdf import MissingFont, japanese_fonts
from itaku.incidents import actions as incident_actions
from itaku.incidents import pdf as incident_pdf
from itaku.people.roles import Role
from tests.area.factories import READY, run_clock_at
from tests.contractors.factories import make_contract
from tests.incidents.factories import with_report


@pytest.fixture(autouse=True)
def _office_hours(monkeypatch):
    """Entries are admitted within the area's hours (3-3), whenever the suite runs."""
    run_clock_at(monkeypatch)


def fonts_of(pdf: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """`pdffonts` (poppler) on the document: one row per font with its emb column."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(  # noqa: S603
        [shutil.which("pdffonts") or "pdffonts", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = []
    for line in output.splitlines()[2:]:
        name, *_, emb, sub, uni, _obj, _gen = line.split()
        rows.append({"name": name, "emb": emb, "uni": uni})
    return rows


def assert_japanese_fonts_embedded(pdf: bytes, tmp_path: Path) -> None:
    fonts = fonts_of(pdf, tmp_path)
    assert fonts
    assert all(font["emb"] == "yes" for font in fonts), fonts
    assert {re.sub(r"^[A-Z]{6}\+", "", f["name"]) for f in fonts} <= {"IPAexGothic", "IPAexMincho"}


def test_the_register_embeds_its_japanese_fonts(db, area, worker, city_staff, tmp_path):
    actions.record_entry(worker, area, READY, by=city_staff)
    day = timezone.localdate()

    assert_japanese_fonts_embedded(exports.register_pdf(day, day), tmp_path)


def test_the_roster_and_the_demo_scan_embed_their_japanese_fonts(manager, lead, worker, tmp_path):
    contract = make_contract(manager)
    submission = submit_roster(contract, lead=lead, workers=[worker], note="", by=lead)

    assert_japanese_fonts_embedded(roster_pdf(submission), tmp_path)
    assert_japanese_fonts_embedded(_pledge_scan(), tmp_path)


def test_the_incident_report_and_the_contact_chart_embed_their_japanese_fonts(personas, tmp_path):
    """6-1, 6-4: filed and printed at the city, read on machines without Japanese fonts."""
    report = with_report(personas)
    chart = incident_actions.issue_contact_chart(
        effective_from=timezone.localdate(),
        entries=[incident_actions.EntryData(personas[Role.MANAGER], Role.MANAGER, "090-2")],
        by=personas[Role.MANAGER],
    )

    assert_japanese_fonts_embedded(incident_pdf.written_report_pdf(report.incident), tmp_path)
    assert_japanese_fonts_embedded(incident_pdf.chart_pdf(chart), tmp_path)


def test_every_page_of_the_register_has_title_period_and_page_n_of_m(db, area, worker, city_staff):
    for _ in range(40):
        actions.record_entry(worker, area, READY, by=city_staff)
        actions.record_exit(worker, area, by=city_staff)
    today = timezone.localdate()
    first = today.replace(day=1) - timedelta(days=1)

    pages = PdfReader(io.BytesIO(exports.register_pdf(first, today))).pages
    total = len(pages)

    assert total >= 3  # the previous month's last day, then this month over two pages
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "入退室管理簿" in text
        assert "期間" in text
        assert f"{number} / {total} 頁" in text
    assert "確認者" in pages[0].extract_text()
    last = pages[-1].extract_text()
    assert city_staff.name.replace(" ", "") in last.replace(" ", "")
    assert "管理者" in last and "確認日" in last


def test_a_missing_font_file_is_a_clear_error_naming_the_package(settings, monkeypatch):
    monkeypatch.setattr(pdfmetrics, "getRegisteredFontNames", lambda: [core_pdf.MINCHO])
    settings.ITAKU_PDF_FONT_GOTHIC = "/nonexistent/ipaexg.ttf"

    with pytest.raises(MissingFont, match="fonts-ipaexfont-gothic.*ITAKU_PDF_FONT_GOTHIC"):
        japanese_fonts()
