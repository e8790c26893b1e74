"""The entry desk page: pick or scan, record, and see the verdict with its reasons."""

from django.urls import reverse

from itaku.area.models import Passage
from itaku.people.roles import Role
from tests.area.factories import make_visitor

CHECKS = {"badge_worn": "on", "only_valuables": "on", "no_prohibited_device": "on"}


def _desk(area) -> str:
    return reverse("area:area_desk", args=[area.pk])


def test_with_one_area_the_desk_opens_its_door(area, as_role):
    response = as_role(Role.CITY_STAFF).get(reverse("area:desk"))

    assert response.status_code == 302
    assert response["Location"] == _desk(area)


def test_a_scanned_badge_enters_and_the_desk_shows_the_person_inside(area, worker, as_role):
    client = as_role(Role.CITY_STAFF)

    response = client.post(
        _desk(area), {"person": worker.badge_number.lower(), "direction": "entry", **CHECKS}
    )
    page = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert "desk-result-admitted" in page
    assert Passage.objects.inside(area).get().person == worker


def test_a_refused_visitor_sees_each_reason_with_its_clause(area, as_role):
    visitor = make_visitor()
    client = as_role(Role.CONTRACTOR_LEAD)

    response = client.post(_desk(area), {"person": visitor.badge_number, "direction": "entry"})
    page = client.get(response["Location"]).content.decode()

    assert "desk-result-refused" in page
    for clause in ("3-4", "3-7", "5-9", "3-11"):
        assert f'<span class="clause-id">{clause}</span>' in page
    assert Passage.objects.get().outcome == Passage.Outcome.REFUSED


def test_an_unknown_badge_typed_at_the_desk_names_the_field_and_records_nothing(area, as_role):
    response = as_role(Role.CITY_STAFF).post(
        _desk(area), {"person": "NOBODY", "direction": "entry", **CHECKS}
    )

    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not Passage.objects.exists()


def test_the_exit_button_of_the_inside_list_records_the_exit(area, worker, as_role):
    client = as_role(Role.CITY_STAFF)
    client.post(_desk(area), {"person": worker.badge_number, "direction": "entry", **CHECKS})

    client.post(_desk(area), {"person": worker.badge_number, "direction": "exit"})

    assert not Passage.objects.inside(area).exists()
    assert Passage.objects.filter(direction="exit").count() == 1


def test_the_auditor_reads_the_desk_without_the_form(area, as_role):
    page = as_role(Role.AUDITOR).get(_desk(area)).content.decode()

    assert 'name="direction"' not in page


def test_a_refusal_from_another_apps_rule_shows_with_its_clause(
    area, worker, as_role, only_area_rules
):
    from itaku.people.admission import Refusal

    only_area_rules.append(lambda person, at: [Refusal("5-4", "誓約書が確認されていません。")])
    client = as_role(Role.CITY_STAFF)

    response = client.post(
        _desk(area), {"person": worker.badge_number, "direction": "entry", **CHECKS}
    )
    page = client.get(response["Location"]).content.decode()

    assert '<span class="clause-id">5-4</span> 誓約書が確認されていません。' in page


def test_the_desk_lists_the_visitors_permitted_now_with_their_monitor(area, manager, lead, as_role):
    from tests.area.factories import approved_permission

    visitor = make_visitor()
    approved_permission(visitor, lead, manager)

    page = as_role(Role.CITY_STAFF).get(_desk(area)).content.decode()

    assert 'id="expected-heading"' in page
    assert visitor.name in page
    assert lead.name in page
