import pytest
from django.utils import timezone

from itaku.area.models import Area, CarryInRequest, Passage, WorkDeclaration
from itaku.core.demo_data import load_all


@pytest.mark.django_db
def test_the_demo_loads_a_month_of_history_once():
    load_all()
    load_all()

    today = timezone.localdate()
    assert Area.objects.count() == 1
    assert Passage.objects.count() > 100
    assert WorkDeclaration.objects.filter(reported_at__isnull=False).exists()
    assert CarryInRequest.objects.valid_on(today).exists()
    assert CarryInRequest.objects.expired(today).exists()
