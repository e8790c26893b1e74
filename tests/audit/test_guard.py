"""The application cannot change or remove an event: the database refuses (migration triggers)."""

import pytest
from django.db import DatabaseError, connection, transaction

from itaku.audit.models import Checkpoint, Event, Log
from tests.audit.conftest import append

pytestmark = pytest.mark.django_db


def refused(sql: str, params: list[object] | None = None) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        assert "append-only" in str(error)
        return True
    return False


def test_an_event_cannot_be_updated_or_deleted():
    event = append(2)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(code="sample.thing.hidden")
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()
    assert refused("UPDATE audit_event SET body = %s WHERE id = %s", [b"{}", event.pk])
    assert refused("DELETE FROM audit_event")
    assert bytes(Event.objects.get(pk=event.pk).body) == bytes(event.body)


def test_a_log_only_grows_one_event_at_a_time():
    append(3)
    assert refused("UPDATE audit_log SET size = size - 1")
    assert refused("UPDATE audit_log SET size = size + 2")
    assert refused("UPDATE audit_log SET stream = 'other'")
    assert refused("DELETE FROM audit_log")
    assert Log.objects.get(stream="sample").size == 3


def test_checkpoints_and_the_read_index_cannot_be_changed(signing_key):
    from itaku.audit.actions import sign_checkpoints

    append(2)
    sign_checkpoints(signing_key, by=None)
    assert Checkpoint.objects.exists()
    assert refused("UPDATE audit_checkpoint SET size = 1")
    assert refused("DELETE FROM audit_checkpoint")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_viewed (event_id, object_type, object_id) VALUES (1, 'x', '1')"
        )
    assert refused("UPDATE audit_viewed SET object_id = '2'")
    assert refused("DELETE FROM audit_viewed")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_to_truncate_the_trail():
    append(1)
    for table in ("audit_event", "audit_log", "audit_checkpoint", "audit_viewed"):
        assert refused(f"TRUNCATE {table}")
