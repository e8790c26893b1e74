"""Legal hold: records of the fiscal years an open incident spans are kept until it closes.

DOMAIN.md (retention rule): "records tied to an open incident or inspection are held until it
closes". An incident may touch any record of its period (entries, carried items, lookups,
reports), so the hold is by fiscal year: while an incident is open, no record of a fiscal year
it spans is disposed of: the incident's own records (its written report, tasks, publication
decision) among them, since they date from the year it became known. Registered with
`itaku.retention.registry.hold`, which the disposal action asks before it disposes of anything.

The contact chart in force (6-1) is held as well: a version is kept by the year it took
effect, and may still be the one in force years later.
"""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.incidents.models import ContactChart, ContactEntry, Incident
from itaku.retention.models import FiscalRecord
from itaku.retention.registry import hold


def open_incident_holds(at: datetime | None = None) -> dict[int, list[Incident]]:
    """Each held fiscal year, with the open incidents that hold it."""
    at = at or timezone.now()
    held: dict[int, list[Incident]] = {}
    for incident in Incident.objects.open():
        for year in sorted(incident.fiscal_years(at)):
            held.setdefault(year, []).append(incident)
    return held


@hold(_("an incident spanning their fiscal year is still open (6-5)."))
def held_by_open_incident(
    model: type[FiscalRecord], records: "models.QuerySet[FiscalRecord]"
) -> "models.QuerySet[FiscalRecord] | None":
    """Every evidence record of a fiscal year an open incident spans is held (legal hold)."""
    years = set(open_incident_holds())
    if not years:
        return None
    return records.filter(fiscal_year__in=years)


@hold(_("it is the contact chart in force (6-1)."))
def held_contact_chart_in_force(
    model: type[FiscalRecord], records: "models.QuerySet[FiscalRecord]"
) -> "models.QuerySet[FiscalRecord] | None":
    """The version in force today, and its entries, are never disposed of."""
    if model not in (ContactChart, ContactEntry):
        return None
    current = ContactChart.objects.current(timezone.localdate())
    if current is None:
        return None
    if model is ContactChart:
        return records.filter(pk=current.pk)
    return records.filter(pk__in=current.entries.values("pk"))
