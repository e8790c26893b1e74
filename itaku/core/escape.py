"""Text typed by users, made safe for the two formats we write ourselves: PDF and CSV.

HTML needs nothing here: Django's templates escape every value. ReportLab and spreadsheets do
not. A ReportLab `Paragraph` reads its text as markup, so a name containing `<` breaks the PDF,
and `<img src="…"/>` or `<a href="…">` would pull a server file or a live link into an official
record. A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` as a formula (OWASP, "CSV
Injection"). Every PDF and every CSV the application writes passes user text through here.
"""

from collections.abc import Iterable
from xml.sax.saxutils import escape as _xml_escape

# Characters a spreadsheet reads as the start of a formula or of a DDE command. Tab and carriage
# return are listed by OWASP because some programs strip them and read what follows; the
# full-width forms because Japanese input methods type them and Excel in Japanese accepts them.
FORMULA_START = frozenset("=+-@\t\r＝＋－＠")


def pdf_text(value: object) -> str:
    """`value` as text that a ReportLab Paragraph shows literally, markup and all.

    `&`, `<` and `>` become entities; line breaks are kept as ReportLab's `<br/>`, the one tag
    we put in ourselves. Other control characters are dropped: a PDF cannot show them.
    """
    text = "" if value is None else str(value)
    text = "".join(c for c in text if c in "\n" or c >= " " and c != "\x7f")
    return "<br/>".join(_xml_escape(line) for line in text.split("\n"))


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading formula character gets an apostrophe.

    Numbers stay numbers (a negative count is a number, not a formula); everything else that
    starts with a formula character is prefixed with `'`, which Excel and LibreOffice hide and
    read as "this is text".
    """
    if not isinstance(value, str):
        return value
    if value and value[0] in FORMULA_START:
        return "'" + value
    return value


def csv_row(values: Iterable[object]) -> list[object]:
    return [csv_cell(value) for value in values]
