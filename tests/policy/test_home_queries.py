"""The manager's home page lists her to-do items in a bounded number of SQL queries.

On the demo office, and again once it has grown (twenty more workers on a new roster, trained,
with LGWAN IDs, inspections, and more requests waiting for her decision), the page asks the
database the same number of questions: a to-do list that asked once per request, person or
report (an N+1) would add a query per record added.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from itaku.area import actions as area_actions
from itaku.area.models import DeviceCategory
from itaku.core.demo_data import load_all
from itaku.people.models import Person
from itaku.policy import dataversion
from tests.area.factories import make_visitor, permission
from tests.conftest import sign_in
from tests.policy.test_dashboard_queries import _grow

# What the page may ask: the session and login, the to-do lists, the compliance findings.
MAX_QUERIES = 30


def _manager() -> Person:
    return Person.objects.get(badge_number="C-0001")


def _queries() -> tuple[int, str]:
    client = sign_in(Client(), _manager())
    # Inside the test's transaction the first version read also writes the transaction's token
    # (`itaku.policy.dataversion`): once, not per page.
    dataversion.key(connection.alias)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def _more_requests(count: int) -> None:
    """Visitor permissions and device carry-ins, each waiting for the manager."""
    lead = Person.objects.get(badge_number="K-0101")
    worker = Person.objects.get(badge_number="K-0102")
    today = timezone.localdate()
    for number in range(count):
        visitor = make_visitor(f"訪問 架空{number}", f"V-70{number}", registered_by=lead)
        permission(visitor, lead, requested_by=lead)
        area_actions.request_carry_in(
            person=worker,
            category=DeviceCategory.objects.get(number=4),
            device=f"見本の点検用端末{number}",
            reason="点検のため",
            starts_on=today,
            ends_on=today + timedelta(days=5),
            storage_place="施錠キャビネットA",
            by=worker,
        )


@pytest.mark.django_db
def test_manager_home_queries_do_not_grow_with_the_records():
    load_all()
    small, html = _queries()
    _grow(timezone.localdate())
    _more_requests(4)
    grown, grown_html = _queries()
    assert grown_html.count("訪問 架空") >= 4, "the requests added are listed"
    assert grown == small, f"{small} queries before, {grown} after adding records: an N+1"
    assert grown <= MAX_QUERIES
