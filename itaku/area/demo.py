"""Demo area: one controlled area and a month of fictional entry-desk history.

Uses the demo people of `itaku/people/demo.py`, found by badge number. The history lies in the
past, so it is written as records with their past times rather than through the desk's actions
(which always use the server's clock); everything done "now" goes through the actions.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from itaku.area import actions
from itaku.area.models import (
    AfterHoursPermission,
    Area,
    CarryInRequest,
    CarryRecord,
    DeviceCategory,
    Passage,
    Patrol,
    StorageCheck,
    StoragePlace,
    VisitorPermission,
    WorkDeclaration,
)
from itaku.core.business_days import closed_on
from itaku.core.demo_data import DemoLogin
from itaku.people.models import Organization, Person
from itaku.people.roles import Capacity

AREA_NAME = "旅券窓口 委託作業管理区域"
STAFF_BADGES = ["K-0101", "K-0102", "K-0103", "K-0104", "K-0105", "C-0004"]
VISITOR_ORG = "架空設備保守株式会社"
HISTORY_DAYS = 30


def _badge(number: str) -> Person:
    return Person.objects.get(badge_number=number)


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _working_days(today: date) -> list[date]:
    days = [today - timedelta(days=offset) for offset in range(HISTORY_DAYS, 0, -1)]
    return [day for day in days if not closed_on(day)]


def load() -> list[DemoLogin]:
    if Area.objects.filter(name=AREA_NAME).exists():
        return []
    manager, staff, lead = _badge("C-0001"), _badge("C-0004"), _badge("K-0101")
    today = timezone.localdate()
    area = actions.register_area(
        name=AREA_NAME,
        place="本庁舎2階 市民生活総務課 執務室内",
        boundary="ローパーティションと床の黄色ラインで区画。出入口は1か所で、入退室端末を置く。",
        signage_checked_on=today - timedelta(days=14),
        closing_time=time(18, 0),
        by=manager,
    )
    _history(area, today, staff)
    _visitor(area, today, manager, staff, lead)
    _devices(today, manager, lead)
    _after_hours(area, today, manager, lead)
    _storage(area, today, manager, staff, lead)
    return []


def _passage(area: Area, person: Person, direction: str, at: datetime, by: Person) -> Passage:
    entry = direction == Passage.Direction.ENTRY
    return Passage.objects.create(
        area=area,
        person=person,
        badge_presented=person.badge_number or "",
        direction=direction,
        outcome=Passage.Outcome.ADMITTED,
        occurred_at=at,
        recorded_at=at,
        recorded_by=by,
        badge_worn=True if entry else None,
        only_valuables=True if entry else None,
        prohibited_device=False if entry else None,
    )


def _history(area: Area, today: date, desk: Person) -> None:
    """A month of ordinary days: staff in around 8:45, out around 17:30."""
    rng = random.Random(20250401)  # noqa: S311 - the same fiction on every machine, not security
    people = [_badge(number) for number in STAFF_BADGES]
    for day in _working_days(today):
        for person in people:
            _passage(area, person, "entry", _at(day, 8, 30 + rng.randrange(25)), desk)
            _passage(area, person, "exit", _at(day, 17, 15 + rng.randrange(30)), desk)
    # One refused attempt: a worker who came without the name tag (3-7).
    refused_day = _working_days(today)[-3]
    worker = _badge("K-0103")
    Passage.objects.create(
        area=area,
        person=worker,
        badge_presented=worker.badge_number or "",
        direction=Passage.Direction.ENTRY,
        outcome=Passage.Outcome.REFUSED,
        refusals=[
            {
                "clause_id": "3-7",
                "reason": {
                    "ja": "身分証明書又は名札を着用していません。",
                    "en": "No ID card or name tag is worn.",
                },
            }
        ],
        occurred_at=_at(refused_day, 8, 20),
        recorded_at=_at(refused_day, 8, 20),
        recorded_by=desk,
        badge_worn=False,
        only_valuables=True,
        prohibited_device=False,
    )


def _visitor(area: Area, today: date, manager: Person, desk: Person, lead: Person) -> None:
    """A maintenance visitor who declared the work, was watched by the lead, and reported."""
    org, _created = Organization.objects.get_or_create(
        name=VISITOR_ORG, defaults={"kind": Organization.Kind.VISITOR}
    )
    visitor, _created = Person.objects.get_or_create(
        badge_number="V-0001",
        defaults={"name": "保守 架空太郎", "name_kana": "ほしゅ かくうたろう", "organization": org},
    )
    day = _working_days(today)[-5]
    permission = VisitorPermission.objects.create(
        person=visitor,
        purpose="窓口用発券機の定期点検",
        starts_at=_at(day, 13, 0),
        ends_at=_at(day, 16, 0),
        monitor=lead,
        works_in_area=True,
        state=VisitorPermission.State.APPROVED,
        requested_by=desk,
        requested_at=_at(day - timedelta(days=3), 10, 0),
        decided_by=manager,
        decided_capacity=Capacity.MANAGER,
        decided_at=_at(day - timedelta(days=2), 9, 30),
    )
    WorkDeclaration.objects.create(
        permission=permission,
        work="発券機の動作確認と消耗部品（ローラー）の交換。端末・書類には触れない。",
        declared_at=_at(day - timedelta(days=1), 15, 0),
        declared_by=desk,
        report_content="発券機2台の動作確認、ローラー1点を交換。",
        report_result="正常動作を確認。持ち出し品なし。",
        reported_at=_at(day, 15, 30),
        reported_by=desk,
    )
    entry = _passage(area, visitor, "entry", _at(day, 13, 5), desk)
    exit_ = _passage(area, visitor, "exit", _at(day, 15, 10), desk)
    Passage.objects.filter(pk__in=[entry.pk, exit_.pk]).update(
        visitor_permission=permission, monitor=lead
    )
    CarryRecord.objects.create(
        area=area,
        direction=CarryRecord.Direction.IN,
        items="工具箱1個、交換用ローラー1点",
        carried_by=visitor,
        witness=desk,
        checked="工具箱の中身を目視で確認。記録媒体・カメラ類なし。",
        occurred_at=_at(day, 13, 3),
        recorded_by=desk,
    )
    CarryRecord.objects.create(
        area=area,
        direction=CarryRecord.Direction.OUT,
        items="工具箱1個、交換済みローラー1点",
        carried_by=visitor,
        witness=desk,
        checked="搬入時と同じ内容であること、書類の混入がないことを確認。",
        occurred_at=_at(day, 15, 8),
        recorded_by=desk,
    )
    # A second visit, requested and waiting for the manager's decision.
    actions.request_visitor_permission(
        person=visitor,
        purpose="発券機の部品交換後の再点検",
        starts_at=_at(today + timedelta(days=7), 13, 0),
        ends_at=_at(today + timedelta(days=7), 15, 0),
        monitor=lead,
        works_in_area=True,
        by=desk,
    )


def _after_hours(area: Area, today: date, manager: Person, lead: Person) -> None:
    """3-3: an evening of stocktaking after closing time, allowed by the manager."""
    day = _working_days(today)[-2]
    AfterHoursPermission.objects.create(
        person=lead,
        area=area,
        starts_at=_at(day, 18, 0),
        ends_at=_at(day, 20, 0),
        reason="月末の申請書類の棚卸し",
        state=AfterHoursPermission.State.APPROVED,
        requested_by=lead,
        requested_at=_at(day, 9, 30),
        decided_by=manager,
        decided_capacity=Capacity.MANAGER,
        decided_at=_at(day, 11, 0),
    )


def _devices(today: date, manager: Person, lead: Person) -> None:
    """An approved device carry-in for the current month, and one whose approval expired."""
    pc = DeviceCategory.objects.get(number=4)
    conditions = str(CarryInRequest.STANDARD_CONDITIONS)
    for device, starts, ends, reason in [
        (
            "勤怠管理用ノートパソコン（受託者所有・1台）",
            today - timedelta(days=20),
            today + timedelta(days=40),
            "受託者の勤怠・シフト管理のため。委託業務の個人情報は扱わない。",
        ),
        (
            "研修用タブレット（受託者所有・1台）",
            today - timedelta(days=40),
            today - timedelta(days=10),
            "新任従事者研修の教材表示のため。",
        ),
    ]:
        requested_at = _at(starts - timedelta(days=5), 10, 0)
        CarryInRequest.objects.create(
            person=lead,
            category=pc,
            device=device,
            reason=reason,
            starts_on=starts,
            ends_on=ends,
            storage_place="施錠キャビネットA 下段",
            state=CarryInRequest.State.APPROVED,
            requested_by=lead,
            requested_at=requested_at,
            conditions=conditions,
            decided_by=manager,
            decided_capacity=Capacity.MANAGER,
            decided_at=requested_at + timedelta(days=1),
        )


def _storage(area: Area, today: date, manager: Person, staff: Person, lead: Person) -> None:
    """Storage places, a daily IC-card check for the month, weekly clean-desk patrols."""
    places = [
        actions.register_storage_place(
            area=area,
            name="施錠キャビネットA",
            kind=StoragePlace.Kind.CABINET,
            contents="LGWAN端末ICカード、申請書類（個人情報を含む）",
            key_holder=staff,
            ic_cards=5,
            by=manager,
        ),
        actions.register_storage_place(
            area=area,
            name="業務責任者の施錠机",
            kind=StoragePlace.Kind.DESK,
            contents="非公開の業務マニュアル、当日の処理簿",
            key_holder=lead,
            ic_cards=0,
            by=manager,
        ),
    ]
    for offset in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        for place in places:
            StorageCheck.objects.create(
                place=place,
                checked_on=day,
                cards_expected=place.ic_cards,
                cards_present=place.ic_cards,
                locked=True,
                checked_by=staff,
                checked_at=_at(day, 18, 5),
            )
    for day in _working_days(today)[::5]:
        Patrol.objects.create(
            area=area,
            patrolled_at=_at(day, 12, 10),
            patrolled_by=staff,
            findings=""
            if day != _working_days(today)[0]
            else "昼休み中の机上に申請書1枚。本人に返却し指導。",
        )
