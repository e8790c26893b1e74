"""3-6: the area's records on request. Records in, bytes out; views and the command stream them.

The CSV is UTF-8 with a byte-order mark so that Excel opens it in Japanese; timestamps are ISO
8601 in Japan time. The PDF is the monthly 入退室管理簿 as the city files it: Japanese, era dates,
one section per month, printable on A4 landscape.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from itaku.area.models import CarryRecord, Passage, VisitorPermission
from itaku.core.dates import retention_ends, wareki, wareki_year
from itaku.core.escape import csv_row, pdf_text
from itaku.core.pdf import GOTHIC, MINCHO, japanese_fonts
from itaku.people.models import Person


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local midnight of `start` to local midnight after `end`: both days are included."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _period(start: date, end: date) -> "QuerySet[Passage]":
    low, high = _bounds(start, end)
    return (
        Passage.objects.filter(occurred_at__gte=low, occurred_at__lt=high)
        .select_related(
            "area", "person__organization", "monitor", "recorded_by", "reader", "carry_in"
        )
        .order_by("occurred_at", "pk")
    )


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def _csv(header: list[str], rows: Iterable[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    # User text (names, notes, badge numbers sent by readers) must not run as a formula.
    writer.writerows(csv_row(row) for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _local(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value is not None else ""


def passages_csv(start: date, end: date) -> bytes:
    """Every passage of the period, refused attempts and corrections included, as recorded."""
    header = [
        _("fiscal year"),
        _("time"),
        _("area"),
        _("direction"),
        _("outcome"),
        _("name"),
        _("organization"),
        _("badge number"),
        _("badge worn"),
        _("only valuables carried"),
        _("carries a prohibited device"),
        _("approved carry-in"),
        _("visitor permission"),
        _("monitor"),
        _("reasons for refusal"),
        _("corrects record"),
        _("cancels the corrected record"),
        _("recorded by"),
        _("recorded at"),
        _("note"),
        _("record number"),
    ]
    rows: list[list[object]] = []
    for passage in _period(start, end):
        person = passage.person
        recorder = passage.recorded_by or passage.reader
        rows.append(
            [
                passage.fiscal_year,
                _local(passage.occurred_at),
                passage.area.name,
                passage.get_direction_display(),
                passage.get_outcome_display(),
                person.name if person else "",
                person.organization.name if person else "",
                passage.badge_presented,
                _yes_no(passage.badge_worn),
                _yes_no(passage.only_valuables),
                _yes_no(passage.prohibited_device),
                passage.carry_in_id or "",
                passage.visitor_permission_id or "",
                passage.monitor.name if passage.monitor else "",
                " / ".join(f"[{cid}] {text}" for cid, text in passage.refusal_reasons()),
                passage.corrects_id or "",
                _yes_no(passage.cancelled),
                str(recorder or ""),
                _local(passage.recorded_at),
                passage.note,
                passage.pk,
            ]
        )
    return _csv(header, rows)


def visitors_csv(start: date, end: date) -> bytes:
    """3-4, 3-5: visitor permissions whose window starts in the period, with the work records."""
    low, high = _bounds(start, end)
    permissions = (
        VisitorPermission.objects.filter(starts_at__gte=low, starts_at__lt=high)
        .select_related("person__organization", "monitor", "requested_by", "decided_by", "work")
        .order_by("starts_at", "pk")
    )
    header = [
        _("fiscal year"),
        _("visitor"),
        _("organization"),
        _("purpose"),
        _("from"),
        _("until"),
        _("monitor"),
        _("state"),
        _("decided by"),
        _("capacity"),
        _("decided at"),
        _("work to be done"),
        _("declared at"),
        _("work done"),
        _("result"),
        _("reported at"),
        _("record number"),
    ]
    rows = []
    for permission in permissions:
        work = getattr(permission, "work", None)
        rows.append(
            [
                permission.fiscal_year,
                permission.person.name,
                permission.person.organization.name,
                permission.purpose,
                _local(permission.starts_at),
                _local(permission.ends_at),
                permission.monitor.name,
                permission.get_state_display(),
                permission.decided_by.name if permission.decided_by else "",
                permission.get_decided_capacity_display(),
                _local(permission.decided_at),
                work.work if work else "",
                _local(work.declared_at) if work else "",
                work.report_content if work else "",
                work.report_result if work else "",
                _local(work.reported_at) if work else "",
                permission.pk,
            ]
        )
    return _csv(header, rows)


def carried_csv(start: date, end: date) -> bytes:
    """3-8: items carried in or out during the period, with witness and what was checked."""
    low, high = _bounds(start, end)
    records = (
        CarryRecord.objects.filter(occurred_at__gte=low, occurred_at__lt=high)
        .select_related("area", "carried_by", "witness")
        .order_by("occurred_at", "pk")
    )
    header = [
        _("fiscal year"),
        _("time"),
        _("area"),
        _("direction"),
        _("items"),
        _("carried by"),
        _("witness"),
        _("what the witness checked"),
        _("record number"),
    ]
    rows: list[list[object]] = [
        [
            record.fiscal_year,
            _local(record.occurred_at),
            record.area.name,
            record.get_direction_display(),
            record.items,
            record.carried_by.name,
            record.witness.name,
            record.checked,
            record.pk,
        ]
        for record in records
    ]
    return _csv(header, rows)


def people_shown(records: str, start: date, end: date) -> "QuerySet[Person]":
    """The people an export names, for the trail of who looked at whom."""
    low, high = _bounds(start, end)
    if records == "visitors":
        named = VisitorPermission.objects.filter(starts_at__gte=low, starts_at__lt=high)
        return Person.objects.filter(pk__in=named.values("person_id"))
    if records == "carried":
        carried = CarryRecord.objects.filter(occurred_at__gte=low, occurred_at__lt=high)
        return Person.objects.filter(
            Q(pk__in=carried.values("carried_by_id")) | Q(pk__in=carried.values("witness_id"))
        )
    passages = Passage.objects.filter(occurred_at__gte=low, occurred_at__lt=high)
    return Person.objects.filter(pk__in=passages.values("person_id"))


# What can be exported as CSV (3-6 asks for the records of 3-3 to 3-5; 3-8 is asked as well).
CSV_EXPORTS = {"passages": passages_csv, "visitors": visitors_csv, "carried": carried_csv}


@dataclass
class RegisterLine:
    """One line of the 入退室管理簿: a stay from entry to exit, or a refused attempt."""

    day: date
    name: str
    organization: str
    kind: str
    badge: str
    entered: str
    left: str
    monitor: str
    note: str
    # 確認者: who checked the person at the door (the desk officer, or the card reader).
    checker: str = ""


def _checker(passage: Passage) -> str:
    if passage.recorded_by is not None:
        return passage.recorded_by.name
    return str(passage.reader or "")


def register_lines(start: date, end: date) -> list[RegisterLine]:
    """Pair each standing entry with the same person's next exit; list refused attempts too."""
    passages = list(_period(start, end))
    corrected = {p.corrects_id for p in passages if p.corrects_id}
    lines: list[RegisterLine] = []
    open_stays: dict[tuple[int, int], RegisterLine] = {}
    for passage in passages:
        person = passage.person
        local = timezone.localtime(passage.occurred_at)
        if passage.outcome == Passage.Outcome.REFUSED:
            reasons = "、".join(f"{text}（{cid}）" for cid, text in passage.refusal_reasons())
            lines.append(
                RegisterLine(
                    day=local.date(),
                    name=person.name if person else passage.badge_presented,
                    organization=person.organization.name if person else "",
                    kind="",
                    badge=passage.badge_presented,
                    entered=f"{local:%H:%M}",
                    left="",
                    monitor="",
                    note=_("Refused: %(reasons)s") % {"reasons": reasons},
                    checker=_checker(passage),
                )
            )
            continue
        if passage.pk in corrected or passage.cancelled or person is None:
            continue
        key = (passage.area_id, person.pk)
        note = _("corrected") if passage.corrects_id else ""
        if passage.direction == Passage.Direction.ENTRY:
            line = RegisterLine(
                day=local.date(),
                name=person.name,
                organization=person.organization.name,
                kind=_("Staff") if passage.visitor_permission_id is None else _("Visitor"),
                badge=passage.badge_presented,
                entered=f"{local:%H:%M}",
                left="",
                monitor=passage.monitor.name if passage.monitor else "",
                note=note,
                checker=_checker(passage),
            )
            lines.append(line)
            open_stays[key] = line
        elif key in open_stays:
            stay = open_stays.pop(key)
            stay.left = f"{local:%H:%M}" if local.date() == stay.day else f"{local:%m/%d %H:%M}"
            stay.note = "、".join(filter(None, [stay.note, note, passage.note]))
    return lines


def _months(start: date, end: date) -> list[tuple[date, date]]:
    months = []
    first = start.replace(day=1)
    while first <= end:
        following = (first + timedelta(days=32)).replace(day=1)
        months.append((max(first, start), min(following - timedelta(days=1), end)))
        first = following
    return months


class _Heading(Flowable):
    """Invisible: from here on, the pages carry this month's title and period."""

    def __init__(self, state: dict[str, str], title: str, period: str) -> None:
        super().__init__()
        self.state, self.title, self.period = state, title, period
        self.width = self.height = 0

    def draw(self) -> None:
        self.state.update(title=self.title, period=self.period)


def _numbered_canvas(label: str, font: str) -> type[Canvas]:
    """A canvas that writes "page N / M" once the number of pages is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(font, 8)
                self.drawRightString(
                    self._pagesize[0] - 12 * mm, 7 * mm, label % {"page": number, "pages": total}
                )
                super().showPage()
            super().save()

    return NumberedCanvas


def register_pdf(start: date, end: date) -> bytes:
    """The monthly 入退室管理簿 as the paper register is kept: Japanese, era dates, one section
    per month; title and period on every page, page N / M, who checked each line (確認者) and
    a box for the manager's confirmation at the end of each month (3-6)."""
    japanese_fonts()
    meta_style = ParagraphStyle("meta", fontName=MINCHO, fontSize=9, leading=13)
    cell_style = ParagraphStyle("cell", fontName=MINCHO, fontSize=8.5, leading=11, wordWrap="CJK")
    buffer = io.BytesIO()
    with override("ja"):
        document = SimpleDocTemplate(
            buffer,
            pagesize=landscape(A4),
            leftMargin=12 * mm,
            rightMargin=12 * mm,
            topMargin=24 * mm,
            bottomMargin=14 * mm,
            title=_("Entry and exit register"),
            initialFontName=MINCHO,
        )
        story: list[object] = []
        headers: list[object] = [
            _("Date"),
            _("Name"),
            _("Organization"),
            _("Kind"),
            _("Badge"),
            _("In"),
            _("Out"),
            _("Monitor"),
            _("Confirmer"),
            _("Note"),
        ]
        heading: dict[str, str] = {}
        for index, (first, last) in enumerate(_months(start, end)):
            month = wareki(first).split("年")[0] + f"年{first.month}月"
            title = _("Entry and exit register, %(month)s") % {"month": month}
            period = _("Period: %(start)s to %(end)s · %(year)s · printed %(printed)s") % {
                "start": wareki(first),
                "end": wareki(last),
                "year": wareki_year(first.year if first.month >= 4 else first.year - 1),
                "printed": wareki(timezone.localdate()),
            }
            if index:
                # Before the break, so that the next page starts with this month's heading.
                story += [_Heading(heading, title, period), PageBreak()]
            else:
                heading.update(title=title, period=period)
            rows: list[list[object]] = [headers]
            for line in register_lines(first, last):
                rows.append(
                    [
                        f"{line.day.month}月{line.day.day}日",
                        Paragraph(pdf_text(line.name), cell_style),
                        Paragraph(pdf_text(line.organization), cell_style),
                        line.kind,
                        line.badge,
                        line.entered,
                        line.left,
                        Paragraph(pdf_text(line.monitor), cell_style),
                        Paragraph(pdf_text(line.checker), cell_style),
                        Paragraph(pdf_text(line.note), cell_style),
                    ]
                )
            if len(rows) == 1:
                rows.append(["", _("No one entered in this period."), *[""] * 8])
            widths = [20, 36, 40, 16, 20, 16, 20, 30, 30, 45]
            table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, 0), GOTHIC, 9),
                        ("FONT", (0, 1), (-1, -1), MINCHO, 8.5),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f1fe")),
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#949497")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story += [table, Spacer(1, 6 * mm), _approval_box(meta_style)]

        def header(canvas: Canvas, doc: SimpleDocTemplate) -> None:
            canvas.setFont(GOTHIC, 14)
            canvas.drawString(12 * mm, doc.pagesize[1] - 13 * mm, heading["title"])
            canvas.setFont(MINCHO, 9)
            canvas.drawString(12 * mm, doc.pagesize[1] - 19 * mm, heading["period"])

        document.build(
            story,
            onFirstPage=header,
            onLaterPages=header,
            canvasmaker=_numbered_canvas(_("Page %(page)d of %(pages)d"), MINCHO),
        )
    return buffer.getvalue()


def _approval_box(style: ParagraphStyle) -> Table:
    """The manager's confirmation of the month, with room for a seal, as on the paper form."""
    box = Table(
        [
            [_("Confirmed on"), _("Manager"), _("Deputy")],
            ["", "", ""],
        ],
        colWidths=[36 * mm, 26 * mm, 26 * mm],
        rowHeights=[6 * mm, 18 * mm],
        hAlign="RIGHT",
    )
    box.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), style.fontName, 8.5),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ]
        )
    )
    return box


@dataclass(frozen=True)
class RetentionRow:
    fiscal_year: int
    passages: int
    kept_until: date


def retention_by_year() -> list[RetentionRow]:
    """3-6: how many passages each fiscal year holds and until when they must be kept."""
    counts = Passage.objects.values("fiscal_year").annotate(n=Count("pk")).order_by("-fiscal_year")
    return [
        RetentionRow(row["fiscal_year"], row["n"], retention_ends(row["fiscal_year"]))
        for row in counts
    ]
