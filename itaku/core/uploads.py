"""A cap on uploaded files while they arrive, before Django stores them in memory or on disk.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE covers the form fields but not files: a file of any size
would be received whole (into a temporary file) before a form could look at its size. This
handler, first in FILE_UPLOAD_HANDLERS, stops reading the request once a file passes
ITAKU_UPLOAD_MAX_BYTES, the largest any form accepts; each form then applies its own limit.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class LimitedUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.ITAKU_UPLOAD_MAX_BYTES:
            # The rest of the body is not read; the form sees no file and says so.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
