"""Reading an uploaded contract or specification: TXT, DOCX or PDF, into numbered lines.

The file's content decides, not its name alone: a PNG renamed .pdf is refused as the wrong
type before any parser sees it. Parser errors are caught here and become a DocumentError
saying which problem the file has, so a real document never crashes the check (2-2).
"""

import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from itaku.contractors.contract_check import errors
from itaku.contractors.contract_check.errors import DocumentError, Problem
from itaku.contractors.contract_check.structure import Sentence, SourceLine, sentences

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A DOCX is a zip archive: refuse one that would unpack to far more than any contract.
MAX_UNPACKED_BYTES = 10 * MAX_UPLOAD_BYTES

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc, and encrypted Office files
BINARY_MAGIC = (
    PDF_MAGIC,
    ZIP_MAGIC,
    OLE2_MAGIC,
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"II*\x00",
    b"MM\x00*",
)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SUFFIXES = {".txt": "txt", ".docx": "docx", ".pdf": "pdf"}


@dataclass(frozen=True)
class Document:
    name: str
    format: str  # "txt", "docx" or "pdf"
    lines: list[SourceLine]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def sentences(self) -> list[Sentence]:
        return sentences(self.lines)


def read_document(name: str, data: bytes) -> Document:
    """Read a TXT (UTF-8, Shift_JIS/CP932, UTF-16 with BOM), DOCX or PDF file.

    Raises DocumentError saying what is wrong when the file cannot be read.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise DocumentError(
            Problem.TOO_LARGE, errors.TOO_LARGE, name=name, limit=MAX_UPLOAD_BYTES // 2**20
        )
    if not data.strip():
        raise DocumentError(Problem.EMPTY, errors.EMPTY, name=name)
    file_format = SUFFIXES.get(PurePath(name).suffix.lower())
    if file_format is None:
        raise DocumentError(Problem.WRONG_TYPE, errors.WRONG_SUFFIX, name=name)
    readers = {"txt": _text_lines, "docx": _docx_lines, "pdf": _pdf_lines}
    lines = readers[file_format](name, data)
    if not any(line.text.strip() for line in lines):
        raise DocumentError(Problem.EMPTY, errors.EMPTY, name=name)
    return Document(name=name, format=file_format, lines=lines)


def numbered(texts: list[str], page: int | None = None) -> list[SourceLine]:
    return [SourceLine(text=text, number=n, page=page) for n, text in enumerate(texts, start=1)]


def _text_lines(name: str, data: bytes) -> list[SourceLine]:
    if data.startswith(UTF16_BOMS):
        # Windows Notepad's "Unicode" is UTF-16 with a byte order mark.
        try:
            return numbered(data.decode("utf-16").splitlines())
        except UnicodeDecodeError as error:
            raise DocumentError(Problem.WRONG_TYPE, errors.UNKNOWN_ENCODING, name=name) from error
    if data.startswith(BINARY_MAGIC) or b"\x00" in data[:4096]:
        raise DocumentError(Problem.WRONG_TYPE, errors.NOT_TEXT, name=name)
    # UTF-8 first (with or without BOM): Shift_JIS bytes are almost never valid UTF-8.
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return numbered(data.decode(encoding).splitlines())
        except UnicodeDecodeError:
            continue
    raise DocumentError(Problem.WRONG_TYPE, errors.UNKNOWN_ENCODING, name=name)


def _docx_lines(name: str, data: bytes) -> list[SourceLine]:
    if data.startswith(OLE2_MAGIC):
        # Word stores a password-protected .docx inside an OLE2 container.
        encrypted = "EncryptionInfo".encode("utf-16-le") in data
        if encrypted:
            raise DocumentError(Problem.ENCRYPTED, errors.ENCRYPTED_DOCX, name=name)
        raise DocumentError(Problem.WRONG_TYPE, errors.OLD_WORD, name=name)
    if not data.startswith(ZIP_MAGIC):
        raise DocumentError(Problem.WRONG_TYPE, errors.NOT_DOCX, name=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise DocumentError(Problem.CORRUPT, errors.CORRUPT_DOCX, name=name) from error
    if "word/document.xml" not in names:
        raise DocumentError(Problem.WRONG_TYPE, errors.NOT_DOCX, name=name)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentError(
            Problem.TOO_LARGE, errors.TOO_LARGE, name=name, limit=MAX_UPLOAD_BYTES // 2**20
        )
    try:
        document = open_docx(io.BytesIO(data))
        texts = [text for block in _docx_blocks(document) for text in block.splitlines() or [""]]
    except Exception as error:  # python-docx, lxml and zipfile fail in many ways on bad files
        logger.info("unreadable DOCX %s: %r", name, error)
        raise DocumentError(Problem.CORRUPT, errors.CORRUPT_DOCX, name=name) from error
    return numbered(texts)


def _docx_blocks(document: object) -> Iterator[str]:
    """Paragraph texts in reading order, table cells included (contracts put 特記事項 in tables)."""
    body = document.element.body  # type: ignore[attr-defined]
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document).text  # type: ignore[arg-type]
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:  # type: ignore[arg-type]
                for cell in row.cells:
                    yield from (paragraph.text for paragraph in cell.paragraphs)


def _pdf_lines(name: str, data: bytes) -> list[SourceLine]:
    # The header may follow a little junk; readers accept it within the first kilobyte.
    if PDF_MAGIC not in data[:1024]:
        raise DocumentError(Problem.WRONG_TYPE, errors.NOT_PDF, name=name)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(Problem.ENCRYPTED, errors.ENCRYPTED_PDF, name=name)
        if not reader.pages:
            raise DocumentError(Problem.EMPTY, errors.EMPTY, name=name)
        lines = []
        for number, page in enumerate(reader.pages, start=1):
            lines += numbered((page.extract_text() or "").splitlines(), page=number)
    except DocumentError:
        raise
    except Exception as error:  # pypdf raises many kinds of errors on damaged files
        logger.info("unreadable PDF %s: %r", name, error)
        raise DocumentError(Problem.CORRUPT, errors.CORRUPT_PDF, name=name) from error
    if not any(line.text.strip() for line in lines):
        # 2-2: a scan has pages but no text; say so rather than "missing every provision".
        raise DocumentError(Problem.NO_TEXT_LAYER, errors.NO_TEXT_LAYER, name=name)
    return lines
