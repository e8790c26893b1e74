"""Chapter 3 on the home page: requests the manager decides, and one's own requests."""

from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaku.area.models import (
    AfterHoursPermission,
    CarryInRequest,
    VisitorPermission,
    WorkDeclaration,
)
from itaku.core import todo
from itaku.core.dates import display_date
from itaku.core.templatetags.itaku_dates import jdatetime
from itaku.core.todo import Kind, TodoItem, Tone
from itaku.people.models import Person
from itaku.people.todo import decision, is_decider

TONES = {"requested": Tone.PENDING, "approved": Tone.OK, "rejected": Tone.ATTENTION}


def _when(at: datetime) -> str:
    return jdatetime(at)


@todo.provider
def requests_to_decide(person: Person, now: datetime) -> list[TodoItem | None]:
    """3-4, 3-12, 3-3: visitor permissions, device requests and after-hours permissions."""
    if not is_decider(person, now):
        return []
    items: list[TodoItem | None] = []
    visits = VisitorPermission.objects.filter(state=VisitorPermission.State.REQUESTED)
    for visit in visits.select_related("person"):
        items.append(
            decision(
                person,
                now,
                _("Visitor permission: %(name)s (%(purpose)s), from %(start)s")
                % {"name": visit.person, "purpose": visit.purpose, "start": _when(visit.starts_at)},
                reverse("area:visitor", args=[visit.pk]),
                clause="3-4",
                parties=(visit.person_id, visit.requested_by_id),
            )
        )
    for device in CarryInRequest.objects.filter(
        state=CarryInRequest.State.REQUESTED
    ).select_related("person"):
        items.append(
            decision(
                person,
                now,
                _("Device carry-in request: %(device)s (%(name)s)")
                % {"device": device.device, "name": device.person},
                f"{reverse('area:carry_in_requests')}#carry-in-{device.pk}",
                clause="3-12",
                parties=(device.person_id, device.requested_by_id),
            )
        )
    after = AfterHoursPermission.objects.filter(
        state=AfterHoursPermission.State.REQUESTED
    ).select_related("person", "area")
    for permission in after:
        items.append(
            decision(
                person,
                now,
                _("After-hours permission: %(name)s, %(area)s, from %(start)s")
                % {
                    "name": permission.person,
                    "area": permission.area,
                    "start": _when(permission.starts_at),
                },
                f"{reverse('area:after_hours')}#after-hours-{permission.pk}",
                clause="3-3",
                parties=(permission.person_id, permission.requested_by_id),
            )
        )
    return items


@todo.provider
def own_requests(person: Person, now: datetime) -> list[TodoItem]:
    """The device and after-hours requests one made or that are for oneself, still current."""
    mine = Q(person=person) | Q(requested_by=person)
    day = timezone.localdate(now)
    devices = CarryInRequest.objects.filter(mine).filter(
        Q(state=CarryInRequest.State.REQUESTED) | Q(ends_on__gte=day)
    )
    after = AfterHoursPermission.objects.filter(mine).filter(
        Q(state=AfterHoursPermission.State.REQUESTED) | Q(ends_at__gt=now)
    )
    items = [
        TodoItem(
            _("Device carry-in: %(device)s, %(start)s to %(end)s")
            % {
                "device": device.device,
                "start": display_date(device.starts_on),
                "end": display_date(device.ends_on),
            },
            f"{reverse('area:carry_in_requests')}#carry-in-{device.pk}",
            Kind.WAITING,
            status=device.get_state_display(),
            tone=TONES.get(device.state, Tone.PENDING),
            clause="3-12",
        )
        for device in devices.select_related("person")
    ]
    items += [
        TodoItem(
            _("After hours: %(area)s, from %(start)s")
            % {"area": permission.area, "start": _when(permission.starts_at)},
            f"{reverse('area:after_hours')}#after-hours-{permission.pk}",
            Kind.WAITING,
            status=permission.get_state_display(),
            tone=TONES.get(permission.state, Tone.PENDING),
            clause="3-3",
        )
        for permission in after.select_related("area")
    ]
    visits = VisitorPermission.objects.filter(requested_by=person).filter(
        Q(state=VisitorPermission.State.REQUESTED) | Q(ends_at__gt=now)
    )
    items += [
        TodoItem(
            _("Visit: %(name)s, from %(start)s")
            % {"name": visit.person, "start": _when(visit.starts_at)},
            reverse("area:visitor", args=[visit.pk]),
            Kind.WAITING,
            status=visit.get_state_display(),
            tone=TONES.get(visit.state, Tone.PENDING),
            clause="3-4",
        )
        for visit in visits.select_related("person")
    ]
    return items


@todo.provider
def work_reports_due(person: Person, now: datetime) -> list[TodoItem]:
    """3-5: after the visit, the work a visitor declared is reported (the monitor or requester)."""
    due = WorkDeclaration.objects.filter(
        Q(permission__monitor=person) | Q(permission__requested_by=person),
        reported_at__isnull=True,
        permission__ends_at__lte=now,
    ).select_related("permission__person")
    return [
        TodoItem(
            _("Report the work of visitor %(name)s (%(purpose)s)")
            % {"name": declaration.permission.person, "purpose": declaration.permission.purpose},
            reverse("area:visitor", args=[declaration.permission_id]),
            Kind.DO,
            due=timezone.localdate(declaration.permission.ends_at),
            overdue=True,
            clause="3-5",
        )
        for declaration in due
    ]
