"""The compliance report kept between requests is served only for the data it was computed
from: every table of the apps tells the database's version when it changes, whoever writes."""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from itaku.lgwan.models import Lookup
from itaku.people.roles import Role
from itaku.policy import compliance_report, dataversion
from itaku.policy.models import DataVersion, Procedure
from itaku.policy.registry import Status
from tests.lgwan.factories import at_today, load, make_source, sample_file, sample_line

pytestmark = pytest.mark.django_db


def _report() -> compliance_report.Report:
    procedure = Procedure.objects.current()
    assert procedure is not None
    return compliance_report.current(procedure)


def _status(report: compliance_report.Report, clause_id: str) -> Status:
    (row,) = [row for row in report.all_rows() if row.clause.clause_id == clause_id]
    return row.status


def _shown(page: str, clause_id: str) -> str:
    """The status class of the clause's row on the dashboard."""
    found = re.search(rf'id="clause-{clause_id}".*?status status-(\w+)', page, re.S)
    assert found is not None
    return found[1]


def _no_deputy_behind_the_app() -> None:
    """What someone with a database shell might write: the deputy's designation not yet begun."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_roleassignment SET starts_on = %s WHERE role = %s",
            ["2999-01-01", Role.DEPUTY.value],
        )


def test_every_table_of_the_apps_has_its_version_trigger():
    """A new model's table is covered by the next `migrate`, without anyone naming it."""
    tables = dataversion.watched_tables()
    assert {"people_user", "people_roleassignment", "lgwan_lookup", "audit_event"} <= set(tables)
    assert {"contractors_trainingsession_attendees", "policy_clause"} <= set(tables)
    assert dataversion.unwatched_tables("default") == []


def test_a_table_without_its_trigger_is_named():
    table = "people_roleassignment"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f'DROP TRIGGER "{dataversion.trigger_name(table)}_update"')
        else:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{table}_changed"')
    assert dataversion.unwatched_tables("default") == [table]


def test_the_kept_report_is_served_with_one_query_while_nothing_changed(
    manager, deputy, django_assert_num_queries
):
    procedure = Procedure.objects.current()
    assert procedure is not None
    report = compliance_report.current(procedure)
    with django_assert_num_queries(1):  # the data's version
        assert compliance_report.current(procedure) is report


def test_a_write_behind_the_app_turns_the_dashboard_red_on_the_next_request(
    as_role, manager, deputy
):
    client = as_role(Role.AUDITOR)
    assert _shown(client.get("/dashboard/").content.decode(), "3-1") == "ok"
    kept = _report()
    assert _shown(client.get("/dashboard/").content.decode(), "3-1") == "ok"
    assert _report() is kept, "the dashboard serves the kept report"

    _no_deputy_behind_the_app()

    page = client.get("/dashboard/").content.decode()
    assert _shown(page, "3-1") == "attention"
    assert "管理者不在時に代行する次席者が指定されていません。" in page


def test_a_report_of_a_rolled_back_transaction_is_not_served_for_other_data(manager, deputy):
    """The version read inside a transaction that is rolled back never comes back: a count would,
    with the next write, and the report of the rolled-back rows with it."""
    assert _status(_report(), "3-1") is Status.OK
    with transaction.atomic():
        _no_deputy_behind_the_app()
        rolled_back = _report()
        assert _status(rolled_back, "3-1") is Status.ATTENTION
        transaction.set_rollback(True)
    # As many writes to the same table as the rolled-back transaction made, with other data.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_roleassignment SET ends_on = NULL WHERE role = %s", ["deputy"]
        )
    report = _report()
    assert report is not rolled_back
    assert _status(report, "3-1") is Status.OK


def _findings(report: compliance_report.Report, clause_id: str) -> list[str]:
    (row,) = [row for row in report.all_rows() if row.clause.clause_id == clause_id]
    return row.result.findings


def test_each_language_and_minute_has_its_own_report(manager, deputy, monkeypatch):
    """Findings are kept as text in the language of the request that computed them."""
    _no_deputy_behind_the_app()
    report = _report()
    with translation.override("en"):
        english = _report()
    assert "管理者不在時に代行する次席者が指定されていません。" in _findings(report, "3-1")
    assert "No deputy is designated to act while the manager is absent." in _findings(
        english, "3-1"
    )
    later = timezone.now() + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _report() is not report


def test_a_report_for_another_moment_is_computed_not_kept(manager, deputy):
    procedure = Procedure.objects.current()
    assert procedure is not None
    at = timezone.now() - timedelta(days=30)
    assert compliance_report.build(procedure, at) is not compliance_report.build(procedure, at)


def _append_lookup(line_key: str) -> None:
    """A lookup line appended by hand, a copy of the imported one under another key."""
    columns = [
        field.column
        for field in Lookup._meta.concrete_fields
        if not field.primary_key and field.column != "line_key"
    ]
    names = ", ".join(f'"{column}"' for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO lgwan_lookup ({names}, line_key) "  # noqa: S608 - the model's columns
            f"SELECT {names}, %s FROM lgwan_lookup WHERE id = %s",
            [line_key, Lookup.objects.order_by("pk").first().pk],
        )


@pytest.fixture
def one_lookup(manager) -> None:
    load(make_source(), sample_file([sample_line(at_today(9), "LG-01", "U1001")]))
    assert Lookup.objects.count() == 1


def test_a_lookup_appended_behind_the_app_changes_the_version(one_lookup):
    """The lookup log is appended without a trigger per line on SQLite: its greatest ID is
    read instead."""
    before = dataversion.key("default")
    _append_lookup("appended-by-hand")
    assert dataversion.key("default") != before


def test_lookups_appended_in_a_rolled_back_savepoint_do_not_lend_their_version(one_lookup):
    """SQLite gives a rolled-back row's ID again: the version read beside it must not come back
    with the other row."""
    with transaction.atomic():
        _append_lookup("rolled-back")
        inside = dataversion.key("default")
        transaction.set_rollback(True)
    _append_lookup("stored-after")
    assert dataversion.key("default") != inside


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps a row per table")
def test_the_versions_of_ended_sessions_are_pruned_and_a_live_ones_kept(manager):
    """On PostgreSQL each database session writes its own row, so that no writer waits for
    another's; the rows of sessions that have ended go."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    ended = DataVersion.objects.create(writer="backend 2147483646", token="0" * 32)
    before = dataversion.key("default")
    assert dataversion.prune("default") == 1
    writers = set(DataVersion.objects.values_list("writer", flat=True))
    assert ended.writer not in writers
    assert f"backend {pid}" in writers
    assert dataversion.key("default") != before
