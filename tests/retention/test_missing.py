"""A record deleted behind the application is found against the audit trail (3-6).

Each test plays the database owner: the guard is dropped (or a permit forged) inside the test's
own transaction, a record is deleted, and the clause it is evidence for turns to attention,
naming what is missing. A lawful disposal leaves the clauses as they were.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.translation import override

from itaku.area import actions as area_actions
from itaku.audit.models import Event
from itaku.contractors import actions
from itaku.contractors.models import Pledge
from itaku.people.roles import Role
from itaku.policy.registry import Status, assess
from itaku.retention import registry
from itaku.retention.actions import dispose
from itaku.retention.guard import PERMIT
from itaku.retention.models import Disposal
from tests.area.factories import make_area
from tests.contractors.factories import make_contract, pdf_scan
from tests.database_owner import guard_dropped

pytestmark = pytest.mark.django_db


def status(clause: str):
    with override("en"):
        return assess([clause], timezone.now())[clause]


def pledge(manager, lead) -> Pledge:
    contract = make_contract(manager, contractor=lead.organization)
    return actions.submit_pledge(
        contract,
        person=None,
        signed_on=timezone.localdate(),
        filename="pledge.pdf",
        data=pdf_scan(),
        by=lead,
    )


def test_a_pledge_deleted_behind_the_guard_turns_5_3_and_3_6_to_attention(manager, personas):
    made = pledge(manager, personas[Role.CONTRACTOR_LEAD])
    assert status("5-3").findings == [] and status("3-6").findings == []

    with guard_dropped(Pledge._meta.db_table), connection.cursor() as cursor:
        cursor.execute("DELETE FROM contractors_pledge WHERE id = %s", [made.pk])

    for clause in ("5-3", "3-6"):
        result = status(clause)
        assert result.status is Status.ATTENTION
        (finding,) = [f for f in result.findings if "pledges" in f]
        assert "1 records of pledges (5-3)" in finding and str(made.pk) in finding
    # Only the pledge's clause and 3-6: the roster's clause has nothing missing.
    assert not any("audit trail" in finding for finding in status("5-1").findings)


def test_a_passage_deleted_with_a_forged_permit_turns_3_6_to_attention(manager):
    area = make_area()
    patrol = area_actions.record_patrol(area=area, findings="", by=manager)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PERMIT} (table_name, fiscal_year) VALUES ('area_patrol', %s)",  # noqa: S608
            [patrol.fiscal_year],
        )
        cursor.execute("DELETE FROM area_patrol WHERE id = %s", [patrol.pk])
    result = status("3-6")
    assert result.status is Status.ATTENTION
    assert any("clean-desk patrols (3-6)" in finding for finding in result.findings)


def test_a_deleted_disposal_record_is_found_as_well(manager):
    area = make_area()
    patrol = area_actions.record_patrol(area=area, findings="", by=manager)
    patrol.patrolled_at = timezone.now() - timedelta(days=365 * 5)
    patrol.save(update_fields=["patrolled_at"])
    disposal = dispose("area.Patrol", patrol.fiscal_year, by=manager)
    assert status("3-6").findings == []

    with guard_dropped("retention_disposedrecord"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM retention_disposedrecord")
    findings = status("3-6").findings
    assert any("clean-desk patrols" in finding for finding in findings)
    assert Disposal.objects.filter(pk=disposal.pk).exists()


def test_records_made_outside_the_actions_are_not_reported(manager):
    """No audit event names them, so nothing can be said to be missing: only what the trail
    proves to have existed is compared."""
    make_area()
    assert status("3-6").findings == []


def test_finding_vanished_records_is_one_query_whatever_the_number_of_models(manager):
    from django.test.utils import CaptureQueriesContext

    from itaku.retention import compliance

    area_actions.record_patrol(area=make_area(), findings="", by=manager)
    with CaptureQueriesContext(connection) as captured:
        assert compliance.missing(registry.evidence_models()) == {}
    assert len(captured.captured_queries) == 1


@pytest.mark.parametrize("clause", sorted(registry.by_clause()))
def test_each_clause_turns_to_attention_when_its_evidence_vanishes(clause, every_record):
    """The break and repair of every check this app registers: ok, then a record of the
    clause deleted behind the guard, then attention naming the model."""
    assert not any("audit trail" in finding for finding in status(clause).findings)
    for model in registry.by_clause()[clause]:
        label = model._meta.label_lower
        named = Event.objects.filter(object_type=label).values_list("object_id", flat=True)
        record = model._default_manager.filter(pk__in=[int(pk) for pk in named]).first()
        if record is not None:
            break
    else:
        pytest.fail(f"no record of {clause} named in the audit trail")
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" WHERE id = %s', [record.pk])  # noqa: S608
        columns, row = [column[0] for column in cursor.description], cursor.fetchone()
        with guard_dropped(table):
            cursor.execute(f'DELETE FROM "{table}" WHERE id = %s', [record.pk])  # noqa: S608

        result = status(clause)

        # Put the row back, so the records that refer to it stay consistent for teardown.
        cursor.execute(
            f'INSERT INTO "{table}" ({", ".join(columns)}) '  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            list(row),
        )
    assert result.status is Status.ATTENTION
    with override("en"):
        name = str(model._meta.verbose_name_plural)
    assert any(name in finding for finding in result.findings)
    assert not any("audit trail" in finding for finding in status(clause).findings)
