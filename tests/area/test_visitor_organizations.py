"""A visitor belongs to a visitor organisation, never to the city's or a contractor's (3-4)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from itaku.area import actions
from itaku.area.models import VisitorPermission
from itaku.contractors.forms import ContractForm
from itaku.people.models import Organization, Person
from itaku.people.roles import Role


def _register(organization, by):
    return actions.register_visitor(
        name="点検 架空", organization=organization, badge_number="V-7001", by=by
    )


def test_lead_cannot_register_a_visitor_into_the_citys_organization(lead, manager):
    with pytest.raises(ValidationError) as raised:
        _register(manager.organization.name, by=lead)

    assert "3-4" in raised.value.message_dict["organization"][0]
    assert not Person.objects.filter(badge_number="V-7001").exists()


def test_lead_cannot_register_a_visitor_into_the_contractor_even_spelt_differently(lead):
    # Full-width spaces and letters, different spacing: still the contractor's name.
    typed = "　" + lead.organization.name.replace("株式会社", "株式会社 ") + " "

    with pytest.raises(ValidationError):
        _register(typed, by=lead)

    assert not Person.objects.filter(badge_number="V-7001").exists()


def test_a_new_visitor_gets_an_organization_of_the_visitor_kind(lead):
    visitor = _register("架空設備保守株式会社", by=lead)

    assert visitor.organization.kind == Organization.Kind.VISITOR


def test_the_visitor_form_shows_the_refusal_on_the_organization_naming_3_4(lead, as_role):
    response = as_role(Role.CONTRACTOR_LEAD).post(
        reverse("area:visitors"),
        {
            "new_name": "点検 架空",
            "new_organization": lead.organization.name,
            "new_badge": "V-7001",
            "purpose": "空調点検",
            "monitor": lead.pk,
            "starts_at": "2099-01-05T10:00",
            "ends_at": "2099-01-05T12:00",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["new_organization"]
    assert any("3-4" in error for error in errors)
    assert not VisitorPermission.objects.exists()
    assert not Person.objects.filter(badge_number="V-7001").exists()


def test_a_visitor_is_never_offered_as_the_citys_responsible_person(lead, manager):
    visitor = _register("架空設備保守株式会社", by=lead)

    offered = ContractForm().fields["city_responsible"].queryset  # type: ignore[attr-defined]

    assert manager in offered
    assert visitor not in offered
