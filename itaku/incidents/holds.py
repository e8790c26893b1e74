"""Legal hold: records of the fiscal years an open incident spans are kept until it closes.

DOMAIN.md (retention rule): "records tied to an open incident or inspection are held until it
closes". An incident may touch any record of its period (entries, carried items, lookups,
reports), so the hold is by fiscal year: while an incident is open, no record of a fiscal year
it spans is disposed of. Registered with `itaku.retention.registry.hold`, which the disposal
action asks before it disposes of anything.
"""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.incidents.models import Incident
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
