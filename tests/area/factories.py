"""Area records for tests. Names are plainly fictional."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from itaku.area import actions
from itaku.area.admission import EntryAnswers
from itaku.area.models import (
    Area,
    CarryInRequest,
    DeviceCategory,
    VisitorPermission,
    VisitorRegistration,
)
from itaku.core.business_days import closed_on
from itaku.people.models import Organization, Person
from itaku.people.roles import Capacity
from tests.factories import PersonFactory


def run_clock_at(monkeypatch, at: time = time(10, 0), day: date | None = None) -> datetime:
    """Let the clock run from `at` on `day` (by default the last day the office was open).

    The door refuses entries outside the area's hours and on closed days (3-3), so a test of
    anything else must not depend on when it runs; a test of the hours sets its own time.
    """
    real_now = timezone.now
    if day is None:
        day = timezone.localdate()
        while closed_on(day):
            day -= timedelta(days=1)
    start = datetime.combine(day, at, tzinfo=timezone.get_current_timezone())
    offset = start - real_now()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)
    return start


READY = EntryAnswers(badge_worn=True, only_valuables=True, prohibited_device=False)


def make_area(name: str = "試験区域", **fields) -> Area:
    fields.setdefault("place", "試験庁舎 2階")
    fields.setdefault("boundary", "床の黄色ライン")
    fields.setdefault("signage_checked_on", timezone.localdate())
    return Area.objects.create(name=name, **fields)


def make_visitor(
    name: str = "訪問 架空", badge: str = "V-9001", *, registered_by: Person | None = None
) -> Person:
    """A visitor of a maintenance company; `registered_by` a lead makes them that lead's."""
    org, _ = Organization.objects.get_or_create(
        name="架空保守株式会社", defaults={"kind": Organization.Kind.VISITOR}
    )
    visitor = PersonFactory(name=name, organization=org, badge_number=badge)
    if registered_by is not None:
        VisitorRegistration.objects.create(
            visitor=visitor, registered_by=registered_by, registered_at=timezone.now()
        )
    return visitor


def permission(
    visitor: Person,
    monitor: Person,
    *,
    requested_by: Person,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    works_in_area: bool = False,
) -> VisitorPermission:
    """Asked for by `requested_by`. A lead asks only for a visitor they registered (3-4), so
    the visitor is registered as the requester's unless someone already did."""
    now = timezone.now()
    VisitorRegistration.objects.get_or_create(
        visitor=visitor, defaults={"registered_by": requested_by, "registered_at": now}
    )
    return actions.request_visitor_permission(
        person=visitor,
        purpose="発券機の点検",
        starts_at=starts_at or now - timedelta(hours=1),
        ends_at=ends_at or now + timedelta(hours=2),
        monitor=monitor,
        works_in_area=works_in_area,
        by=requested_by,
    )


def approved_permission(visitor: Person, monitor: Person, manager: Person, **kwargs):
    """Asked for by the monitor (the contractor lead), approved by the manager (3-4, 3-1)."""
    requested = permission(visitor, monitor, requested_by=monitor, **kwargs)
    return actions.decide_visitor_permission(requested, approve=True, note="", by=manager)


def past_permission(visitor: Person, monitor: Person, manager: Person) -> VisitorPermission:
    """An approved permission whose window has ended (stored directly: it lies in the past)."""
    now = timezone.now()
    return VisitorPermission.objects.create(
        person=visitor,
        purpose="過去の点検",
        starts_at=now - timedelta(hours=5),
        ends_at=now - timedelta(minutes=1),
        monitor=monitor,
        state=VisitorPermission.State.APPROVED,
        requested_by=manager,
        requested_at=now - timedelta(days=1),
        decided_by=manager,
        decided_capacity=Capacity.MANAGER,
        decided_at=now - timedelta(days=1),
    )


def carry_in(
    person: Person, manager: Person, *, days: int = 5, requested_by: Person | None = None
) -> CarryInRequest:
    """Requested in the person's own name unless someone who may asks for them (3-12)."""
    today = timezone.localdate()
    request = actions.request_carry_in(
        person=person,
        category=DeviceCategory.objects.get(number=4),
        device="勤怠管理用ノートパソコン",
        reason="勤怠管理のため",
        starts_on=today,
        ends_on=today + timedelta(days=days),
        storage_place="施錠キャビネットA",
        by=requested_by or person,
    )
    return actions.decide_carry_in(
        request,
        approve=True,
        conditions=str(CarryInRequest.STANDARD_CONDITIONS),
        note="",
        by=manager,
    )
