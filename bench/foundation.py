"""Login page and dashboard against a bare Django view, with a year of fictional records."""

from datetime import date, datetime, timedelta

from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.common import count_queries, median_seconds, ratio
from itaku.people.models import Absence, Organization, Person, RoleAssignment, User
from itaku.people.roles import Role

YEAR_START = date(2025, 4, 1)


def _a_year_of_people() -> Person:
    """40 fictional people with roles, and the manager's absences over fiscal year 2025."""
    city, _ = Organization.objects.get_or_create(name="ベンチ市", kind=Organization.Kind.CITY)
    people = Person.objects.bulk_create(
        Person(name=f"架空 {n:02d}", name_kana=f"かくう {n:02d}", organization=city)
        for n in range(40)
    )
    roles = [Role.MANAGER, Role.DEPUTY, Role.AUDITOR] + [Role.CITY_STAFF] * 37
    RoleAssignment.objects.bulk_create(
        RoleAssignment(person=person, role=role, starts_on=YEAR_START)
        for person, role in zip(people, roles, strict=True)
    )
    manager = people[0]
    day = datetime(2025, 4, 7, 9, tzinfo=timezone.get_current_timezone())
    Absence.objects.bulk_create(
        Absence(
            person=manager,
            starts_at=day + timedelta(weeks=week),
            ends_at=day + timedelta(weeks=week, hours=8),
            reason="出張",
            recorded_by=people[0],
            recorded_at=day,
        )
        for week in range(50)
    )
    manager.user = User.objects.create_user("bench-manager")
    manager.save(update_fields=["user"])
    return manager


def _signed_in(person: Person) -> Client:
    assert person.user is not None
    client = Client()
    client.force_login(person.user)
    device = TOTPDevice.objects.create(user=person.user, name="bench", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def run() -> None:
    manager = _a_year_of_people()
    anonymous = Client()
    client = _signed_in(manager)
    for path, who in [("/login/", anonymous), ("/dashboard/", client), ("/bench/bare/", client)]:
        assert who.get(path).status_code == 200, path

    bare = median_seconds(lambda: client.get("/bench/bare/"))
    login = median_seconds(lambda: anonymous.get("/login/"))
    dashboard = median_seconds(lambda: client.get("/dashboard/"), repeat=30)
    ratio("login page", login, "bare view", bare)
    ratio("dashboard (49 clauses)", dashboard, "bare view", bare)
    bare_queries = count_queries(lambda: client.get("/bench/bare/"))
    print(
        f"  SQL queries: login {count_queries(lambda: anonymous.get('/login/'))}, "
        f"dashboard {count_queries(lambda: client.get('/dashboard/'))}, "
        f"bare view {bare_queries} (session and login lookups)"
    )
