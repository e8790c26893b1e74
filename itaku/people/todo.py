"""3-1 on the home page: role changes to confirm, absences to acknowledge, and the helper every
app uses to show a manager's decision to the manager and the deputy."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from itaku.core import todo
from itaku.core.templatetags.itaku_dates import jdatetime
from itaku.core.todo import Kind, TodoItem
from itaku.people.authority import approving_capacity
from itaku.people.models import Absence, Person, RoleChange
from itaku.people.roles import Capacity, Role

DECIDERS = frozenset({Role.MANAGER, Role.DEPUTY})


def deciding_as(person: Person, now: datetime) -> Capacity | None:
    """The capacity in which `person` decides a manager's decision now (once per page)."""
    return todo.memo(person, "capacity", lambda: approving_capacity(person, now))


def is_decider(person: Person, now: datetime) -> bool:
    """The manager or the deputy: the people a manager's decision is shown to."""
    return bool(todo.roles(person, timezone.localdate(now)) & DECIDERS)


def decision(
    person: Person,
    now: datetime,
    title: Promise | str,
    url: str,
    *,
    clause: str,
    parties: tuple[int | None, ...] = (),
    status: Promise | str = "",
) -> TodoItem | None:
    """A request the manager decides (3-1), as `person` may act on it now.

    The manager, or the deputy while the manager is recorded absent, sees it as waiting for
    her decision; the deputy otherwise sees it as the manager's (the home page says why). A
    request that concerns `person` is not shown here: it is theirs to wait for, not to decide.
    """
    if person.pk in parties:
        return None
    kind = Kind.DECIDE if deciding_as(person, now) is not None else Kind.MANAGER_DECIDES
    return TodoItem(title, url, kind, clause=clause, status=status or _("Requested"))


@todo.provider
def role_changes_to_confirm(person: Person, now: datetime) -> list[TodoItem]:
    """3-1: the superior confirms what the administrator proposed, and the other way round."""
    roles = todo.roles(person, timezone.localdate(now))
    if not roles & {Role.SUPERIOR, Role.ADMIN}:
        return []
    pending = (
        RoleChange.objects.pending()
        .exclude(proposed_by=person)
        .exclude(person=person)
        .select_related("person")
    )
    url = reverse("people:role_changes")
    return [
        TodoItem(
            _("Role change to confirm: %(change)s") % {"change": change},
            url,
            Kind.DECIDE,
            clause="3-1",
            status=_("Proposed"),
        )
        for change in pending
    ]


@todo.provider
def absences_to_acknowledge(person: Person, now: datetime) -> list[TodoItem]:
    """3-1: back from an absence, the manager reads what the deputy decided in her name."""
    if Role.MANAGER not in todo.roles(person, timezone.localdate(now)):
        return []
    ended = Absence.objects.filter(person=person, ends_at__lte=now, acknowledged_at__isnull=True)
    url = reverse("people:absences")
    return [
        TodoItem(
            _("Read what the deputy decided during your absence from %(start)s")
            % {"start": jdatetime(absence.starts_at)},
            url,
            Kind.DO,
            clause="3-1",
        )
        for absence in ended
    ]
