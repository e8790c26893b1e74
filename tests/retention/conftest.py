"""One record of every evidence model, made as users make them (the demo, plus the 2-2 records
and the manager's absence the demo does not have), once for a module's tests."""

import copy
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from itaku.area.models import MonitorHandover, Passage
from itaku.contractors import actions
from itaku.contractors.models import Contract, ReturnItem
from itaku.lgwan.importer import import_log
from itaku.lgwan.models import LogSource
from itaku.lgwan.sample import sample_file
from itaku.people import actions as people_actions
from itaku.people.models import Person
from itaku.people.roles import Role


def demo_person(role: Role) -> Person:
    return Person.objects.filter(role_assignments__role=role).order_by("pk")[0]


@pytest.fixture(scope="module")
def _every_record_once(django_db_setup, django_db_blocker):
    """The records, made once for a module (loading the demo takes a second, and some sixty
    tests ask for it), inside a transaction rolled back when the module ends. Each test runs in
    a savepoint of it, rolled back after the test, as Django's TestCase does for setUpTestData.
    A test of the module that runs after the first one asking for the records sees them too:
    such tests come last in their module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            made = _every_record()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield made
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def every_record(_every_record_once, db) -> dict[str, Person]:
    return copy.deepcopy(_every_record_once)  # a test's changes to them stay its own


def _every_record() -> dict[str, Person]:
    call_command("demo", stdout=io.StringIO())
    manager, lead = demo_person(Role.MANAGER), demo_person(Role.CONTRACTOR_LEAD)
    contract = Contract.objects.get()
    today = timezone.localdate()
    actions.add_subcontractor(contract, name="架空下請株式会社", work="清掃", by=lead)
    actions.waive_provision(contract, provision_id="2-2-l", reason="別途覚書で定める。", by=manager)
    item = actions.add_return_item(
        contract, asset="申請書控え", quantity=1, method=ReturnItem.Method.RETURN, by=manager
    )
    actions.complete_return_item(item, done_on=today, by=lead)
    actions.certify_disposal(
        contract,
        what="申請書控え",
        how_many=1,
        how="溶解処理",
        disposed_on=today,
        witnessed_by="職員 例田 三郎",
        by=manager,
    )
    # The demo hands no visit over; a handover row stored as the desk stores one.
    visit = Passage.objects.filter(visitor_permission__isnull=False).order_by("pk")[0]
    MonitorHandover.objects.create(
        entry=visit,
        from_monitor=lead,
        to_monitor=lead,
        handed_at=timezone.now(),
        recorded_by=manager,
    )
    # The demo's lookup log has no bad line; a file cut short sets one aside.
    import_log(
        LogSource.objects.order_by("pk")[0],
        io.BytesIO(sample_file(["2026/11/26 09:00:00,LG-01"])),
        name="cut.csv",
        by=manager,
    )
    now = timezone.now()
    people_actions.record_absence(
        manager,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
        reason="研修で不在（架空）",
        by=manager,
    )
    return {"manager": manager, "lead": lead}
