"""Chapter 6 on paper: the contact chart (6-1) and the written incident report 事故報告書 (6-4).

Japanese, era dates, A4, as the city files them. Records in, bytes out. Every text a user typed
goes through `_p()`, which escapes it: a ReportLab paragraph reads its text as markup.
"""

from collections.abc import Sequence
from io import BytesIO

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from itaku.core.dates import wareki
from itaku.core.escape import pdf_text
from itaku.core.pdf import GOTHIC, MINCHO, japanese_fonts
from itaku.incidents.models import ContactChart, Incident, WrittenReport
from itaku.people.roles import Role

TITLE = ParagraphStyle("title", fontName=GOTHIC, fontSize=16, leading=22, alignment=1)
BODY = ParagraphStyle("body", fontName=MINCHO, fontSize=10, leading=14)
HEAD = ParagraphStyle("head", fontName=GOTHIC, fontSize=10, leading=14)


def _p(value: object, style: ParagraphStyle = BODY) -> Paragraph:
    """User text shown literally: markup escaped, line breaks kept (itaku.core.escape)."""
    return Paragraph(pdf_text(value), style)


def _when(value: object) -> str:
    if value is None:
        return "-"
    local = timezone.localtime(value)  # type: ignore[arg-type]
    return f"{wareki(local)} {local:%H:%M}"


def _build(title: str, story: Sequence[Flowable]) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        initialFontName=MINCHO,  # else the page starts in Helvetica, a font never embedded
    )
    document.build(list(story))
    return buffer.getvalue()


GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONT", (0, 0), (-1, -1), MINCHO),  # a cell's own font, else Helvetica's is set
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
    ]
)


def chart_pdf(chart: ContactChart) -> bytes:
    """6-1: the chart on one page: who is told in which order and how, day and night."""
    japanese_fonts()
    with translation.override("ja"):
        title = _("Contact chart for incidents")
        rows: list[list[object]] = [
            [
                _p(_("Order"), HEAD),
                _p(_("Name"), HEAD),
                _p(_("Role"), HEAD),
                _p(_("Phone"), HEAD),
                _p(_("Mail"), HEAD),
                _p(_("By day"), HEAD),
                _p(_("At night"), HEAD),
            ]
        ]
        for entry in chart.entries.select_related("person"):
            rows.append(
                [
                    _p(entry.order),
                    _p(entry.person.name),
                    _p(Role(entry.role).label),
                    _p(entry.phone),
                    _p(entry.mail),
                    _p("○" if entry.reachable_day else "×"),
                    _p("○" if entry.reachable_night else "×"),
                ]
            )
        table = Table(
            rows,
            colWidths=[12 * mm, 34 * mm, 30 * mm, 32 * mm, 40 * mm, 13 * mm, 13 * mm],
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("FONT", (0, 0), (-1, -1), MINCHO),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story: list[Flowable] = [
            _p(title, TITLE),
            Spacer(1, 4 * mm),
            _p(
                _("Version %(version)s, in force from %(since)s (6-1)")
                % {"version": chart.version, "since": wareki(chart.effective_from)}
            ),
            Spacer(1, 4 * mm),
            table,
        ]
        if chart.note:
            story += [Spacer(1, 4 * mm), _p(chart.note)]
        return _build(title, story)


def written_report_pdf(incident: Incident) -> bytes:
    """6-4: 事故報告書 — the chain of reports, the facts, the city's instructions, sign-off."""
    japanese_fonts()
    report = incident.written()
    with translation.override("ja"):
        title = _("Incident report")
        facts: list[tuple[str, object]] = [
            (_("Incident number"), incident.pk),
            (_("What happened"), incident.summary),
            (_("Kind"), incident.get_kind_display()),
            (_("Known at"), _when(incident.known_at)),
            (_("Reported by"), incident.reported_by),
            (_("Told the manager at"), _when(incident.manager_told_at)),
            (_("Told the superior at"), _when(incident.superior_told_at)),
            (_("Measures taken at once"), incident.measures),
        ]
        if report is not None:
            facts += [(_label(name), _fact(report, name)) for name in WrittenReport.FACT_FIELDS]
            facts += [
                (_("Submitted by"), report.submitted_by),
                (_("Submitted at"), _when(report.submitted_at)),
            ]
            if report.state == WrittenReport.State.SIGNED_OFF:
                facts.append(
                    (
                        _("Signed off"),
                        f"{report.decided_by} ({report.get_decided_capacity_display()}) "
                        f"{_when(report.decided_at)}",
                    )
                )
            else:
                facts.append((_("Signed off"), _("not yet signed off")))
        else:
            facts.append((_("Written report"), _("not yet submitted")))
        table = Table(
            [[_p(label, HEAD), _p(value)] for label, value in facts],
            colWidths=[52 * mm, 122 * mm],
        )
        table.setStyle(GRID)
        story: list[Flowable] = [
            _p(title, TITLE),
            Spacer(1, 3 * mm),
            _p(_("Made on %(day)s") % {"day": wareki(timezone.localdate())}),
            Spacer(1, 4 * mm),
            table,
        ]
        return _build(title, story)


def _label(name: str) -> str:
    field = WrittenReport._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _fact(report: WrittenReport, name: str) -> object:
    value = getattr(report, name)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value
