"""Odd query parameters get a clear answer, never a server error.

Each URL here gave a 500 before: a year too large for the database, a negative year to verify,
a superscript digit that `str.isdigit()` accepts but `int()` refuses, and dates whose next day or
whose midnight in Japan time lies outside what Python's datetime can hold.
"""

import pytest
from django.urls import reverse

from itaku.people.roles import Role
from tests.area.factories import make_area


@pytest.fixture
def manager_client(as_role):
    return as_role(Role.MANAGER)


@pytest.mark.parametrize("year", ["99999999999999999999", "-5", "0", "１２"])
def test_an_impossible_fiscal_year_on_the_audit_status_is_refused_plainly(manager_client, year):
    response = manager_client.get(reverse("audit:status"), {"fiscal_year": year, "verify": "1"})

    assert response.status_code == 400
    assert "年度" in response.content.decode()


def test_an_impossible_fiscal_year_on_the_audit_export_is_refused_plainly(manager_client):
    response = manager_client.get(reverse("audit:export"), {"fiscal_year": "99999999999999999999"})

    assert response.status_code == 400


def test_a_superscript_digit_as_the_desk_result_is_ignored(manager_client):
    area = make_area()

    response = manager_client.get(reverse("area:area_desk", args=[area.pk]), {"result": "²"})

    assert response.status_code == 200
    assert response.context["result"] is None


def test_the_last_day_of_the_calendar_as_audit_filter_names_the_field(manager_client):
    response = manager_client.get(reverse("audit:events"), {"date_from": "9999-12-31"})

    assert response.status_code == 200
    assert "date_from" in response.context["form"].errors


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2025-04-01", "date_to": "9999-12-31", "format": "csv"}, "date_to"),
        ({"date_from": "2025-04-01", "date_to": "9999-12-31", "format": "pdf"}, "date_to"),
        (
            {"date_from": "0001-01-01", "date_to": "2025-04-01", "format": "csv"}
            | {"records": "visitors"},
            "date_from",
        ),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_on_the_records_page(
    manager_client, params, field
):
    response = manager_client.get(reverse("area:exports"), params)

    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_a_register_of_centuries_is_refused_before_it_is_printed(manager_client):
    response = manager_client.get(
        reverse("area:exports"),
        {"date_from": "1900-01-01", "date_to": "9998-12-31", "format": "pdf"},
    )

    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors


def test_five_years_of_register_are_still_printed(manager_client):
    response = manager_client.get(
        reverse("area:exports"),
        {"date_from": "2021-04-01", "date_to": "2026-03-31", "format": "pdf"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
