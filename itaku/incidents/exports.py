"""The report to the Personal Information Protection Commission: the items in the form's order.

The Commission takes reports through its web form; this listing lets the manager copy the
items across in the order the form asks for them. The order is that of the rules' reporting
items (施行規則 — for a local public body art. 43, the same nine items as art. 8 for
businesses): 概要, 項目, 本人の数, 原因, 二次被害, 本人への対応, 公表, 再発防止, その他.
Sources: https://www.businesslawyers.jp/practices/1433 (the nine items of 施行規則8条1項, in
order) and https://www.ppc.go.jp/personalinfo/legal/leakAction/ (the report and its form).

CSV is UTF-8 with a byte-order mark so that Excel opens it in Japanese; a cell a spreadsheet
would read as a formula is prefixed with an apostrophe.
"""

import csv
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itaku.core.dates import wareki
from itaku.core.escape import csv_row
from itaku.incidents.law import Criterion
from itaku.incidents.models import Incident, Publication

CRITERIA = {
    Criterion.SENSITIVE: gettext_lazy(
        "Special-care personal information (要配慮個人情報) is involved"
    ),
    Criterion.FINANCIAL: gettext_lazy("Misuse may cause financial damage"),
    Criterion.IMPROPER_PURPOSE: gettext_lazy("An improper purpose (不正の目的) is possible"),
    Criterion.MANY_PERSONS: gettext_lazy("More persons are concerned than the law's threshold"),
}


def criterion_label(criterion: Criterion) -> str:
    return str(CRITERIA[criterion])


def commission_items(incident: Incident) -> list[tuple[str, str]]:
    """The nine items of the report, numbered and in the form's order, from the records."""
    report = incident.written()
    known = timezone.localtime(incident.known_at)
    assessment = incident.assessment()
    publication: Publication | None = getattr(incident, "publication", None)
    overview = "\n".join(
        part
        for part in [
            incident.summary,
            f"{_('Known at')}: {wareki(known)} {known:%H:%M}",
            f"{_('Place')}: {report.place if report else incident.place}",
            report.circumstances if report else incident.details,
        ]
        if part
    )
    if incident.persons_notified_on:
        notice = _("Notified on %(day)s") % {"day": wareki(incident.persons_notified_on)}
    elif incident.notice_exemption:
        notice = _("Not notified: %(why)s") % {"why": incident.notice_exemption}
    else:
        notice = _("Not yet notified")
    if publication is None or publication.state == Publication.State.DRAFT:
        published = _("Not yet decided")
    elif publication.state == Publication.State.PUBLISHED and publication.published_on:
        published = _("Published on %(day)s") % {"day": wareki(publication.published_on)}
    else:
        published = _("Not published: %(why)s") % {"why": publication.reasons}
    other = [
        f"{_('Information assets involved')}: {report.assets}" if report else "",
        f"{_('Number of records')}: {report.records_count}" if report else "",
        f"{_('The city instructions')}: {report.city_instructions}" if report else "",
    ]
    if assessment is not None:
        other.append(
            _("Criteria met: %(criteria)s")
            % {"criteria": "、".join(criterion_label(c) for c in assessment.criteria) or "-"}
        )
    items = [
        (_("Overview"), overview),
        (
            _("Items of the personal information leaked or possibly leaked"),
            report.data_items if report else "",
        ),
        (
            _("Number of persons concerned"),
            str(report.persons_count) if report else "",
        ),
        (_("Cause"), report.cause if report else ""),
        (
            _("Secondary damage or its possibility, and its content"),
            report.secondary_damage if report else "",
        ),
        (_("Response to the persons concerned"), notice),
        (_("Publication"), published),
        (_("Measures against recurrence"), report.prevention if report else ""),
        (_("Other matters for reference"), "\n".join(line for line in other if line)),
    ]
    return [(f"{number}. {label}", value) for number, (label, value) in enumerate(items, 1)]


def commission_csv(incident: Incident) -> bytes:
    with translation.override("ja"):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([_("Item"), _("Content")])
        for label, value in commission_items(incident):
            writer.writerow(csv_row([label, value]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
