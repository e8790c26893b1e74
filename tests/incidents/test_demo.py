"""The demo shows a contact chart in force, one incident closed and one still open."""

from django.utils import timezone

from itaku.core.demo_data import load_all
from itaku.incidents.models import ContactChart, Incident
from itaku.policy.registry import Status, assess


def test_the_demo_loads_twice_with_one_closed_and_one_open_incident(db):
    load_all()
    load_all()

    assert ContactChart.objects.count() == 1
    assert Incident.objects.filter(state=Incident.State.CLOSED).count() == 1
    still_open = Incident.objects.get(state=Incident.State.OPEN)
    assert still_open.superior_told_at is not None
    statuses = assess(["6-1", "6-2", "6-3", "6-6"], timezone.now())
    assert statuses["6-1"].status is Status.OK
    assert statuses["6-2"].status is Status.OK
    assert statuses["6-3"].status is Status.OK
    assert statuses["6-6"].status is Status.OK
