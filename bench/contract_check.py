"""Contract check (2-2-a … 2-2-m) on a 30-page PDF contract, against only reading it.

The fictional contract of the test suite is repeated with varied article numbers and filler
paragraphs until it fills 30 pages, wrapped at 38 characters a line so sentences run across
lines and pages. Baselines measured in the same run: only reading the PDF (text extraction,
which every check needs), and reading plus normalising and splitting into located sentences
(everything but the morphological analysis and the rules). With
ITAKU_CONTRACT_CORPUS=/folder, it also prints precision and recall against the hand labels
in docs/contract-labels.yaml and the held-out sets in tests/contractors/contracts/.
"""

import io
import os
import re
import statistics
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from bench.common import figure, ratio
from itaku.contractors.contract_check import check_document, read_document

PAGES = 30
LINES_PER_PAGE = 44
LINE_CHARS = 38
FONT = "HeiseiMin-W3"
CONTRACT = Path(__file__).resolve().parent.parent / "tests/contractors/contracts/complete.txt"
FILLER = (
    "乙は、本業務の実施に当たり、甲の担当職員と緊密に連絡を取り、業務の円滑な遂行に努めるもの"
    "とし、業務の内容に疑義が生じたときは、その都度甲と協議してこれを定めるものとする。"
)


def _contract_lines() -> list[str]:
    """The fictional contract's articles, renumbered and padded until they fill PAGES pages."""
    source = CONTRACT.read_text(encoding="utf-8").split("\n\n")
    articles = [block for block in source if re.search(r"^第\d+条", block, re.MULTILINE)]
    lines: list[str] = []
    number = 0
    while len(lines) < PAGES * LINES_PER_PAGE:
        for article in articles:
            number += 1
            article = re.sub(r"第\d+条", f"第{number}条", article)
            paragraph = 2 + len(re.findall(r"^\d+ ", article, re.MULTILINE))
            text = f"{article}\n{paragraph} {FILLER}"
            for paragraph in text.splitlines():
                lines += textwrap.wrap(paragraph, LINE_CHARS) or [""]
    return lines[: PAGES * LINES_PER_PAGE]


def thirty_page_pdf() -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    lines = _contract_lines()
    for start in range(0, len(lines), LINES_PER_PAGE):
        pdf.setFont(FONT, 10.5)
        for row, line in enumerate(lines[start : start + LINES_PER_PAGE]):
            pdf.drawString(56, 800 - row * 17, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _interleaved_medians(*funcs: Callable[[], object], rounds: int = 9) -> list[float]:
    """Median seconds of each function, run in turn so a busy machine slows all alike."""
    samples: list[list[float]] = [[] for _ in funcs]
    for _ in range(rounds + 1):  # the first round warms up caches and the analyser
        for func, times in zip(funcs, samples, strict=True):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
    return [statistics.median(times[1:]) for times in samples]


def run() -> None:
    data = thirty_page_pdf()
    document = read_document("contract.pdf", data)
    result = check_document("contract.pdf", data)
    assert result.missing() == [], result.missing()
    pages = max(line.page or 0 for line in document.lines)
    figure("pages", pages)
    figure("characters", len(document.text))
    figure("sentences", len(document.sentences()))

    check, reading, split = _interleaved_medians(
        lambda: check_document("contract.pdf", data),
        lambda: read_document("contract.pdf", data),
        lambda: read_document("contract.pdf", data).sentences(),
    )
    ratio("check 30-page PDF (read + 13 provisions)", check, "read PDF only", reading)
    ratio("check 30-page PDF (read + 13 provisions)", check, "read + split sentences", split)
    figure("check per page", check / pages * 1000, "ms")

    corpus = os.environ.get("ITAKU_CONTRACT_CORPUS")
    if not corpus:
        print("  precision/recall: set ITAKU_CONTRACT_CORPUS=/folder (see docs/contract-check.md)")
        return
    from scripts.contract_eval import LABELS, ROOT, evaluate, report

    held_out = sorted((ROOT / "tests/contractors/contracts").glob("held-out-*.yaml"))
    for labels in (LABELS, *held_out):
        print(f"  labels: {labels.relative_to(ROOT)}")
        for line in report(evaluate(Path(corpus), labels)):
            print(f"    {line}")
