"""Entry desk: response time with a year of history, and SQL queries per page at any size.

About 40 people and 250 working days of fictional passages (two a day each, about 20,000
records). The desk page is timed against the plain login page in the same run, and its query
count is taken at one month and at one year of history: it must not grow with the data.
"""

from datetime import date, datetime, time, timedelta

from django.test import Client
from django.utils import timezone

from bench.common import count_queries, figure, median_seconds, ratio, target
from itaku.area.models import Area, Passage
from itaku.core.dates import fiscal_year
from itaku.people.models import Person
from itaku.people.roles import Role
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


def run() -> None:
    desk = person_with_role(Role.CITY_STAFF, username="bench-desk")
    roles = [Role.CONTRACTOR_WORKER] * (PEOPLE - 2) + [Role.CONTRACTOR_LEAD, Role.CITY_STAFF]
    people = [person_with_role(role) for role in roles]
    area = Area.objects.create(name="計測区域", place="計測庁舎", boundary="床のライン")
    days = _working_days(DAYS_YEAR, timezone.localdate())
    _inside_now(area, people, desk)

    client = Client()
    assert desk.user is not None
    client.force_login(desk.user)
    url = f"/area/{area.pk}/desk/"

    def desk_page() -> None:
        assert client.get(url).status_code == 200

    def login_page() -> None:
        assert Client().get("/login/").status_code == 200

    _history(area, people, days[:DAYS_MONTH], desk)
    month_queries = count_queries(desk_page)
    month_page = median_seconds(desk_page, repeat=30)
    _history(area, people, days[DAYS_MONTH:], desk)
    year_queries = count_queries(desk_page)
    figure("passages stored (one year)", Passage.objects.count(), "records")

    login = median_seconds(login_page, repeat=30)
    page = median_seconds(desk_page, repeat=30)
    ratio("entry desk page, one month of history", month_page, "login page", login)
    ratio("entry desk page, one year of history", page, "login page", login)
    target("desk page, one year / one month of history", page / month_page, 1.2, "x")
    figure("SQL queries per desk page, one month", month_queries, "queries")
    figure("SQL queries per desk page, one year", year_queries, "queries")
    if month_queries != year_queries:
        print("  !! the desk page's query count grows with the history")
