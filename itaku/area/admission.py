"""Who may enter the controlled area, and what the door asks of them.

The base rules (3-3, 3-4, 3-5) are registered with `itaku.people.admission` like every other
app's; the entry desk and the card-reader API both ask `assess_entry`, which adds what is
asked at the door itself: the area's hours or an after-hours permission (3-3), badge worn
(3-7), only valuables (5-9), no prohibited device unless an approved carry-in covers it (3-11,
3-12), and the visitor's monitor present (3-4).
Server time decides: callers pass `timezone.now()`, never a time sent by a client.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from itaku.area.models import (
    AfterHoursPermission,
    Area,
    CarryInRequest,
    Passage,
    VisitorPermission,
    WorkDeclaration,
)
from itaku.core.business_days import closed_on
from itaku.people.admission import Refusal, refusals, rule
from itaku.people.models import Person
from itaku.people.roles import STAFF_ROLES


def _visitor_permission(person: Person, at: datetime) -> VisitorPermission | None:
    return (
        VisitorPermission.objects.covering(at)
        .filter(person=person)
        .select_related("monitor")
        .order_by("ends_at")
        .first()
    )


@rule
def staff_or_permitted_visitor(person: Person, at: datetime) -> list[Refusal]:
    """3-3: only staff enter; 3-4: anyone else needs the manager's permission covering now."""
    if person.roles_on(timezone.localdate(at)) & STAFF_ROLES:
        return []
    if _visitor_permission(person, at) is not None:
        return []
    mine = VisitorPermission.objects.filter(person=person)
    if mine.filter(state=VisitorPermission.State.REQUESTED, ends_at__gt=at).exists():
        reason = _("Not staff, and the visitor permission is not approved yet.")
    elif mine.approved().filter(starts_at__gt=at).exists():
        reason = _("Not staff, and the visitor permission has not started yet.")
    elif mine.approved().filter(ends_at__lte=at).exists():
        reason = _("Not staff, and the visitor permission has ended.")
    else:
        reason = _("Not staff, and has no visitor permission.")
    return [Refusal("3-4", reason)]


@rule
def work_declared_before_entry(person: Person, at: datetime) -> list[Refusal]:
    """3-5: a visitor who will work in the area declares the work before entering."""
    permission = _visitor_permission(person, at)
    if permission is None or not permission.works_in_area:
        return []
    if WorkDeclaration.objects.filter(permission=permission).exists():
        return []
    return [Refusal("3-5", _("The visitor's work has not been declared before entry."))]


@dataclass(frozen=True)
class EntryAnswers:
    """What the person at the door confirms (3-7, 5-9, 3-11)."""

    badge_worn: bool
    only_valuables: bool
    prohibited_device: bool
    carry_in: CarryInRequest | None = None


@dataclass
class Assessment:
    refusals: list[Refusal] = field(default_factory=list)
    permission: VisitorPermission | None = None

    @property
    def admitted(self) -> bool:
        return not self.refusals


def assess_entry(person: Person, area: Area, answers: EntryAnswers, at: datetime) -> Assessment:
    """Everything that keeps `person` out of `area` at `at`; an empty list admits."""
    found = Assessment(refusals=refusals(person, at))
    found.refusals.extend(_hours_refusals(person, area, at))
    if not answers.badge_worn:
        found.refusals.append(Refusal("3-7", _("No ID card or name tag is worn.")))
    if not answers.only_valuables:
        found.refusals.append(
            Refusal("5-9", _("Carries more than valuables such as a wallet; leave the rest out."))
        )
    if answers.prohibited_device:
        found.refusals.extend(_device_refusals(person, answers.carry_in, at))
    if person.roles_on(timezone.localdate(at)) & STAFF_ROLES:
        return found
    found.permission = _visitor_permission(person, at)
    if found.permission is not None:
        monitor = found.permission.monitor
        if not Passage.objects.inside(area).filter(person=monitor).exists():
            found.refusals.append(
                Refusal(
                    "3-4",
                    format_lazy(
                        _("The monitor {name} is not in the area to watch the visitor."),
                        name=monitor.name,
                    ),
                )
            )
    return found


def _hours_refusals(person: Person, area: Area, at: datetime) -> list[Refusal]:
    """3-3: after closing time, before opening or on a closed day, only with a permission."""
    if area.is_open(at):
        return []
    if AfterHoursPermission.objects.covering(person, area, at).exists():
        return []
    if closed_on(timezone.localdate(at)):
        reason = _("The office is closed today; entry needs an approved after-hours permission.")
        return [Refusal("3-3", reason)]
    return [
        Refusal(
            "3-3",
            format_lazy(
                _(
                    "The area is open from {opens} to {closes}; entry outside these hours "
                    "needs an approved after-hours permission."
                ),
                opens=area.opening_time.strftime("%H:%M"),
                closes=area.closing_time.strftime("%H:%M"),
            ),
        )
    ]


def _device_refusals(
    person: Person, carry_in: CarryInRequest | None, at: datetime
) -> list[Refusal]:
    """3-11: a prohibited device enters only under an approved request for this person (3-12)."""
    day = timezone.localdate(at)
    if carry_in is None:
        return [
            Refusal("3-11", _("Carries a prohibited device without an approved carry-in request."))
        ]
    if carry_in.person_id != person.pk or carry_in.state != CarryInRequest.State.APPROVED:
        return [Refusal("3-12", _("The carry-in request is not an approved one for this person."))]
    if carry_in.is_expired(day):
        return [Refusal("3-12", _("The carry-in approval has expired."))]
    if not carry_in.is_valid_on(day):
        return [Refusal("3-12", _("The carry-in approval does not cover today."))]
    return []


def stored(found: list[Refusal]) -> list[dict[str, Any]]:
    """Refusals as kept on the record: clause ID and the reason in both languages."""
    result = []
    for refusal in found:
        reason = {}
        for language in ("ja", "en"):
            with override(language):
                reason[language] = str(refusal.reason)
        result.append({"clause_id": refusal.clause_id, "reason": reason})
    return result
