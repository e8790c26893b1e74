"""Login page and dashboard against a bare Django view, with a fiscal year of an office.

The dashboard computes all 49 clauses from the records of `bench/office.py` (a 40-person office,
a year of history across the apps). Targets: at most 15 SQL queries for the clauses
(`compliance_report.build`), and the page at most 10 times the bare view.
"""

from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.common import count_queries, figure, median_seconds, ratio, target
from bench.office import build
from itaku.people.models import Person, User
from itaku.policy import compliance_report
from itaku.policy.models import Procedure

MAX_QUERIES = 15
MAX_RATIO = 10.0


def _signed_in(person: Person) -> Client:
    if person.user is None:
        person.user = User.objects.create_user("bench-manager")
        person.save(update_fields=["user"])
    client = Client()
    client.force_login(person.user)
    device = TOTPDevice.objects.filter(user=person.user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=person.user, name="bench", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def run() -> None:
    office = build()
    for name, count in office.records.items():
        figure(f"{name} stored", count, "records")
    anonymous = Client()
    client = _signed_in(office.manager)
    for path, who in [("/login/", anonymous), ("/dashboard/", client), ("/bench/bare/", client)]:
        assert who.get(path).status_code == 200, path

    bare = median_seconds(lambda: client.get("/bench/bare/"))
    login = median_seconds(lambda: anonymous.get("/login/"))
    dashboard = median_seconds(lambda: client.get("/dashboard/"), repeat=30)
    ratio("login page", login, "bare view", bare)
    ratio("dashboard (49 clauses)", dashboard, "bare view", bare)
    procedure = Procedure.objects.current()
    assert procedure is not None
    clauses = count_queries(lambda: compliance_report.build(procedure, timezone.now()))
    bare_queries = count_queries(lambda: client.get("/bench/bare/"))
    print(
        f"  SQL queries: login {count_queries(lambda: anonymous.get('/login/'))}, "
        f"dashboard page {count_queries(lambda: client.get('/dashboard/'))}, "
        f"bare view {bare_queries} (session and login lookups), on {connection.vendor}"
    )
    target("SQL queries for the 49 clauses", clauses, MAX_QUERIES, "queries")
    target("dashboard / bare view", dashboard / bare, MAX_RATIO, "x")
