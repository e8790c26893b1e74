"""The desk identifies people by what they carry: the badge, or a name the officer picks from.
A number that is no badge, such as an internal database ID, records no one."""

from django.urls import reverse

from itaku.area.models import Passage
from itaku.people.roles import Role

CHECKS = {"badge_worn": "on", "only_valuables": "on", "no_prohibited_device": "on"}


def _desk(area) -> str:
    return reverse("area:area_desk", args=[area.pk])


def test_desk_input_1_records_no_one(area, personas, as_role):
    response = as_role(Role.CITY_STAFF).post(
        _desk(area), {"person": "1", "direction": "entry", **CHECKS}
    )

    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not Passage.objects.exists()


def test_a_persons_database_id_is_not_a_badge(area, worker, as_role):
    response = as_role(Role.CITY_STAFF).post(
        _desk(area), {"person": str(worker.pk), "direction": "entry", **CHECKS}
    )

    assert response.status_code == 200
    assert not Passage.objects.exists()


def test_a_name_search_asks_the_officer_to_pick_and_records_nothing_yet(area, worker, as_role):
    response = as_role(Role.CITY_STAFF).post(
        _desk(area), {"person": worker.name, "direction": "entry", **CHECKS}
    )

    assert response.status_code == 200
    assert worker in response.context["form"].candidates
    assert 'id="desk-candidates"' in response.content.decode()
    assert not Passage.objects.exists()


def test_the_picked_person_is_recorded(area, worker, as_role):
    as_role(Role.CITY_STAFF).post(
        _desk(area), {"person": worker.name, "pick": worker.pk, "direction": "entry", **CHECKS}
    )

    assert Passage.objects.inside(area).get().person == worker


def test_a_pick_outside_the_names_found_records_no_one(area, worker, manager, as_role):
    response = as_role(Role.CITY_STAFF).post(
        _desk(area), {"person": worker.name, "pick": manager.pk, "direction": "entry", **CHECKS}
    )

    assert response.status_code == 200
    assert not Passage.objects.exists()
