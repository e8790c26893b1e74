"""Legal hold: records of the fiscal years an open incident spans are kept until it closes.

DOMAIN.md (retention rule): "records tied to an open incident or inspection are held until it
closes". An incident may touch any record of its period (entries, carried items, lookups,
reports), so the hold is by fiscal year: while an incident is open, no record of a fiscal year
it spans is disposed of.
"""

from datetime import datetime

from django.utils import timezone

from itaku.incidents.models import Incident


def open_incident_holds(at: datetime | None = None) -> dict[int, list[Incident]]:
    """Each held fiscal year, with the open incidents that hold it."""
    at = at or timezone.now()
    held: dict[int, list[Incident]] = {}
    for incident in Incident.objects.open():
        for year in sorted(incident.fiscal_years(at)):
            held.setdefault(year, []).append(incident)
    return held
