"""The dashboard's clauses are computed in a bounded number of SQL queries, whatever the data.

On the demo office, and again once it has grown (twenty more workers on a new roster, trained,
with LGWAN IDs, a second terminal's verifications, more inspections and reports), the report
asks the database the same number of questions: a check that asked once per person, contract,
terminal or report (an N+1) would add a query per record added.
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.office import _more_people, _roster_and_training
from itaku.area.models import Area
from itaku.contractors import actions as contractor_actions
from itaku.contractors.models import Contract, Inspection
from itaku.core.demo_data import load_all
from itaku.lgwan import actions as lgwan_actions
from itaku.lgwan.models import Measure
from itaku.people.models import Person
from itaku.policy import compliance_report
from itaku.policy.models import Procedure

# The queries `compliance_report.build` may ask for all 49 clauses (the target is 15).
MAX_QUERIES = 10


def _queries() -> int:
    procedure = Procedure.objects.current()
    assert procedure is not None
    with CaptureQueriesContext(connection) as captured:
        report = compliance_report.build(procedure, timezone.now())
    assert len(report.all_rows()) >= 49
    return len(captured.captured_queries)


def _grow(today: date) -> None:
    manager = Person.objects.get(badge_number="C-0001")
    workers, _staff = _more_people(today)
    contract = Contract.objects.get()
    _roster_and_training(contract, workers, today)
    for number, worker in enumerate(workers[:8]):
        lgwan_actions.issue_account(account_id=f"LG-B{number:03d}", person=worker, by=manager)
    terminal = lgwan_actions.register_terminal(
        asset_number="LG-09",
        place="見本 予備カウンター",
        area=Area.objects.get(),
        media_block_method="USBストレージ無効化（見本）",
        screen_lock_minutes=30,
        verify_every_days=30,
        by=manager,
    )
    for measure in Measure:
        lgwan_actions.verify_terminal(
            terminal, measure=measure, passed=True, note="見本", by=manager, at=timezone.now()
        )
    for days in (20, 40):
        contractor_actions.record_inspection(
            contract,
            trigger=Inspection.Trigger.ROUTINE,
            held_on=today - timedelta(days=days),
            findings="見本の点検、指摘なし。",
            by=manager,
        )


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_the_records():
    load_all()
    small = _queries()
    _grow(timezone.localdate())
    grown = _queries()
    assert grown == small, f"{small} queries before, {grown} after adding records: an N+1"
    assert grown <= MAX_QUERIES
