"""Every change is an event in the same transaction; reads and imports are events too."""

import hashlib
import json
from datetime import UTC, date, datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from itaku.audit.context import source
from itaku.audit.events import AuditEvent
from itaku.audit.log import record, record_import
from itaku.audit.models import Event, Log, Viewed
from itaku.audit.verifier import inclusion_proof, leaf_hash, tree_root, verify_inclusion
from itaku.core.dates import fiscal_year
from itaku.people import actions
from itaku.people.events import PeopleEvent
from itaku.people.models import RoleAssignment
from itaku.people.roles import Capacity, Role
from tests.audit.conftest import SampleEvent, append
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_event_commits_with_the_change_and_rolls_back_with_it(personas):
    admin = personas[Role.ADMIN]
    person = PersonFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.assign_role(
            person, Role.CITY_STAFF, starts_on=date(2025, 4, 1), ends_on=None, by=admin
        )
        raise RuntimeError("the request failed after the change")
    assert not RoleAssignment.objects.filter(person=person).exists()
    assert not Event.objects.filter(code=PeopleEvent.ROLE_ASSIGNED).exists()

    actions.assign_role(person, Role.CITY_STAFF, starts_on=date(2025, 4, 1), ends_on=None, by=admin)
    event = Event.objects.get(code=PeopleEvent.ROLE_ASSIGNED, object_id__gt="")
    assert event.data["object"]["type"] == "people.roleassignment"
    assert event.actor == admin


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        record(SampleEvent.NOTED, actor=None)


def test_free_string_codes_are_refused():
    append(1)  # the same code as an enumeration member is accepted, and remembered as such
    with pytest.raises(ValueError), transaction.atomic():
        record("sample.thing.noted", actor=None)


def test_the_stored_bytes_say_who_what_when_where_in_canonical_json(manager):
    with source("web:192.0.2.10"), transaction.atomic():
        event = record(
            SampleEvent.NOTED,
            actor=manager,
            capacity=Capacity.DEPUTY,
            target=manager,
            changes={"name": ["旧 名", "新 名"], "on": date(2025, 5, 1)},
        )
    stored = bytes(Event.objects.get(pk=event.pk).body)
    data = json.loads(stored)
    assert (
        stored
        == json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    )
    assert "新 名".encode() in stored  # UTF-8, not \\u escapes
    assert data["actor"] == {"id": manager.pk, "name": manager.name}
    assert data["capacity"] == "deputy"
    assert data["object"] == {"type": "people.person", "id": str(manager.pk), "repr": manager.name}
    assert data["changes"] == {"name": ["旧 名", "新 名"], "on": "2025-05-01"}
    assert data["source"] == "web:192.0.2.10"
    assert data["at"].endswith("Z")
    assert (data["stream"], data["seq"]) == ("sample", 0)
    assert bytes(event.hashes)[:32] == leaf_hash(stored)


def test_each_stream_and_fiscal_year_counts_from_zero_without_gaps(monkeypatch):
    append(3)
    append(2, SampleEvent.OTHER)
    # 31 March 2027 15:30 UTC is already 1 April in Tokyo: fiscal year 2027 begins.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2027, 3, 31, 15, 30, tzinfo=UTC))
    append(2)
    positions = {
        key: sorted(
            Event.objects.filter(stream=key[0], fiscal_year=key[1]).values_list("seq", flat=True)
        )
        for key in Log.objects.values_list("stream", "fiscal_year")
    }
    assert positions[("other", fiscal_year(datetime.now(UTC)))] == [0, 1]
    assert positions[("sample", 2027)] == [0, 1]
    assert Log.objects.get(stream="sample", fiscal_year=2027).size == 2


def test_opening_the_people_list_records_who_looked_at_whom(as_role, manager, personas):
    response = as_role(Role.MANAGER).get(reverse("people:list"))
    assert response.status_code == 200
    event = Event.objects.get(code=AuditEvent.PERSONAL_DATA_VIEWED)
    assert event.actor == manager
    assert event.data["changes"]["page"] == "people:list"
    shown = set(Viewed.objects.filter(event=event).values_list("object_id", flat=True))
    assert shown == {str(person.pk) for person in personas.values()}
    assert event.data["source"].startswith("web:")


def test_an_import_is_one_event_with_the_file_hash_and_a_root_over_its_lines(manager):
    data = "氏名,記章\n試験 一郎,T-1\n試験 二郎,T-2\n".encode()
    with transaction.atomic():
        event = record_import(SampleEvent.NOTED, actor=manager, file_name="roster.csv", data=data)
    imported = event.data["changes"]["file"]
    assert imported["lines"] == 3
    assert imported["sha256"] == hashlib.sha256(data).hexdigest()
    root = bytes.fromhex(imported["lines_root"])
    lines = data.splitlines()
    assert root == tree_root(lines)
    # A single line can later be proved part of the import without one event a line.
    proof = inclusion_proof(1, 3, lambda lo, hi: tree_root(lines[lo:hi]))
    assert verify_inclusion(leaf_hash(lines[1]), 1, 3, proof, root)
