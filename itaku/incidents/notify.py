"""6-2: the manager and the deputy learn of a new incident at once, by mail.

Sent after the transaction that records the incident commits, so no mail announces an incident
that was rolled back. The mail is in Japanese, as the city works; recipients are the current
manager and deputy, at their login's address.
"""

import logging

from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from itaku.core.dates import wareki
from itaku.incidents.models import Incident
from itaku.people.models import Person
from itaku.people.roles import Role

logger = logging.getLogger(__name__)


def receivers() -> list[Person]:
    """The current manager and deputy (6-2: the manager, or the deputy in the manager's place)."""
    today = timezone.localdate()
    people = Person.objects.holding(Role.MANAGER, today) | Person.objects.holding(
        Role.DEPUTY, today
    )
    return list(people.select_related("user").distinct())


def incident_reported(pk: int) -> int:
    """Mail the new incident to the manager and the deputy; returns how many were sent."""
    incident = Incident.objects.select_related("reported_by").get(pk=pk)
    addresses = sorted(
        {person.user.email for person in receivers() if person.user and person.user.email}
    )
    if not addresses:
        logger.warning("incident %s: no manager or deputy has a mail address", pk)
        return 0
    with override("ja"):
        known = timezone.localtime(incident.known_at)
        subject = _("[Itaku] Incident reported: %(summary)s") % {"summary": incident.summary}
        body = "\n".join(
            [
                _("An incident was reported. Tell the superior at once and take measures (6-3)."),
                "",
                f"{_('What happened')}: {incident.summary}",
                f"{_('Kind')}: {incident.get_kind_display()}",
                f"{_('Known at')}: {wareki(known)} {known:%H:%M}",
                f"{_('Place')}: {incident.place or '-'}",
                f"{_('Reported by')}: {incident.reported_by}",
                "",
                reverse("incidents:detail", args=[incident.pk]),
            ]
        )
    return send_mail(subject, body, None, addresses)
