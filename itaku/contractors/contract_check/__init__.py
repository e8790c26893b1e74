"""The contract check (2-2-a … 2-2-m): which of the 13 required provisions a document contains.

Pure functions, no models: the contracts pages, the command line (`itaku check-contract`)
and the benchmark call the same three entry points. Each provision found is quoted with its
place (第5条第2項, or p.3 l.12 in a PDF); the rules are data in `provisions.py`.
"""

from itaku.contractors.contract_check.documents import MAX_UPLOAD_BYTES, Document, read_document
from itaku.contractors.contract_check.errors import DocumentError, Problem
from itaku.contractors.contract_check.matching import check_sentences
from itaku.contractors.contract_check.provisions import PROVISION_RULES, PROVISIONS
from itaku.contractors.contract_check.result import CheckResult, Passage, ProvisionResult
from itaku.contractors.contract_check.structure import SourceLine, sentences

__all__ = [
    "MAX_UPLOAD_BYTES",
    "PROVISIONS",
    "PROVISION_RULES",
    "CheckResult",
    "Document",
    "DocumentError",
    "Passage",
    "Problem",
    "ProvisionResult",
    "check_document",
    "check_text",
    "read_document",
]


def check_text(text: str) -> CheckResult:
    lines = [SourceLine(text=line, number=n) for n, line in enumerate(text.splitlines(), start=1)]
    return check_sentences(sentences(lines))


def check_document(name: str, data: bytes) -> CheckResult:
    """Read the file and check it; raises DocumentError when the file cannot be read."""
    return check_sentences(read_document(name, data).sentences())
