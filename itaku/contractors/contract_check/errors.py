"""What can be wrong with an uploaded contract document, in words its uploader understands.

The issue (2-2) asks that a file which is not what it claims to be gets a clear message
saying which problem it has, and that the check never crashes on a real document: every
library error while reading ends here as one of these kinds.
"""

import enum
from typing import Any, cast

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, gettext_noop


class Problem(enum.StrEnum):
    WRONG_TYPE = "wrong_type"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    NO_TEXT_LAYER = "no_text_layer"
    TOO_LARGE = "too_large"
    EMPTY = "empty"


# English msgids, marked for extraction here; `message` translates them when shown, and the
# command line prints both languages from `template` (itaku.core.bilingual.both).
WRONG_SUFFIX = gettext_noop(
    "%(name)s is not a contract document Itaku can read: upload a TXT, DOCX or PDF file."
)
NOT_PDF = gettext_noop("%(name)s is named .pdf but its content is not a PDF.")
NOT_DOCX = gettext_noop("%(name)s is named .docx but its content is not a Word (DOCX) document.")
OLD_WORD = gettext_noop(
    "%(name)s is an old Word (.doc) file renamed .docx: save it as DOCX and upload it again."
)
NOT_TEXT = gettext_noop("%(name)s is named .txt but its content is not text.")
UNKNOWN_ENCODING = gettext_noop(
    "%(name)s is not text in UTF-8 or Shift_JIS: save it in one of these encodings."
)
CORRUPT_PDF = gettext_noop("%(name)s is a damaged PDF and cannot be read.")
CORRUPT_DOCX = gettext_noop("%(name)s is a damaged Word (DOCX) document and cannot be read.")
ENCRYPTED_PDF = gettext_noop(
    "%(name)s is a password-protected PDF: upload it without the password."
)
ENCRYPTED_DOCX = gettext_noop(
    "%(name)s is a password-protected Word document: upload it without the password."
)
NO_TEXT_LAYER = gettext_noop(
    "%(name)s is a scanned PDF without a text layer: upload the original document, or the "
    "scan after text recognition (OCR)."
)
TOO_LARGE = gettext_noop("%(name)s is larger than the limit of %(limit)d MB.")
EMPTY = gettext_noop("%(name)s contains no text.")


def _render(template: str, params: dict[str, Any]) -> str:
    return gettext(template) % params


_lazy_render = lazy(_render, str)


class DocumentError(Exception):
    """An upload that cannot be checked; `kind` is the machine-readable problem."""

    def __init__(self, kind: Problem, template: str, **params: Any) -> None:
        self.kind: str = kind
        self.template = template
        self.params = params
        super().__init__(template % params)

    @property
    def message(self) -> Promise:
        """The message in the language active when it is shown (Japanese by default)."""
        return cast(Promise, _lazy_render(self.template, self.params))
