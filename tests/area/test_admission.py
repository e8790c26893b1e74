"""Who may enter, and what the door asks (3-3, 3-4, 3-5, 3-7, 3-11, 3-12, 5-9)."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from itaku.area import actions
from itaku.area.models import Passage
from itaku.audit.models import Event
from tests.area.factories import (
    READY,
    approved_permission,
    carry_in,
    make_visitor,
    past_permission,
    permission,
)


def _clauses(passage: Passage) -> list[str]:
    return [item["clause_id"] for item in passage.refusals]


def test_staff_with_all_checks_is_admitted_and_the_entry_audited(area, worker, city_staff):
    result = actions.record_entry(worker, area, READY, by=city_staff)

    assert result.admitted
    assert list(Passage.objects.inside(area)) == [result.passage]
    event = Event.objects.get(code="area.passage.entry_admitted")
    assert event.actor == city_staff
    assert event.object_id == str(result.passage.pk)


def test_a_person_without_staff_role_or_permission_is_refused_and_the_attempt_kept(
    area, city_staff
):
    visitor = make_visitor()

    result = actions.record_entry(visitor, area, READY, by=city_staff)

    assert not result.admitted
    assert _clauses(result.passage) == ["3-4"]
    assert result.passage.refusals[0]["reason"]["ja"]
    assert result.passage.refusals[0]["reason"]["en"] == "Not staff, and has no visitor permission."
    assert not Passage.objects.inside(area).exists()
    assert Event.objects.filter(code="area.passage.entry_refused").count() == 1


def test_a_requested_but_unapproved_permission_does_not_admit(area, manager, lead):
    visitor = make_visitor()
    permission(visitor, lead, requested_by=manager)

    result = actions.record_entry(visitor, area, READY, by=manager)

    assert not result.admitted
    assert "not approved yet" in result.passage.refusals[0]["reason"]["en"]


def test_an_ended_visitor_window_admits_no_one(area, manager, lead):
    visitor = make_visitor()
    past_permission(visitor, lead, manager)
    actions.record_entry(lead, area, READY, by=manager)

    result = actions.record_entry(visitor, area, READY, by=manager)

    assert not result.admitted
    assert "has ended" in result.passage.refusals[0]["reason"]["en"]


def test_an_approved_visitor_enters_only_while_the_monitor_is_inside(area, manager, lead):
    visitor = make_visitor()
    granted = approved_permission(visitor, lead, manager)

    alone = actions.record_entry(visitor, area, READY, by=manager)
    actions.record_entry(lead, area, READY, by=manager)
    watched = actions.record_entry(visitor, area, READY, by=manager)

    assert not alone.admitted
    assert _clauses(alone.passage) == ["3-4"]
    assert watched.admitted
    assert watched.passage.visitor_permission == granted
    assert watched.passage.monitor == lead


def test_a_visitor_who_works_must_have_declared_the_work(area, manager, lead):
    visitor = make_visitor()
    granted = approved_permission(visitor, lead, manager, works_in_area=True)
    actions.record_entry(lead, area, READY, by=manager)

    undeclared = actions.record_entry(visitor, area, READY, by=manager)
    actions.declare_work(granted, work="発券機のローラー交換", by=lead)
    declared = actions.record_entry(visitor, area, READY, by=manager)

    assert _clauses(undeclared.passage) == ["3-5"]
    assert declared.admitted


@pytest.mark.parametrize(
    ("answers", "clause"),
    [
        (replace(READY, badge_worn=False), "3-7"),
        (replace(READY, only_valuables=False), "5-9"),
        (replace(READY, prohibited_device=True), "3-11"),
    ],
)
def test_each_unmet_door_check_refuses_with_its_clause(area, worker, city_staff, answers, clause):
    result = actions.record_entry(worker, area, answers, by=city_staff)

    assert not result.admitted
    assert _clauses(result.passage) == [clause]


def test_a_prohibited_device_enters_under_an_approved_carry_in(area, worker, manager):
    approved = carry_in(worker, manager)

    result = actions.record_entry(
        worker, area, replace(READY, prohibited_device=True, carry_in=approved), by=manager
    )

    assert result.admitted
    assert result.passage.carry_in == approved


def test_an_expired_or_someone_elses_carry_in_does_not_cover_the_device(
    area, worker, lead, manager
):
    expired = carry_in(worker, manager)
    expired.ends_on = expired.starts_on.replace(year=expired.starts_on.year - 1)
    expired.starts_on = expired.ends_on
    expired.save()
    others = carry_in(lead, manager)

    late = actions.record_entry(
        worker, area, replace(READY, prohibited_device=True, carry_in=expired), by=manager
    )
    borrowed = actions.record_entry(
        worker, area, replace(READY, prohibited_device=True, carry_in=others), by=manager
    )

    assert late.passage.refusals[0]["reason"]["en"] == "The carry-in approval has expired."
    assert _clauses(borrowed.passage) == ["3-12"]


def test_someone_inside_cannot_enter_twice(area, worker, city_staff):
    actions.record_entry(worker, area, READY, by=city_staff)

    with pytest.raises(ValidationError) as raised:
        actions.record_entry(worker, area, READY, by=city_staff)

    assert "person" in raised.value.message_dict
    assert Passage.objects.count() == 1


def test_exit_needs_the_person_inside_and_ends_the_stay(area, worker, city_staff):
    with pytest.raises(ValidationError):
        actions.record_exit(worker, area, by=city_staff)

    actions.record_entry(worker, area, READY, by=city_staff)
    actions.record_exit(worker, area, by=city_staff)

    assert not Passage.objects.inside(area).exists()
    assert Event.objects.filter(code="area.passage.exit_recorded").count() == 1
