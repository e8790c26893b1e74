"""A fiscal year of a fictional 40-person office, for the benchmarks that read across the apps.

The demo (`itaku demo`) sets the office up through the actions: people and roles, the area,
the contract with its roster, pledge, training, reports and inspection, LGWAN terminals, IDs
and a month of lookups, the contact chart and two incidents. On top of it, the year before
today is written in bulk, as records with their past times: the passages of everyone who
works in the area, visitors with their permissions, work reports and carried items, the daily
storage checks and weekly patrols, the manager's absences, a year of lookups and their
sign-offs. Nothing of it names a real person.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from itaku.area.models import (
    Area,
    CarryRecord,
    Passage,
    Patrol,
    StorageCheck,
    StoragePlace,
    VisitorPermission,
    WorkDeclaration,
)
from itaku.contractors import actions as contractor_actions
from itaku.contractors.models import Contract
from itaku.core.business_days import is_business_day
from itaku.core.demo_data import load_all
from itaku.lgwan.models import Account, DayReview, LogFile, Lookup
from itaku.people.demo import CITY, CONTRACTOR
from itaku.people.models import Absence, Organization, Person, RoleAssignment
from itaku.people.roles import Capacity, Role

PEOPLE = 40
DAYS = 365


@dataclass(frozen=True)
class Office:
    manager: Person
    desk: Person
    area: Area
    people: list[Person]
    records: dict[str, int]


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _more_people(today: date) -> tuple[list[Person], list[Person]]:
    """The demo's eleven people grow to forty: contractor workers and city staff."""
    contractor = Organization.objects.get(name=CONTRACTOR)
    city = Organization.objects.get(name=CITY)
    have = Person.objects.exclude(badge_number__startswith="V-").count()
    workers = Person.objects.bulk_create(
        Person(
            name=f"架空 従事者{n:02d}",
            name_kana=f"かくう じゅうじしゃ{n:02d}",
            organization=contractor,
            badge_number=f"K-2{n:03d}",
        )
        for n in range(20)
    )
    staff = Person.objects.bulk_create(
        Person(
            name=f"見本 職員{n:02d}",
            name_kana=f"みほん しょくいん{n:02d}",
            organization=city,
            badge_number=f"C-2{n:03d}",
        )
        for n in range(PEOPLE - have - len(workers))
    )
    since = today - timedelta(days=DAYS)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(person=p, role=Role.CONTRACTOR_WORKER, starts_on=since) for p in workers]
        + [RoleAssignment(person=p, role=Role.CITY_STAFF, starts_on=since) for p in staff]
    )
    return workers, staff


def _roster_and_training(contract: Contract, workers: list[Person], today: date) -> None:
    """A new roster version naming every worker, received, and a training they all attended."""
    manager = contract.city_responsible
    roster = contract.current_roster()
    assert roster is not None  # noqa: S101 - the demo received one
    lead = roster.lead()
    assert lead is not None  # noqa: S101
    named = [entry.person for entry in roster.entries.select_related("person")]
    everyone = [person for person in named if person.pk != lead.pk] + workers
    new = contractor_actions.submit_roster(
        contract, lead=lead, workers=everyone, note="増員", by=lead
    )
    contractor_actions.receive_roster(new, received_on=today, by=manager)
    contractor_actions.record_training(
        contract,
        held_on=today - timedelta(days=3),
        content="情報セキュリティポリシーと実施手順（増員者向け）",
        material="研修資料「窓口業務の情報セキュリティ」第3版",
        trainer="架空 健（業務責任者）",
        attendees=[lead, *everyone],
        by=lead,
    )


def _passages(area: Area, people: list[Person], days: list[date], desk: Person) -> int:
    rng = random.Random(20250401)  # noqa: S311 - the same fiction on every run
    rows = []
    for day in days:
        for person in people:
            for direction, at in (
                ("entry", _at(day, 8, 30 + rng.randrange(25))),
                ("exit", _at(day, 17, 15 + rng.randrange(30))),
            ):
                entry = direction == "entry"
                rows.append(
                    Passage(
                        area=area,
                        person=person,
                        badge_presented=person.badge_number or "",
                        direction=direction,
                        outcome=Passage.Outcome.ADMITTED,
                        occurred_at=at,
                        recorded_at=at,
                        recorded_by=desk,
                        badge_worn=True if entry else None,
                        only_valuables=True if entry else None,
                        prohibited_device=False if entry else None,
                    )
                )
    Passage.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _visitors(area: Area, days: list[date], manager: Person, desk: Person, lead: Person) -> int:
    """Two maintenance visits a month: approved, declared, watched, reported, items checked."""
    org, _ = Organization.objects.get_or_create(
        name="架空設備保守株式会社", defaults={"kind": Organization.Kind.VISITOR}
    )
    visitor = Person.objects.create(
        name="保守 架空次郎",
        name_kana="ほしゅ かくうじろう",
        organization=org,
        badge_number="V-2001",
    )
    visits = days[::10]
    permissions = VisitorPermission.objects.bulk_create(
        VisitorPermission(
            person=visitor,
            purpose="窓口用発券機の定期点検",
            starts_at=_at(day, 13, 0),
            ends_at=_at(day, 16, 0),
            monitor=lead,
            works_in_area=True,
            state=VisitorPermission.State.APPROVED,
            requested_by=desk,
            requested_at=_at(day, 9, 0) - timedelta(days=3),
            decided_by=manager,
            decided_capacity=Capacity.MANAGER,
            decided_at=_at(day, 9, 0) - timedelta(days=2),
        )
        for day in visits
    )
    WorkDeclaration.objects.bulk_create(
        WorkDeclaration(
            permission=permission,
            work="発券機の動作確認と消耗部品の交換。端末・書類には触れない。",
            declared_at=permission.starts_at - timedelta(days=1),
            declared_by=desk,
            report_content="発券機の動作確認、消耗部品を交換。",
            report_result="正常動作を確認。持ち出し品なし。",
            reported_at=permission.starts_at + timedelta(hours=2, minutes=30),
            reported_by=desk,
        )
        for permission in permissions
    )
    passages, carried = [], []
    for permission in permissions:
        for direction, minutes in (("entry", 5), ("exit", 130)):
            at = permission.starts_at + timedelta(minutes=minutes)
            passages.append(
                Passage(
                    area=area,
                    person=visitor,
                    badge_presented=visitor.badge_number or "",
                    direction=direction,
                    outcome=Passage.Outcome.ADMITTED,
                    occurred_at=at,
                    recorded_at=at,
                    recorded_by=desk,
                    visitor_permission=permission,
                    monitor=lead,
                    badge_worn=True if direction == "entry" else None,
                    only_valuables=True if direction == "entry" else None,
                    prohibited_device=False if direction == "entry" else None,
                )
            )
            carried.append(
                CarryRecord(
                    area=area,
                    direction=CarryRecord.Direction.IN
                    if direction == "entry"
                    else CarryRecord.Direction.OUT,
                    items="工具箱1個、交換用部品",
                    carried_by=visitor,
                    witness=desk,
                    checked="工具箱の中身を目視で確認。記録媒体・カメラ類なし。",
                    occurred_at=at - timedelta(minutes=2),
                    recorded_by=desk,
                )
            )
    Passage.objects.bulk_create(passages)
    CarryRecord.objects.bulk_create(carried)
    return len(permissions)


def _storage_and_patrols(area: Area, today: date, desk: Person) -> int:
    places = list(StoragePlace.objects.filter(area=area))
    have = set(StorageCheck.objects.values_list("place_id", "checked_on"))
    checks = [
        StorageCheck(
            place=place,
            checked_on=day,
            cards_expected=place.ic_cards,
            cards_present=place.ic_cards,
            locked=True,
            checked_by=desk,
            checked_at=_at(day, 18, 5),
        )
        for offset in range(DAYS, 0, -1)
        for day in [today - timedelta(days=offset)]
        for place in places
        if (place.pk, day) not in have
    ]
    StorageCheck.objects.bulk_create(checks)
    Patrol.objects.bulk_create(
        Patrol(area=area, patrolled_at=_at(day, 12, 10), patrolled_by=desk, findings="")
        for offset in range(DAYS, 30, -7)
        for day in [today - timedelta(days=offset)]
    )
    return len(checks)


def _absences(manager: Person, today: date) -> int:
    """The manager away half a day most weeks (出張), the deputy acting."""
    rows = [
        Absence(
            person=manager,
            starts_at=_at(today - timedelta(weeks=week), 13, 0),
            ends_at=_at(today - timedelta(weeks=week), 17, 0),
            reason="出張",
            recorded_by=manager,
            recorded_at=_at(today - timedelta(weeks=week, days=3), 9, 0),
        )
        for week in range(2, 52)
    ]
    Absence.objects.bulk_create(rows)
    return len(rows)


def _lookups(days: list[date], manager: Person) -> int:
    """Before the demo's month of imported lookups: the year's lookups, each day signed off."""
    log_file = LogFile.objects.order_by("pk").first()
    accounts = list(Account.objects.select_related("person"))
    if log_file is None or not accounts:
        return 0
    first = Lookup.objects.order_by("occurred_at").values_list("occurred_at", flat=True).first()
    earlier = [day for day in days if first is None or day < timezone.localdate(first)]
    rng = random.Random(20250324)  # noqa: S311 - the same fiction on every run
    rows: list[Lookup] = []
    for day in earlier:
        for index, account in enumerate(accounts):
            terminal = f"LG-0{index % 4 + 1}"
            for minute in range(0, 420, 14):
                at = _at(day, 9, 0) + timedelta(minutes=minute, seconds=rng.randrange(60))
                rows.append(
                    Lookup(
                        source_id=log_file.source_id,
                        file=log_file,
                        line_number=len(rows) + 1,
                        line_key=f"bench-{len(rows)}",
                        occurred_at=at,
                        terminal_name=terminal,
                        account_name=account.account_id,
                        account=account,
                        action=Lookup.Action.LOOKUP,
                        kind=Lookup.Kind.RESIDENT,
                        receipt_number=f"{day:%m%d}-{minute:04d}",
                        subject_hash=f"{rng.getrandbits(256):064x}",
                    )
                )
    Lookup.objects.bulk_create(rows, batch_size=2000)
    DayReview.objects.bulk_create(
        [
            DayReview(
                day=day,
                state=DayReview.State.SIGNED,
                decided_by=manager,
                decided_capacity=Capacity.MANAGER,
                decided_at=_at(day + timedelta(days=1), 9, 0),
                decision_note="確認済み",
            )
            for day in earlier
        ],
        ignore_conflicts=True,
    )
    return len(rows)


def build() -> Office:
    """The demo office with a fiscal year of history; a few seconds on SQLite."""
    load_all()
    today = timezone.localdate()
    manager = Person.objects.get(badge_number="C-0001")
    desk = Person.objects.get(badge_number="C-0004")
    lead = Person.objects.get(badge_number="K-0101")
    area = Area.objects.get()
    contract = Contract.objects.get()
    workers, staff = _more_people(today)
    _roster_and_training(contract, workers, today)
    days = [
        day
        for offset in range(DAYS, 30, -1)
        for day in [today - timedelta(days=offset)]
        if is_business_day(day)
    ]
    in_area = list(
        Person.objects.filter(organization__kind=Organization.Kind.CONTRACTOR).order_by("pk")
    ) + [desk]
    records = {
        "passages": _passages(area, in_area, days, desk),
        "visits": _visitors(area, days, manager, desk, lead),
        "storage checks": _storage_and_patrols(area, today, desk),
        "absences": _absences(manager, today),
        "lookups": _lookups(days, manager),
    }
    records["people"] = Person.objects.count()
    return Office(
        manager=manager,
        desk=desk,
        area=area,
        people=list(Person.objects.all()),
        records=records,
    )
