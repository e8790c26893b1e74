"""Lookup logs are evidence (3-6, 4-4): kept by fiscal year, disposed of only after their
retention and never while an incident holds their year, and missed when they vanish."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import override

from itaku.core.dates import fiscal_year
from itaku.incidents.models import Incident
from itaku.lgwan.models import Lookup, RejectedLine
from itaku.people.roles import Role
from itaku.policy.registry import Status, assess
from itaku.retention.actions import dispose
from tests.database_owner import guard_dropped
from tests.incidents.factories import reported
from tests.lgwan.factories import load, sample_file, sample_line

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=365 * 5)


def status(clause: str):
    with override("en"):
        return assess([clause], timezone.now())[clause]


def _old_and_new(source):
    """A file with two lookups of five years ago, one of yesterday and a line cut short."""
    lines = [
        sample_line(LONG_AGO, "LG-01", "U1001", receipt="R-1"),
        sample_line(LONG_AGO + timedelta(minutes=1), "LG-01", "U1001", receipt="R-2"),
        sample_line(timezone.now() - timedelta(days=1), "LG-01", "U1001", receipt="R-3"),
        "2026/11/26 09:00:00,LG-01",
    ]
    return load(source, sample_file(lines), name="old-and-new.csv").file


def test_each_lookup_keeps_the_fiscal_year_of_its_time(source):
    log_file = _old_and_new(source)

    years = sorted(Lookup.objects.values_list("fiscal_year", flat=True))
    assert years == [fiscal_year(LONG_AGO)] * 2 + [fiscal_year(timezone.now() - timedelta(1))]
    assert RejectedLine.objects.get().fiscal_year == log_file.fiscal_year


def test_a_lookup_deleted_behind_the_guard_is_missed_naming_its_file(source):
    log_file = _old_and_new(source)
    assert not any("audit trail" in f for f in status("4-4").findings)
    gone = Lookup.objects.get(receipt_number="R-3")

    with guard_dropped(Lookup._meta.db_table), connection.cursor() as cursor:
        cursor.execute("DELETE FROM lgwan_lookup WHERE id = %s", [gone.pk])

    for clause in ("4-4", "3-6"):
        result = status(clause)
        assert result.status is Status.ATTENTION
        (finding,) = [f for f in result.findings if "counted in the audit trail" in f]
        assert "1 records of lookups (4-4)" in finding
        assert f"file {log_file.pk}, fiscal year {gone.fiscal_year}: 1 of 1" in finding


def test_a_rejected_line_deleted_behind_the_guard_is_missed(source):
    log_file = _old_and_new(source)

    with guard_dropped(RejectedLine._meta.db_table), connection.cursor() as cursor:
        cursor.execute("DELETE FROM lgwan_rejectedline")

    (finding,) = [f for f in status("4-4").findings if "rejected lines" in f]
    assert f"file {log_file.pk}" in finding


def test_lookups_past_their_retention_are_disposed_of_and_not_missed(source, manager):
    _old_and_new(source)
    year = fiscal_year(LONG_AGO)

    disposal = dispose("lgwan.Lookup", year, by=manager)

    assert disposal.count == 2
    assert list(Lookup.objects.values_list("receipt_number", flat=True)) == ["R-3"]
    assert not any("audit trail" in f for f in status("4-4").findings)


def test_an_open_incident_holds_the_lookups_of_its_years(source, manager, personas):
    _old_and_new(source)
    year = fiscal_year(LONG_AGO)
    incident = reported(personas, known_at=LONG_AGO)

    with pytest.raises(ValidationError, match="6-5"):
        dispose("lgwan.Lookup", year, by=manager)
    assert Lookup.objects.filter(fiscal_year=year).count() == 2

    Incident.objects.filter(pk=incident.pk).update(state=Incident.State.CLOSED)
    assert dispose("lgwan.Lookup", year, by=personas[Role.MANAGER]).count == 2
