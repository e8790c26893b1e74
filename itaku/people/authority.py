"""3-1: who may act as the manager at a given moment, and in which capacity."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from itaku.people.models import Absence, Person
from itaku.people.roles import Capacity, Role


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
    absent = set(
        Absence.objects.covering(at).filter(person__in=managers).values_list("person_id", flat=True)
    )
    return all(manager.pk in absent for manager in managers)


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
