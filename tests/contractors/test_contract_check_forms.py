"""The same contract as TXT, DOCX, PDF, Shift_JIS and UTF-16 text gives the same result (2-2).

A PDF's text layer breaks lines wherever the page ran out, also right before a
cross-reference in the middle of a sentence (「…しようとするときは、\\n第５条第２項の規定に
より…」). Such a line must go on the sentence, not open 第5条, or the provision of the
interrupted article is lost and the PDF says something the TXT does not.
"""

import io
import re
from pathlib import Path

import pytest
from docx import Document as new_docx
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from itaku.contractors.contract_check import check_document, check_text, read_document

CONTRACT = Path(__file__).parent / "contracts" / "cross_reference.txt"
# IPAex Mincho, from the fonts-ipaexfont-mincho package (scripts/system-deps).
IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf")
LINE_CHARS = 31
LINES_PER_PAGE = 23
# Breaks a PDF's text layer could put anywhere: before a cross-reference, inside a word,
# between a particle and its noun, before a number.
AWKWARD_BREAKS = (
    "第５条第２項の規定により",
    "託しようとする",
    "ポリシー実施手順",
    "１回以上",
    "漏らして",
)


def contract_text() -> str:
    return CONTRACT.read_text(encoding="utf-8")


def wrapped_lines(text: str) -> list[str]:
    """The contract as a PDF page would hold it: each paragraph cut into short lines."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        pieces = [paragraph]
        for mark in AWKWARD_BREAKS:
            pieces = [part for piece in pieces for part in _cut_before(piece, mark)]
        for piece in pieces:
            lines += [piece[i : i + LINE_CHARS] for i in range(0, len(piece), LINE_CHARS)] or [""]
    return lines


def _cut_before(text: str, mark: str) -> list[str]:
    index = text.find(mark)
    return [text] if index <= 0 else [text[:index], text[index:]]


def as_pdf(text: str) -> bytes:
    assert IPAEX.exists(), f"{IPAEX} is missing: run scripts/system-deps"
    if "IPAexMincho" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("IPAexMincho", str(IPAEX)))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    lines = wrapped_lines(text)
    for start in range(0, len(lines), LINES_PER_PAGE):
        pdf.setFont("IPAexMincho", 10.5)
        for row, line in enumerate(lines[start : start + LINES_PER_PAGE]):
            pdf.drawString(56, 780 - row * 18, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def as_docx(text: str) -> bytes:
    document = new_docx()
    for paragraph in text.splitlines():
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FORMS = {
    "contract.txt": lambda text: text.encode("utf-8"),
    "contract.docx": as_docx,
    "contract.pdf": as_pdf,
    "shift_jis.txt": lambda text: text.encode("cp932"),
    "utf16.txt": lambda text: text.encode("utf-16"),
}


def outcome(name: str, data: bytes) -> list[tuple[str, bool, list[tuple[str, str]]]]:
    """Per provision: present, and the quoted passages with their article (not page/line)."""
    result = check_document(name, data)
    return [
        (
            provision.id,
            provision.present,
            [(p.text, re.sub(r"^p\.\d+ l\.\d+ ?", "", p.where)) for p in provision.passages],
        )
        for provision in result.provisions
    ]


def test_pdf_actually_breaks_lines_before_the_cross_reference():
    # Guards the test below: the PDF's text layer has the awkward break it is about.
    lines = read_document("c.pdf", as_pdf(contract_text())).lines

    assert any(line.text.startswith("第５条第２項の規定により") for line in lines)
    assert len({line.page for line in lines}) > 1


def test_line_opening_with_a_cross_reference_goes_on_the_interrupted_sentence():
    text = (
        "第９条　乙は、本業務の全部又は一部を再委託しようとするときは、\n"
        "第５条第２項の規定により報告した研修の実施結果を添えて、あらかじめ甲の\n"
        "書面による承認を得なければならない。\n"
    )

    passage = check_text(text).get("2-2-h").passages[0]

    assert passage.where == "第9条"
    assert "第5条第2項の規定により" in passage.text


def test_article_heading_after_a_sentence_end_still_opens_the_article():
    text = "第１条　乙は、業務を誠実に行う。\n第２条　乙は、本業務を再委託してはならない。\n"

    assert check_text(text).get("2-2-h").passages[0].where == "第2条"


def test_paragraph_after_an_item_without_a_full_stop_is_still_a_paragraph():
    text = (
        "第5条 乙は、次の各号に掲げる事項を甲に届け出なければならない。\n"
        "(1) 業務責任者及びその責任範囲並びに業務従事者及びその作業範囲を記載した書面\n"
        "2 乙は、本業務を再委託してはならない。\n"
    )

    assert check_text(text).get("2-2-h").passages[0].where == "第5条第2項"


@pytest.mark.parametrize("name", [name for name in FORMS if name != "contract.txt"])
def test_same_contract_in_every_form_gives_the_same_result(name):
    text = contract_text()
    expected = outcome("contract.txt", FORMS["contract.txt"](text))

    assert all(present for _, present, _ in expected)
    assert outcome(name, FORMS[name](text)) == expected
