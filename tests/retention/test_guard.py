"""Evidence cannot disappear: the database refuses to delete it, whoever asks (3-6)."""

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from itaku.contractors.models import Contract, TrainingSession
from itaku.people.models import Person
from itaku.retention import registry
from itaku.retention.guard import evidence_tables, guarded_tables
from itaku.retention.models import FiscalRecord

pytestmark = pytest.mark.django_db

# Master data of the evidence apps: not records of what happened, so not kept by fiscal year.
MASTER_DATA = {
    "area.Area",
    "area.DeviceCategory",
    "area.StoragePlace",
    "area.CardReader",
    # Who may request for a visitor: part of the person's record, like their organisation.
    "area.VisitorRegistration",
    # The terminals' register, the log sources and the review rules' settings: what the
    # evidence of chapter 4 refers to; their changes are in the audit trail.
    "lgwan.Terminal",
    "lgwan.LogSource",
    "lgwan.Rule",
    # Counts worked out from the lookups for the volume rule, not a record of anything.
    "lgwan.DayCount",
}
EVIDENCE_APPS = ("area", "contractors", "lgwan")


def labels(models) -> list[str]:
    return [model._meta.label for model in models]


def test_every_model_of_the_evidence_apps_is_evidence_or_named_master_data():
    """A new model of the area, the contractor or LGWAN is kept by fiscal year unless named
    here."""
    unkept = [
        model._meta.label
        for app in EVIDENCE_APPS
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, FiscalRecord) and model._meta.label not in MASTER_DATA
    ]
    assert unkept == []


def test_every_evidence_model_is_in_the_registry_and_guarded_by_the_database():
    concrete = {model for model in apps.get_models() if issubclass(model, FiscalRecord)}
    assert concrete == set(registry.evidence_models())
    guarded = guarded_tables(connection)
    unguarded = [
        table
        for model in [*registry.evidence_models(), *registry.DISPOSAL_MODELS]
        for table, _parent in evidence_tables(model)
        if table not in guarded
    ]
    # A migration that remakes a table on SQLite drops its trigger: guard it again there.
    assert unguarded == []


def refused(sql: str, params: list[object]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        assert "kept" in str(error)
        return True
    return False


@pytest.mark.parametrize("label", labels(registry.evidence_models()))
def test_evidence_cannot_be_deleted_through_the_application_or_with_sql(label, every_record):
    model = apps.get_model(label)
    record = model._default_manager.order_by("pk").last()
    assert record is not None, f"no {label} to delete"
    with pytest.raises(DatabaseError), transaction.atomic():
        model._default_manager.filter(pk=record.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        record.delete()
    table = model._meta.db_table
    assert refused(f'DELETE FROM "{table}" WHERE id = %s', [record.pk])  # noqa: S608
    assert refused(f'DELETE FROM "{table}"', [])  # noqa: S608
    assert model._default_manager.filter(pk=record.pk).exists()


def test_who_attended_a_training_cannot_be_deleted(every_record):
    session = TrainingSession.objects.get()
    attendee = session.attendees.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        session.attendees.remove(attendee)
    table = TrainingSession.attendees.through._meta.db_table
    assert refused(f'DELETE FROM "{table}"', [])  # noqa: S608
    assert session.attendees.filter(pk=attendee.pk).exists()


def test_deleting_a_contract_or_a_person_takes_no_evidence_with_it(every_record):
    contract = Contract.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        contract.delete()
    lead = every_record["lead"]
    with pytest.raises(DatabaseError), transaction.atomic():
        Person.objects.filter(pk=lead.pk).delete()
    assert contract.pledges.exists() and contract.roster_submissions.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_to_truncate_evidence(every_record):
    with connection.cursor() as cursor:
        # The test's own transaction still holds deferred foreign-key checks from the inserts;
        # run them now, as a commit would, or PostgreSQL refuses TRUNCATE before any trigger.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for model in [*registry.evidence_models(), *registry.DISPOSAL_MODELS]:
        for table, _parent in evidence_tables(model):
            with (
                pytest.raises(DatabaseError, match="kept"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(f'TRUNCATE "{table}" CASCADE')
    assert Contract.objects.exists()
