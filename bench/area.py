"""Entry desk: response time with a year of history, and SQL queries per page at any size.

About 40 people and 250 working days of fictional passages (two a day each, about 20,000
records), a visitor's approved visit and an approved carry-in each day, in one database; the
same with 20 days in another. The two desks and the
plain login page are timed in turns, a few requests of each at a time, so that a load on the
machine weighs on both sizes alike; the figure is the median of the year-to-month ratios
within a round. The query count, taken at each size, must not grow with the data either.
"""

import copy
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.test import Client
from django.utils import timezone

from bench.common import alternated, count_queries, figure, ratio, round_target
from itaku.area.models import Area, CarryInRequest, DeviceCategory, Passage, VisitorPermission
from itaku.core.dates import fiscal_year
from itaku.people.models import Person
from itaku.people.roles import Capacity, Role
from tests.area.factories import make_visitor
from tests.factories import person_with_role

PEOPLE = 40
DAYS_MONTH = 20
DAYS_YEAR = 250


def _working_days(count: int, end: date) -> list[date]:
    days: list[date] = []
    day = end
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def _history(area: Area, people: list[Person], days: list[date], desk: Person) -> None:
    zone = timezone.get_current_timezone()
    rows = []
    for day in days:
        for index, person in enumerate(people):
            for direction, clock in (
                ("entry", time(8, index % 50)),
                ("exit", time(17, index % 50)),
            ):
                at = datetime.combine(day, clock, tzinfo=zone)
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
                        badge_worn=True if direction == "entry" else None,
                        only_valuables=True if direction == "entry" else None,
                        prohibited_device=False if direction == "entry" else None,
                        fiscal_year=fiscal_year(day),
                    )
                )
    Passage.objects.bulk_create(rows, batch_size=2000)


def _decided(days: list[date], visitor: Person, people: list[Person], desk: Person) -> None:
    """A visitor's approved morning visit and a worker's approved one-day carry-in (3-4,
    3-12) on each working day: past decisions that the desk still reads through."""
    zone = timezone.get_current_timezone()
    lead, worker = people[-2], people[0]
    category = DeviceCategory.objects.get(number=4)
    decided = {
        "state": VisitorPermission.State.APPROVED,
        "decided_by": desk,
        "decided_capacity": Capacity.MANAGER,
        "requested_by": lead,
    }
    VisitorPermission.objects.bulk_create(
        VisitorPermission(
            person=visitor,
            purpose="発券機の点検",
            starts_at=datetime.combine(day, time(9), tzinfo=zone),
            ends_at=datetime.combine(day, time(12), tzinfo=zone),
            monitor=lead,
            requested_at=datetime.combine(day, time(8), tzinfo=zone),
            decided_at=datetime.combine(day, time(8, 30), tzinfo=zone),
            fiscal_year=fiscal_year(day),
            **decided,
        )
        for day in days
    )
    CarryInRequest.objects.bulk_create(
        CarryInRequest(
            person=worker,
            category=category,
            device="勤怠管理用ノートパソコン",
            reason="勤怠管理のため",
            starts_on=day,
            ends_on=day,
            storage_place="施錠キャビネットA",
            requested_at=datetime.combine(day, time(8), tzinfo=zone),
            decided_at=datetime.combine(day, time(8, 30), tzinfo=zone),
            fiscal_year=fiscal_year(day),
            **decided,
        )
        for day in days
    )


def _inside_now(area: Area, people: list[Person], desk: Person) -> None:
    """A quarter of the people are inside at the time of measuring, as on a working day."""
    now = timezone.now()
    Passage.objects.bulk_create(
        Passage(
            area=area,
            person=person,
            badge_presented=person.badge_number or "",
            direction="entry",
            outcome=Passage.Outcome.ADMITTED,
            occurred_at=now - timedelta(minutes=5),
            recorded_at=now - timedelta(minutes=5),
            recorded_by=desk,
            badge_worn=True,
            only_valuables=True,
            prohibited_device=False,
            fiscal_year=fiscal_year(now),
        )
        for person in people[: PEOPLE // 4]
    )


class _Desk:
    """One area's entry desk with `days` of history, in a database of its own."""

    def __init__(self, days: int, database: BaseDatabaseWrapper) -> None:
        self.database = database
        with self.active():
            call_command("migrate", verbosity=0)
            desk = person_with_role(Role.CITY_STAFF, username="bench-desk")
            roles = [Role.CONTRACTOR_WORKER] * (PEOPLE - 2)
            people = [
                person_with_role(role) for role in roles + [Role.CONTRACTOR_LEAD, Role.CITY_STAFF]
            ]
            area = Area.objects.create(name="計測区域", place="計測庁舎", boundary="床のライン")
            _inside_now(area, people, desk)
            history = _working_days(days, timezone.localdate())
            _history(area, people, history, desk)
            _decided(history, make_visitor(), people, desk)
            if database.vendor == "postgresql":
                # Statistics as autovacuum keeps them in service; read right after the bulk
                # load, the planner took the tables for nearly empty (and so did any figure).
                with database.cursor() as cursor:
                    cursor.execute("ANALYZE")
            self.passages = Passage.objects.count()
            self.client = Client()
            assert desk.user is not None
            self.client.force_login(desk.user)
            self.url = f"/area/{area.pk}/desk/"
            self.page()
            self.queries = count_queries(self.page)

    @contextmanager
    def active(self) -> Iterator[None]:
        """Every query, the test client's included, goes to this desk's database meanwhile."""
        saved = connections[DEFAULT_DB_ALIAS]
        connections[DEFAULT_DB_ALIAS] = self.database
        try:
            yield
        finally:
            connections[DEFAULT_DB_ALIAS] = saved

    def page(self) -> None:
        assert self.client.get(self.url).status_code == 200

    def timed_page(self) -> None:
        with self.active():
            self.page()


@contextmanager
def _second_database() -> Iterator[BaseDatabaseWrapper]:
    """A fresh, empty database beside the configured one, dropped afterwards."""
    current = connections[DEFAULT_DB_ALIAS]
    settings = copy.deepcopy(current.settings_dict)
    if current.vendor == "sqlite":
        settings["NAME"] = str(Path(settings["NAME"]).with_suffix(".year.sqlite3"))
    else:
        settings["NAME"] = f"{settings['NAME']}_year"
        with current.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    database = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, DEFAULT_DB_ALIAS)
    try:
        yield database
    finally:
        database.close()
        if current.vendor == "sqlite":
            Path(settings["NAME"]).unlink(missing_ok=True)
        else:
            with current.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')


def run() -> None:
    month = _Desk(DAYS_MONTH, connections[DEFAULT_DB_ALIAS])
    with _second_database() as database:
        year = _Desk(DAYS_YEAR, database)
        figure("passages stored (one month)", month.passages, "records")
        figure("passages stored (one year)", year.passages, "records")

        def login_page() -> None:
            with month.active():
                assert Client().get("/login/").status_code == 200

        login, month_page, year_page = alternated(login_page, month.timed_page, year.timed_page)
    ratio(
        "entry desk page, one month of history",
        statistics.median(month_page),
        "login page",
        statistics.median(login),
    )
    ratio(
        "entry desk page, one year of history",
        statistics.median(year_page),
        "login page",
        statistics.median(login),
    )
    round_target("desk page, one year / one month of history", year_page, month_page, 1.2)
    figure("SQL queries per desk page, one month", month.queries, "queries")
    figure("SQL queries per desk page, one year", year.queries, "queries")
    if month.queries != year.queries:
        print("  !! the desk page's query count grows with the history")
