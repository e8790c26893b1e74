"""The city sees every incident; the contractor's people only those their company reported."""

import pytest
from django.urls import reverse

from itaku.people.roles import Role
from tests.factories import OrganizationFactory, person_with_role
from tests.incidents.factories import reported

pytestmark = pytest.mark.django_db


def test_a_contractor_worker_does_not_see_an_incident_reported_by_city_staff(personas, as_role):
    city_incident = reported({**personas, Role.CONTRACTOR_LEAD: personas[Role.CITY_STAFF]})
    worker = as_role(Role.CONTRACTOR_WORKER)

    assert city_incident not in worker.get(reverse("incidents:index")).context["incidents"]
    detail = worker.get(reverse("incidents:detail", args=[city_incident.pk]))
    assert detail.status_code == 404
    manager = as_role(Role.MANAGER)
    assert manager.get(reverse("incidents:detail", args=[city_incident.pk])).status_code == 200


def test_the_lead_sees_the_incident_their_company_reported(personas, as_role):
    own = reported(personas)
    another = OrganizationFactory(name="別の受託株式会社", kind="contractor")
    other_company = person_with_role(Role.CONTRACTOR_LEAD, organization=another)
    foreign = reported({**personas, Role.CONTRACTOR_LEAD: other_company})

    shown = as_role(Role.CONTRACTOR_LEAD).get(reverse("incidents:index")).context["incidents"]
    assert own in shown
    assert foreign not in shown
