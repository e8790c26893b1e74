"""Login page and dashboard against a bare Django view, with a fiscal year of an office.

The dashboard computes all 49 clauses from the records of `bench/office.py` (a 40-person office,
a year of history across the apps). Targets: at most 15 SQL queries for the clauses
(`compliance_report.build`), and the page at most 10 times the bare view. The manager's home
page, which computes the same report for its findings, is held to the same ratio.

The pages keep the report between requests while the stored data is unchanged
(`compliance_report.current`), and the home page its viewer's to-do lists
(`kept_todo.current`): the targets are on that warm figure, the page as most requests
see it. Each page is also timed just after a change to what the report reads (one UPDATE of a
table the checks read before each request), when the report is computed again: the cold
figure, printed beside it.
"""

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import F
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


def _after_a_change(request: Callable[[], Any], procedure: Procedure, repeat: int = 15) -> float:
    """The median time of `request` just after a write to a table the report reads."""
    samples = []
    for _ in range(repeat):
        Procedure.objects.filter(pk=procedure.pk).update(loaded_at=F("loaded_at"))
        start = time.perf_counter()
        request()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run() -> None:
    office = build()
    for name, count in office.records.items():
        figure(f"{name} stored", count, "records")
    anonymous = Client()
    client = _signed_in(office.manager)
    pages = [
        ("/login/", anonymous),
        ("/dashboard/", client),
        ("/", client),
        ("/bench/bare/", client),
    ]
    for path, who in pages:
        assert who.get(path).status_code == 200, path

    bare = median_seconds(lambda: client.get("/bench/bare/"))
    login = median_seconds(lambda: anonymous.get("/login/"))
    dashboard = median_seconds(lambda: client.get("/dashboard/"), repeat=30)
    home = median_seconds(lambda: client.get("/"), repeat=30)
    procedure = Procedure.objects.current()
    assert procedure is not None
    dashboard_cold = _after_a_change(lambda: client.get("/dashboard/"), procedure)
    home_cold = _after_a_change(lambda: client.get("/"), procedure)
    ratio("login page", login, "bare view", bare)
    ratio("dashboard (49 clauses), report kept", dashboard, "bare view", bare)
    ratio("dashboard just after a change", dashboard_cold, "bare view", bare)
    ratio("manager's home page, to-dos kept", home, "bare view", bare)
    ratio("manager's home page just after a change", home_cold, "bare view", bare)
    clauses = count_queries(lambda: compliance_report.build(procedure, timezone.now()))
    bare_queries = count_queries(lambda: client.get("/bench/bare/"))
    print(
        f"  SQL queries: login {count_queries(lambda: anonymous.get('/login/'))}, "
        f"dashboard page {count_queries(lambda: client.get('/dashboard/'))}, "
        f"home page {count_queries(lambda: client.get('/'))}, "
        f"bare view {bare_queries} (session and login lookups), on {connection.vendor}"
    )
    target("SQL queries for the 49 clauses", clauses, MAX_QUERIES, "queries")
    target("dashboard / bare view", dashboard / bare, MAX_RATIO, "x")
    target("manager's home page / bare view", home / bare, MAX_RATIO, "x")
