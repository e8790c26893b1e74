"""The card-reader API: device tokens, the desk's rules, clear errors, the OpenAPI schema."""

import pytest
from django.test import Client
from django.urls import reverse

from itaku.area import actions
from itaku.area.models import CardReader, Passage
from itaku.audit.models import Event
from itaku.people.roles import Role
from tests.area.factories import make_visitor


@pytest.fixture
def reader(area, manager):
    return actions.register_reader(area=area, name="入口リーダー", by=manager)


def _post(token: str, **data):
    return Client().post(
        reverse("api:area_passages"),
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Device {token}",
    )


ENTRY = {
    "direction": "entry",
    "badge_worn": True,
    "only_valuables": True,
    "prohibited_device": False,
}


def test_only_the_hash_of_the_token_is_stored(reader):
    device, token = reader

    assert token not in device.token_hash
    assert CardReader.objects.filter(token_hash=device.token_hash).exists()


def test_a_reader_records_an_entry_and_an_exit_for_a_badge(reader, worker):
    device, token = reader

    entered = _post(token, badge_number=worker.badge_number, **ENTRY)
    left = _post(token, badge_number=worker.badge_number, direction="exit")

    assert entered.status_code == 201
    assert entered.json()["outcome"] == "admitted"
    assert left.status_code == 201
    passage = Passage.objects.get(pk=entered.json()["id"])
    assert passage.reader == device
    event = Event.objects.get(code="area.passage.entry_admitted", object_id=str(passage.pk))
    assert event.data["source"] == f"reader:{device.name}"


def test_the_same_rules_refuse_a_visitor_and_the_attempt_is_kept(reader):
    _device, token = reader
    visitor = make_visitor()

    response = _post(token, badge_number=visitor.badge_number, **ENTRY)

    assert response.status_code == 201
    assert response.json()["outcome"] == "refused"
    assert response.json()["refusals"][0]["clause_id"] == "3-4"
    assert Passage.objects.get().outcome == Passage.Outcome.REFUSED


def test_an_unknown_badge_at_the_gate_is_a_refused_attempt(reader):
    _device, token = reader

    response = _post(token, badge_number="X-0000", **ENTRY)

    assert response.json()["outcome"] == "refused"
    assert Passage.objects.get().badge_presented == "X-0000"


def test_bad_input_names_the_field_and_stores_nothing(reader, worker):
    _device, token = reader

    missing = _post(token, badge_number=worker.badge_number, direction="entry")
    wrong = _post(token, badge_number=worker.badge_number, direction="sideways")
    not_inside = _post(token, badge_number=worker.badge_number, direction="exit")

    assert missing.status_code == 400
    # 3-7: a reader that does not say whether the badge was worn is not taken to mean it was.
    assert set(missing.json()) == {"badge_worn", "only_valuables", "prohibited_device"}
    assert "direction" in wrong.json()
    assert "badge_number" in not_inside.json()
    assert not Passage.objects.exists()


def test_without_a_valid_device_token_nothing_is_recorded(reader, worker, personas):
    device, token = reader
    actions.revoke_reader(device, by=personas[Role.MANAGER])

    revoked = _post(token, badge_number=worker.badge_number, **ENTRY)
    guessed = _post("not-a-token", badge_number=worker.badge_number, **ENTRY)
    anonymous = Client().post(reverse("api:area_passages"), ENTRY, content_type="application/json")

    assert {revoked.status_code, guessed.status_code, anonymous.status_code} <= {401, 403}
    assert not Passage.objects.exists()


def test_the_endpoint_and_its_device_token_are_in_the_openapi_schema(as_role):
    schema = as_role(Role.MANAGER).get(reverse("api:schema"), HTTP_ACCEPT="application/json")

    text = schema.content.decode()
    assert "/api/v1/area/passages/" in text
    assert "deviceToken" in text


def test_the_servers_clock_decides_not_the_readers(reader, worker):
    from django.utils import timezone

    _device, token = reader

    response = _post(
        token, badge_number=worker.badge_number, occurred_at="2020-01-01T09:00", **ENTRY
    )

    recorded = Passage.objects.get(pk=response.json()["id"]).occurred_at
    assert abs((timezone.now() - recorded).total_seconds()) < 60
