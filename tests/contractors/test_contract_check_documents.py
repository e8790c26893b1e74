"""Reading uploaded contracts (TXT, DOCX, PDF) and refusing files that are not what they claim."""

import io
import zipfile
from pathlib import Path

import docx
import pytest
from django.utils import translation
from reportlab.lib import pdfencrypt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from itaku.contractors.contract_check import (
    MAX_UPLOAD_BYTES,
    DocumentError,
    check_document,
    read_document,
)

CONTRACTS = Path(__file__).parent / "contracts"
SUBCONTRACTING = "第9条 乙は、本業務を再委託してはならない。"
FONT = "HeiseiMin-W3"  # one of reportlab's built-in Japanese fonts: no font file needed
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def make_pdf(pages: list[list[str]], encrypt: pdfencrypt.StandardEncryption | None = None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    for lines in pages:
        pdf.setFont(FONT, 10.5)
        y = 800
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_docx(paragraphs: list[str], table_cell: str | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table_cell is not None:
        document.add_table(rows=1, cols=2).rows[0].cells[1].text = table_cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def problem(name: str, data: bytes) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        read_document(name, data)
    return caught.value


def test_utf8_text_contract_is_checked_in_full():
    data = (CONTRACTS / "complete.txt").read_bytes()

    assert check_document("契約書.txt", data).missing() == []


@pytest.mark.parametrize("encoding", ["shift_jis", "cp932", "utf-8-sig", "utf-16"])
def test_text_in_japanese_legacy_encodings_is_read(encoding):
    text = "①" + SUBCONTRACTING if encoding == "cp932" else SUBCONTRACTING

    result = check_document("contract.txt", text.encode(encoding))

    assert result.get("2-2-h").present


def test_docx_paragraphs_and_table_cells_are_read():
    data = make_docx(
        ["旅券発給業務委託契約書", SUBCONTRACTING], table_cell="乙は、守秘義務を負う。"
    )

    result = check_document("contract.docx", data)

    assert result.get("2-2-h").passages[0].where == "第9条"
    assert result.get("2-2-g").present


def test_pdf_passage_is_located_by_page_and_line():
    pages = [["旅券発給業務委託契約書", "第1条 この契約は、旅券発給業務の委託について定める。"]]
    pages.append(["(再委託の制限)", SUBCONTRACTING])

    result = check_document("contract.pdf", make_pdf(pages))

    assert result.get("2-2-h").passages[0].where == "p.2 l.2 第9条"


def test_pdf_protected_only_against_editing_is_read():
    encrypt = pdfencrypt.StandardEncryption("", ownerPassword="owner-secret", canModify=0)

    result = check_document("contract.pdf", make_pdf([[SUBCONTRACTING]], encrypt=encrypt))

    assert result.get("2-2-h").present


def test_png_renamed_pdf_is_refused_as_the_wrong_type():
    error = problem("contract.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)

    assert error.kind == "wrong_type"
    assert "not a PDF" in str(error)


@pytest.mark.parametrize("name", ["contract.png", "contract.doc", "contract.xlsx", "contract"])
def test_file_of_an_unsupported_type_is_refused(name):
    assert problem(name, b"some bytes").kind == "wrong_type"


def test_binary_file_renamed_txt_is_refused_as_the_wrong_type():
    assert problem("contract.txt", make_pdf([[SUBCONTRACTING]])).kind == "wrong_type"


def test_text_in_an_unknown_encoding_is_refused_with_the_encodings_named():
    error = problem("contract.txt", "再委託".encode("utf-16-le"))

    assert error.kind == "wrong_type"
    assert "UTF-8 or Shift_JIS" in str(error)


def test_truncated_pdf_is_refused_as_corrupt():
    data = make_pdf([[SUBCONTRACTING]])

    assert problem("contract.pdf", data[: len(data) // 2]).kind == "corrupt"


def test_pdf_with_a_user_password_is_refused_as_encrypted():
    encrypt = pdfencrypt.StandardEncryption("user-secret", ownerPassword="owner-secret")

    error = problem("contract.pdf", make_pdf([[SUBCONTRACTING]], encrypt=encrypt))

    assert error.kind == "encrypted"


def test_scanned_pdf_without_text_is_refused_as_having_no_text_layer():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(50, 50, 400, 600, fill=1)  # a page of image, no text
    pdf.showPage()
    pdf.save()

    assert problem("scan.pdf", buffer.getvalue()).kind == "no_text_layer"


def test_damaged_docx_is_refused_as_corrupt():
    data = make_docx([SUBCONTRACTING])

    assert problem("contract.docx", data[: len(data) // 2]).kind == "corrupt"


def test_zip_that_is_not_a_word_document_is_refused_as_the_wrong_type():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")

    assert problem("contract.docx", buffer.getvalue()).kind == "wrong_type"


def test_password_protected_word_file_is_refused_as_encrypted():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le")

    assert problem("contract.docx", ole2).kind == "encrypted"


def test_old_word_file_renamed_docx_is_refused_as_the_wrong_type():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "WordDocument".encode("utf-16-le")

    error = problem("contract.docx", ole2)

    assert error.kind == "wrong_type"
    assert "old Word" in str(error)


def test_file_over_the_size_limit_is_refused_before_reading():
    error = problem("contract.txt", b"a" * (MAX_UPLOAD_BYTES + 1))

    assert error.kind == "too_large"
    assert "20 MB" in str(error)


@pytest.mark.parametrize(
    ("name", "data"),
    [("contract.txt", b""), ("contract.txt", "\n\u3000 \n".encode()), ("c.docx", make_docx([""]))],
)
def test_file_without_text_is_refused_as_empty(name, data):
    assert problem(name, data).kind == "empty"


def test_message_is_in_japanese_by_default_and_in_english_on_request():
    error = problem("contract.pdf", b"GIF89a")

    with translation.override("ja"):
        assert (
            str(error.message) == "contract.pdf は拡張子が .pdf ですが、内容がPDFではありません。"
        )
    with translation.override("en"):
        assert str(error.message) == "contract.pdf is named .pdf but its content is not a PDF."


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF",
        b"%PDF-1.4\n" + bytes(range(256)) * 8,
        b"PK\x03\x04" + bytes(range(256)) * 8,
    ],
)
def test_malformed_file_gives_a_document_error_never_a_crash(data):
    name = "contract.pdf" if data.startswith(b"%PDF") else "contract.docx"

    with pytest.raises(DocumentError):
        check_document(name, data)


def test_merged_table_cell_is_quoted_once():
    document = docx.Document()
    row = document.add_table(rows=1, cols=2).rows[0]
    row.cells[0].merge(row.cells[1]).text = SUBCONTRACTING
    buffer = io.BytesIO()
    document.save(buffer)

    result = check_document("contract.docx", buffer.getvalue())

    assert len(result.get("2-2-h").passages) == 1
