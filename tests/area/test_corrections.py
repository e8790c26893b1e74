"""3-3: who is inside, forgotten exits at closing, and corrections as new records."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from itaku.area import actions
from itaku.area.models import Passage
from itaku.people.roles import Role
from itaku.policy.registry import assess
from tests.area.factories import READY


def test_a_correction_is_a_new_record_and_the_wrong_one_stays(area, worker, city_staff):
    entry = actions.record_entry(worker, area, READY, by=city_staff).passage
    right = entry.occurred_at - timedelta(minutes=20)

    correction = actions.correct_passage(
        entry, cancel=False, occurred_at=right, reason="時刻の打ち間違い", by=city_staff
    )

    entry.refresh_from_db()
    assert correction.corrects == entry
    assert entry.occurred_at != right  # the recorded passage is untouched
    assert list(Passage.objects.inside(area)) == [correction]
    assert correction.occurred_at == right


def test_cancelling_a_wrong_entry_takes_the_person_out_of_the_inside_list(area, worker, city_staff):
    entry = actions.record_entry(worker, area, READY, by=city_staff).passage

    actions.correct_passage(entry, cancel=True, occurred_at=None, reason="別人", by=city_staff)

    assert not Passage.objects.inside(area).exists()
    assert Passage.objects.count() == 2


def test_a_correction_needs_a_reason_and_a_record_is_corrected_once(area, worker, city_staff):
    entry = actions.record_entry(worker, area, READY, by=city_staff).passage

    with pytest.raises(ValidationError) as raised:
        actions.correct_passage(entry, cancel=True, occurred_at=None, reason=" ", by=city_staff)
    assert "reason" in raised.value.message_dict
    actions.correct_passage(entry, cancel=True, occurred_at=None, reason="別人", by=city_staff)
    with pytest.raises(ValidationError):
        actions.correct_passage(entry, cancel=True, occurred_at=None, reason="再", by=city_staff)


def _entered_yesterday(area, person, by) -> Passage:
    entry = actions.record_entry(person, area, READY, by=by).passage
    Passage.objects.filter(pk=entry.pk).update(
        occurred_at=timezone.now() - timedelta(days=1, hours=1)
    )
    entry.refresh_from_db()
    return entry


def test_someone_still_inside_after_closing_is_a_finding_not_silently_fixed(
    area, worker, city_staff, as_role
):
    area.closing_time = time(18, 0)
    area.save()
    entry = _entered_yesterday(area, worker, city_staff)

    status = assess(["3-3"], timezone.now())["3-3"]
    page = as_role(Role.CITY_STAFF).get(reverse("area:inside"))

    assert any(worker.name in finding for finding in status.findings)
    assert f'id="closing-list-{area.pk}"' in page.content.decode()
    assert reverse("area:missed_exit", args=[entry.pk]) in page.content.decode()
    assert Passage.objects.inside(area).get() == entry


def test_the_missed_exit_is_recorded_afterwards_with_its_time_and_reason(
    area, worker, city_staff, as_role
):
    entry = _entered_yesterday(area, worker, city_staff)
    left = timezone.localtime(entry.occurred_at + timedelta(hours=8))
    client = as_role(Role.CITY_STAFF)
    url = reverse("area:missed_exit", args=[entry.pk])

    missing_note = client.post(url, {"occurred_at": left.strftime("%Y-%m-%dT%H:%M")})
    done = client.post(
        url, {"occurred_at": left.strftime("%Y-%m-%dT%H:%M"), "note": "退室記録漏れ"}
    )

    assert missing_note.status_code == 200
    assert done.status_code == 302
    exit_ = Passage.objects.get(direction=Passage.Direction.EXIT)
    assert exit_.note == "退室記録漏れ"
    assert exit_.recorded_at > exit_.occurred_at
    assert not Passage.objects.inside(area).exists()


def test_the_correction_page_records_a_correction_through_the_view(
    area, worker, city_staff, as_role
):
    entry = actions.record_entry(worker, area, READY, by=city_staff).passage

    response = as_role(Role.CITY_STAFF).post(
        reverse("area:correct_passage", args=[entry.pk]), {"cancel": "on", "reason": "誤登録"}
    )

    assert response.status_code == 302
    assert entry.corrections.get().cancelled
