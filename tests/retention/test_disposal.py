"""3-6: records leave only through a disposal after their retention, recorded and audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from itaku.area import actions as area_actions
from itaku.area.models import Patrol
from itaku.audit.models import Event
from itaku.contractors import actions as contractor_actions
from itaku.contractors.models import Inspection
from itaku.core.dates import fiscal_year
from itaku.people.roles import Role
from itaku.policy.registry import assess
from itaku.retention import registry
from itaku.retention.actions import dispose, ids_sha256
from itaku.retention.events import RetentionEvent
from itaku.retention.models import Disposal, DisposalPermit, DisposedRecord
from tests.area.factories import make_area
from tests.contractors.factories import make_contract

pytestmark = pytest.mark.django_db

YEARS_AGO = timedelta(days=365 * 5)


def old_patrols(manager, count: int = 2) -> list[Patrol]:
    """Patrols recorded through the action, then dated five years back (as if kept since)."""
    area = make_area()
    patrols = []
    for _ in range(count):
        patrol = area_actions.record_patrol(area=area, findings="", by=manager)
        patrol.patrolled_at = timezone.now() - YEARS_AGO
        patrol.save(update_fields=["patrolled_at"])
        patrols.append(patrol)
    return patrols


def test_records_within_retention_cannot_be_disposed_of(manager):
    patrol = area_actions.record_patrol(area=make_area(), findings="", by=manager)
    with pytest.raises(ValidationError, match="3-6"):
        dispose("area.Patrol", patrol.fiscal_year, by=manager)
    assert Patrol.objects.filter(pk=patrol.pk).exists()
    assert not Disposal.objects.exists()


def test_records_past_retention_are_disposed_of_with_a_record_and_an_audit_event(manager):
    patrols = old_patrols(manager)
    year = fiscal_year(timezone.now() - YEARS_AGO)
    assert {patrol.fiscal_year for patrol in patrols} == {year}
    keep = area_actions.record_patrol(area=patrols[0].area, findings="", by=manager)

    disposal = dispose("area.Patrol", year, by=manager)

    assert not Patrol.objects.filter(fiscal_year=year).exists()
    assert Patrol.objects.filter(pk=keep.pk).exists()
    assert (disposal.model_label, disposal.fiscal_year, disposal.count) == ("area.patrol", year, 2)
    assert disposal.disposed_by == manager and disposal.disposed_capacity == "manager"
    ids = sorted(str(patrol.pk) for patrol in patrols)
    assert disposal.ids_sha256 == ids_sha256("area.patrol", ids)
    assert sorted(disposal.records.values_list("object_id", flat=True)) == ids
    assert "3-6" in disposal.rule
    event = Event.objects.get(code=RetentionEvent.RECORDS_DISPOSED)
    assert event.actor == manager and event.object_id == str(disposal.pk)
    assert event.changes["count"] == 2 and event.changes["ids_sha256"] == disposal.ids_sha256
    # The permit lived only inside the disposal's transaction.
    assert not DisposalPermit.objects.exists()
    # Disposed of lawfully: nothing is missing, 3-6 and its disposal count say so.
    status = assess(["3-6"], timezone.now())["3-6"]
    assert status.findings == [] and status.evidence >= 1


def test_only_the_manager_or_acting_deputy_disposes(manager, personas):
    year = old_patrols(manager)[0].fiscal_year
    with pytest.raises(ValidationError, match="3-1"):
        dispose("area.Patrol", year, by=personas[Role.CITY_STAFF])
    assert Patrol.objects.filter(fiscal_year=year).count() == 2


def test_records_of_a_contract_under_an_open_inspection_are_held(manager):
    contract = make_contract(manager)
    inspection = contractor_actions.record_inspection(
        contract,
        trigger=Inspection.Trigger.ROUTINE,
        held_on=timezone.localdate(),
        findings="なし",
        by=manager,
    )
    held_on = timezone.localdate() - YEARS_AGO
    Inspection.objects.filter(pk=inspection.pk).update(
        held_on=held_on, fiscal_year=fiscal_year(held_on)
    )
    with pytest.raises(ValidationError, match="5-11"):
        dispose("contractors.Inspection", fiscal_year(held_on), by=manager)
    assert Inspection.objects.filter(pk=inspection.pk).exists()


def test_a_record_whose_date_moved_to_a_later_year_is_not_disposed_of(manager):
    patrol = old_patrols(manager, count=1)[0]
    Patrol.objects.filter(pk=patrol.pk).update(patrolled_at=timezone.now())
    with pytest.raises(ValidationError, match="3-6"):
        dispose("area.Patrol", patrol.fiscal_year, by=manager)
    assert Patrol.objects.filter(pk=patrol.pk).exists()


def test_a_disposal_record_cannot_be_changed_or_deleted(manager):
    year = old_patrols(manager)[0].fiscal_year
    disposal = dispose("area.Patrol", year, by=manager)
    for sql in (
        "UPDATE retention_disposal SET count = 0",
        "DELETE FROM retention_disposal",
        "DELETE FROM retention_disposedrecord",
        "UPDATE retention_disposedrecord SET object_id = '0'",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert DisposedRecord.objects.filter(disposal=disposal).count() == 2


def test_an_app_can_hold_records_back_from_disposal(manager, monkeypatch):
    """The hook chapter 6 will use: an open incident holds the records it concerns."""
    monkeypatch.setattr(registry, "_holds", [])
    year = old_patrols(manager)[0].fiscal_year

    @registry.hold("an incident about them is still open (6-5).")
    def incident(model, records):
        return records if model is Patrol else None

    with pytest.raises(ValidationError, match="6-5"):
        dispose("area.Patrol", year, by=manager)
    assert Patrol.objects.filter(fiscal_year=year).count() == 2
