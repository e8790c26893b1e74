"""3-1: who may act as the manager at a given moment, and in which capacity."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.audit.log import canonical_bytes
from itaku.audit.models import Event, EventQuerySet
from itaku.people.models import Absence, Person, RoleAssignment
from itaku.people.roles import Capacity, OversightCapacity, Role


def holders(role: Role, at: datetime) -> list[Person]:
    return list(Person.objects.holding(role, timezone.localdate(at)))


def manager_absent(at: datetime) -> bool:
    """True when every designated manager is recorded absent at `at`.

    With no manager designated there is no one to be absent: the deputy cannot act then either,
    and the dashboard shows 3-1 as needing attention.
    """
    managers = holders(Role.MANAGER, at)
    if not managers:
        return False
    absences = Absence.objects.covering(at).filter(person__in=managers)
    return all_absent({manager.pk for manager in managers}, absences, at)


def all_absent(managers: set[int], absences: Iterable[Absence], at: datetime) -> bool:
    """Whether each of `managers` (their IDs, at least one) has one of `absences` covering
    `at`: how `manager_absent` decides, on records already read."""
    away = {absence.person_id for absence in absences if absence.starts_at <= at < absence.ends_at}
    return bool(managers) and managers <= away


def approving_capacity(person: Person, at: datetime) -> Capacity | None:
    """The capacity in which `person` may approve at `at`, or None if they may not."""
    roles = person.roles_on(timezone.localdate(at))
    if Role.MANAGER in roles:
        return Capacity.MANAGER
    if Role.DEPUTY in roles and manager_absent(at):
        return Capacity.DEPUTY
    return None


def require_approving_capacity(person: Person, at: datetime) -> Capacity:
    """The capacity in which `person` may approve at `at`; a refusal the user can read if none."""
    capacity = approving_capacity(person, at)
    if capacity is None:
        raise ValidationError(
            _(
                "Only the manager, or the deputy while the manager is recorded absent, "
                "may decide this (3-1)."
            )
        )
    return capacity


def require_role_confirmer(person: Person, at: datetime) -> str:
    """3-1: the capacity in which `person` may confirm or reject a role change.

    The superior or the system administrator; the action then requires it to be the other one
    than the proposer's, and the decision refuses the proposer and the person concerned.
    """
    roles = person.roles_on(timezone.localdate(at))
    if Role.SUPERIOR in roles:
        return OversightCapacity.SUPERIOR
    if Role.ADMIN in roles:
        return OversightCapacity.ADMIN
    raise ValidationError(
        _("Only the superior or the system administrator may decide a role change (3-1).")
    )


def require_role_proposer(person: Person, at: datetime) -> str:
    """3-1: the capacity in which `person` may propose a role change (same two roles)."""
    roles = person.roles_on(timezone.localdate(at))
    if Role.ADMIN in roles:
        return OversightCapacity.ADMIN
    if Role.SUPERIOR in roles:
        return OversightCapacity.SUPERIOR
    raise ValidationError(
        _("Only the system administrator or the superior may propose a role change (3-1).")
    )


def _capacity_events(capacity: str) -> EventQuerySet:
    """Audit events recorded in `capacity`, from every app, now and future.

    The capacity lives in each event's stored bytes (canonical JSON, see itaku.audit.log), not
    in an indexed column: the database narrows by the exact bytes `"capacity":"deputy"`, and
    the decoded event confirms it.
    """
    needle = canonical_bytes({"capacity": capacity})[1:-1]
    found = (
        "position(%s in body) > 0" if connection.vendor == "postgresql" else "instr(body, %s) > 0"
    )
    # Constant SQL; the searched bytes go as a parameter.
    holds = RawSQL(found, (needle,), output_field=models.BooleanField())  # noqa: S611
    return Event.objects.alias(holds_capacity=holds).filter(holds_capacity=True)


def _decided_as(events: Iterable[Event], capacity: str) -> list[Event]:
    return [event for event in events if event.data.get("capacity") == capacity]


def deputy_decisions_during(absences: Iterable[Absence]) -> list[Event]:
    """3-1: what the deputy decided while these absences ran, newest first.

    The manager reads it on return: she is told of every decision taken in her name.
    """
    windows = Q()
    for absence in absences:
        windows |= Q(occurred_at__gte=absence.starts_at, occurred_at__lt=absence.ends_at)
    if not windows:
        return []
    events = _capacity_events(Capacity.DEPUTY).filter(windows).select_related("actor")
    return _decided_as(events.order_by("-occurred_at", "-id"), Capacity.DEPUTY)


def deputy_events(until: datetime) -> EventQuerySet:
    """Audit events recorded in the deputy's capacity up to `until`, oldest first (narrowed by
    their bytes; `decisions_without_absence` confirms each)."""
    return _capacity_events(Capacity.DEPUTY).filter(occurred_at__lte=until).order_by("occurred_at")


def deputy_decisions_without_absence(until: datetime) -> list[Event]:
    """3-1: decisions recorded as the deputy's while no manager absence was recorded.

    The manager's designations and absences are read once and compared in memory: there are
    few of them, and this runs for the dashboard.
    """
    decisions = _decided_as(deputy_events(until), Capacity.DEPUTY)
    if not decisions:
        return []
    designations = list(RoleAssignment.objects.filter(role=Role.MANAGER))
    absences = list(Absence.objects.filter(person__in={d.person_id for d in designations}))
    return decisions_without_absence(decisions, designations, absences)


def decisions_without_absence(
    events: Iterable[Event], designations: list[RoleAssignment], absences: list[Absence]
) -> list[Event]:
    """3-1: of `events` (read by `deputy_events`), the deputy's decisions taken while no
    absence of a manager of the day covered them. `designations` are every manager
    designation, `absences` every absence of those designated."""

    def absent(at: datetime) -> bool:
        day = timezone.localdate(at)
        managers = {
            d.person_id
            for d in designations
            if d.starts_on <= day and (d.ends_on is None or d.ends_on >= day)
        }
        return all_absent(managers, absences, at)

    return [
        event for event in _decided_as(events, Capacity.DEPUTY) if not absent(event.occurred_at)
    ]
