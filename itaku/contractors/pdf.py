"""5-1: the roster as a printable form, in Japanese with era dates as official forms are."""

from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from itaku.contractors.models import RosterSubmission
from itaku.core.dates import wareki
from itaku.core.escape import pdf_text
from itaku.core.pdf import GOTHIC, MINCHO, japanese_fonts


def roster_pdf(submission: RosterSubmission) -> bytes:
    """The roster submission as an A4 form: contract, version, dates and the named people."""
    japanese_fonts()
    with translation.override("ja"):
        return _render(submission)


def _render(submission: RosterSubmission) -> bytes:
    contract = submission.contract
    title = ParagraphStyle("title", fontName=GOTHIC, fontSize=16, leading=22, alignment=1)
    body = ParagraphStyle("body", fontName=MINCHO, fontSize=10.5, leading=16)
    received = wareki(submission.received_on) if submission.received_on else _("not yet received")
    facts = [
        [_("Contractor"), contract.contractor.name],
        [_("Work"), contract.title],
        [_("Term"), f"{wareki(contract.starts_on)} – {wareki(contract.ends_on)}"],
        [_("Work place"), contract.work_place],
        [_("Version"), str(submission.version)],
        [_("Submitted on"), wareki(submission.submitted_at)],
        [_("Submitted by"), str(submission.submitted_by)],
        [_("Received by the manager on"), received],
    ]
    people = [[_("Position"), _("Name"), _("Name (kana)"), _("Badge number")]]
    for entry in submission.entries.select_related("person"):
        people.append(
            [
                entry.get_position_display(),
                entry.person.name,
                entry.person.name_kana,
                entry.person.badge_number or "",
            ]
        )
    grid = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), MINCHO, 10.5),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    header = TableStyle(
        [("FONT", (0, 0), (-1, 0), GOTHIC, 10.5), ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]
    )
    facts_table = Table(facts, colWidths=[45 * mm, 120 * mm], style=grid)
    people_table = Table(
        people, colWidths=[35 * mm, 45 * mm, 50 * mm, 35 * mm], style=grid, repeatRows=1
    )
    people_table.setStyle(header)
    story = [
        Paragraph(_("Roster of the contractor lead and workers"), title),
        Spacer(1, 6 * mm),
        Paragraph(_("We name the following people for the work under the contract (5-1)."), body),
        Spacer(1, 4 * mm),
        facts_table,
        Spacer(1, 6 * mm),
        people_table,
    ]
    if submission.note:
        story += [Spacer(1, 4 * mm), Paragraph(pdf_text(_("Note") + ": " + submission.note), body)]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Roster of the contractor lead and workers"),
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        initialFontName=MINCHO,
    )
    document.build(story)
    return buffer.getvalue()
