"""The entry desk asks the contractor's rules: roster (5-1), pledge (5-4), training (5-6)."""

from itaku.area.actions import record_entry
from itaku.area.admission import EntryAnswers
from tests.area.factories import make_area, run_clock_at
from tests.contractors.factories import admitted_setup

AT_THE_DOOR = EntryAnswers(badge_worn=True, only_valuables=True, prohibited_device=False)


def test_the_desk_admits_a_rostered_pledged_trained_worker_and_refuses_one_who_is_not(
    contract, manager, lead, worker, another_worker, monkeypatch
):
    run_clock_at(monkeypatch)  # within the area's hours (3-3), whenever the suite runs
    area = make_area()
    admitted_setup(contract, manager, lead, [worker])

    admitted = record_entry(worker, area, AT_THE_DOOR, by=lead)
    refused = record_entry(another_worker, area, AT_THE_DOOR, by=lead)

    assert admitted.admitted
    assert not refused.admitted
    assert [reason["clause_id"] for reason in refused.passage.refusals] == ["5-1"]
