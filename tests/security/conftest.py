"""Shared fixtures of the security tests: one area, one contract, the area's own rules only."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from itaku.area.models import Area
from itaku.contractors.models import Contract
from itaku.people import admission
from itaku.people.roles import Role
from tests.area.factories import make_area
from tests.contractors.factories import make_contract


@pytest.fixture
def only_area_rules(monkeypatch):
    """Admission here is about the area: the roster, pledge and training rules have their own
    tests and would only refuse the fictional people these tests bring in."""
    rules = [rule for rule in admission._rules if rule.__module__ == "itaku.area.admission"]
    monkeypatch.setattr(admission, "_rules", rules)


@pytest.fixture
def area(db) -> Area:
    return make_area()


@pytest.fixture
def contract(personas) -> Contract:
    return make_contract(personas[Role.MANAGER])


def pdf_text(data: bytes) -> str:
    """What a reader sees in the PDF, as poppler's pdftotext extracts it.

    reportlab's built-in CID fonts are not embedded, and without Debian's poppler-data
    pdftotext cannot map their glyphs back to text; pypdf can, so it reads those PDFs.
    """
    executable = shutil.which("pdftotext")
    assert executable, "install poppler-utils (scripts/system-deps)"
    done = subprocess.run(  # noqa: S603 - a fixed program on our own bytes
        [executable, "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    text = done.stdout.decode()
    if text.strip():
        return text
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
