"""Uploaded files: what a pledge scan must be, and storing a file so nothing is half-stored.

Files are stored content-addressed under MEDIA_ROOT (`<folder>/<sha256[:2]>/<sha256><suffix>`),
written only after the upload was validated, and removed again when the transaction that
records them fails.
"""

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

# 5-3: a signed and sealed pledge arrives as a scan or a photograph.
SCAN_TYPES = {
    ".pdf": (b"%PDF-", "PDF"),
    ".jpg": (b"\xff\xd8\xff", "JPEG"),
    ".jpeg": (b"\xff\xd8\xff", "JPEG"),
    ".png": (b"\x89PNG\r\n\x1a\n", "PNG"),
}


class ScanError(Exception):
    def __init__(self, message: Promise | str) -> None:
        self.message = message
        super().__init__(str(message))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def validate_scan(filename: str, data: bytes) -> None:
    """Raise ScanError saying what is wrong with a pledge scan: type, size or a damaged file."""
    if len(data) > settings.ITAKU_SCAN_MAX_BYTES:
        limit = settings.ITAKU_SCAN_MAX_BYTES // (1024 * 1024)
        raise ScanError(_("The file is larger than %(limit)d MB.") % {"limit": limit})
    if not data:
        raise ScanError(_("The file is empty."))
    suffix = PurePath(filename).suffix.lower()
    if suffix not in SCAN_TYPES:
        raise ScanError(_("Upload the scan as PDF, JPEG or PNG."))
    magic, kind = SCAN_TYPES[suffix]
    if not data.startswith(magic):
        raise ScanError(_("The file is named %(kind)s but is not one.") % {"kind": kind})
    if kind == "PDF":
        _check_pdf(data)
    elif kind == "PNG" and b"IEND" not in data[-16:]:
        raise ScanError(_("The PNG file is cut off or damaged."))
    elif kind == "JPEG" and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise ScanError(_("The JPEG file is cut off or damaged."))


def _check_pdf(data: bytes) -> None:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = 1 if encrypted else len(reader.pages)
    except Exception as error:  # a damaged PDF fails in many ways inside the parser
        raise ScanError(_("The PDF is damaged and cannot be read.")) from error
    if encrypted:
        raise ScanError(_("The PDF is encrypted: upload it without a password."))
    if not pages:
        raise ScanError(_("The PDF has no pages."))


@contextmanager
def stored(folder: str, filename: str, data: bytes) -> Iterator[str]:
    """Write `data` and yield its storage name; remove it again if the block raises.

    Wrap the transaction that records the file: `with stored(...) as name, transaction.atomic():`
    so a failed commit also takes the file away. A file already stored (same content) stays.
    """
    digest = sha256(data)
    name = f"{folder}/{digest[:2]}/{digest}{PurePath(filename).suffix.lower()}"
    existed = default_storage.exists(name)
    if not existed:
        default_storage.save(name, ContentFile(data))
    try:
        yield name
    except BaseException:
        if not existed:
            default_storage.delete(name)
        raise
