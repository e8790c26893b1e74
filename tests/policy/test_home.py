"""The home page is each role's to-do list: what waits, each item linked to where it is done."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from itaku.area import actions as area_actions
from itaku.area.models import CarryInRequest, DeviceCategory
from itaku.contractors import actions as contractor_actions
from itaku.people import actions as people_actions
from itaku.people.models import Person
from itaku.people.roles import Role
from itaku.policy import dataversion
from tests.area.factories import make_visitor, permission
from tests.conftest import sign_in
from tests.contractors.factories import admitted_setup, make_contract, pdf_scan
from tests.factories import manager_away, person_with_role

pytestmark = pytest.mark.django_db


def home(person: Person) -> tuple[Client, str]:
    client = sign_in(Client(), person)
    response = client.get("/")
    assert response.status_code == 200
    return client, response.content.decode()


def section(html: str, kind: str) -> str:
    """The HTML of one section of the to-do list ("" when the page has none)."""
    found = re.search(
        rf'<section class="todo-section" aria-labelledby="todo-{kind}">(.*?)</section>', html, re.S
    )
    return found.group(1) if found else ""


def links(html: str) -> list[str]:
    return re.findall(r'<a href="(/[^"]*)"', html)


def assert_links_open(client: Client, html: str) -> None:
    for href in links(html):
        assert client.get(href).status_code == 200, href


def device_request(person: Person) -> CarryInRequest:
    today = timezone.localdate()
    return area_actions.request_carry_in(
        person=person,
        category=DeviceCategory.objects.get(number=4),
        device="見本の勤怠管理用ノートパソコン",
        reason="勤怠管理のため",
        starts_on=today,
        ends_on=today + timedelta(days=5),
        storage_place="施錠キャビネットA",
        by=person,
    )


@pytest.fixture
def requests(personas):
    """A device request of the worker and a visit the lead asked for, both undecided."""
    lead = personas[Role.CONTRACTOR_LEAD]
    visit = permission(make_visitor(registered_by=lead), lead, requested_by=lead)
    return device_request(personas[Role.CONTRACTOR_WORKER]), visit


def test_the_manager_sees_each_request_waiting_for_her_decision_and_each_link_opens(
    personas, requests
):
    client, html = home(personas[Role.MANAGER])
    waiting = section(html, "decide")
    assert "見本の勤怠管理用ノートパソコン" in waiting
    assert "訪問 架空" in waiting
    assert reverse("area:visitor", args=[requests[1].pk]) in links(waiting)
    assert "/dashboard/" in links(html)
    assert_links_open(client, html)


def test_a_decided_request_leaves_the_list(personas, requests):
    device, _visit = requests
    area_actions.decide_carry_in(
        device, approve=False, conditions="", note="不要", by=personas[Role.MANAGER]
    )
    _client, html = home(personas[Role.MANAGER])
    assert "見本の勤怠管理用ノートパソコン" not in section(html, "decide")


def test_the_deputy_sees_the_managers_decisions_as_hers_only_while_the_manager_is_absent(
    personas, requests
):
    manager, deputy = personas[Role.MANAGER], personas[Role.DEPUTY]
    client, html = home(deputy)
    assert section(html, "decide") == ""
    pending = section(html, "manager_decides")
    assert "見本の勤怠管理用ノートパソコン" in pending
    assert "決定は管理者の不在が記録されている間だけできます" in pending
    assert_links_open(client, html)

    manager_away(manager, reason="出張（見本）")
    client, html = home(deputy)
    assert "見本の勤怠管理用ノートパソコン" in section(html, "decide")
    assert section(html, "manager_decides") == ""
    assert_links_open(client, html)


def test_a_worker_sees_only_their_own_requests_and_their_status_at_the_door(personas, requests):
    worker = personas[Role.CONTRACTOR_WORKER]
    other = person_with_role(Role.CONTRACTOR_WORKER, username="other-worker")
    other.organization = worker.organization
    other.save()
    device_request(other).device  # noqa: B018
    CarryInRequest.objects.filter(person=other).update(device="他人のタブレット（見本）")
    client, html = home(worker)
    mine = section(html, "waiting")
    assert "見本の勤怠管理用ノートパソコン" in mine
    assert "他人のタブレット" not in html
    assert "訪問 架空" not in html
    status = section(html, "status")
    assert "現在の名簿に記載なし" in status
    assert "/dashboard/" not in links(html)
    assert_links_open(client, html)


def test_a_rostered_worker_sees_the_contract_pledge_and_training_validity(personas):
    manager, lead = personas[Role.MANAGER], personas[Role.CONTRACTOR_LEAD]
    worker = personas[Role.CONTRACTOR_WORKER]
    contract = make_contract(manager, contractor=worker.organization, title="見本の窓口業務")
    lead.organization = worker.organization
    lead.save()
    admitted_setup(contract, manager, lead, [worker])
    _client, html = home(worker)
    status = section(html, "status")
    assert "名簿への記載：見本の窓口業務" in status
    assert "確認済み" in status
    assert "まで有効" in status


def test_the_lead_sees_what_to_submit_and_what_awaits_the_city(personas):
    manager, lead = personas[Role.MANAGER], personas[Role.CONTRACTOR_LEAD]
    contract = make_contract(manager, contractor=lead.organization, title="見本の窓口業務")
    roster = contractor_actions.submit_roster(contract, lead=lead, workers=[], note="", by=lead)
    client, html = home(lead)
    todo = section(html, "do")
    assert "受託者の誓約書を提出する（見本の窓口業務）" in todo
    assert "定期報告を提出する" in todo  # a monthly contract that began 100 days ago
    assert f"名簿 第{roster.version}版" in section(html, "waiting")
    assert_links_open(client, html)

    contractor_actions.receive_roster(roster, received_on=timezone.localdate(), by=manager)
    contractor_actions.submit_pledge(
        contract, person=None, signed_on=timezone.localdate(), filename="pledge.pdf",
        data=pdf_scan(), by=lead,
    )  # fmt: skip
    _client, html = home(lead)
    assert "受託者の誓約書を提出する" not in html
    assert f"名簿 第{roster.version}版" not in html
    # The manager now has the pledge to confirm, linked to the contract's pledges.
    client, html = home(manager)
    assert reverse("contractors:pledges", args=[contract.pk]) in links(section(html, "decide"))
    assert_links_open(client, html)


def test_the_superior_confirms_role_changes_proposed_by_the_administrator(personas):
    admin, superior = personas[Role.ADMIN], personas[Role.SUPERIOR]
    newcomer = person_with_role(Role.CITY_STAFF, username="newcomer")
    people_actions.propose_role_grant(
        newcomer, Role.AUDITOR, starts_on=timezone.localdate(), ends_on=None, by=admin
    )
    client, html = home(superior)
    assert "役割の変更の確認" in section(html, "decide")
    assert_links_open(client, html)
    _client, html = home(admin)
    assert "役割の変更の確認" not in html  # the proposer does not confirm their own


def test_the_auditor_lands_on_the_dashboard(personas):
    response = sign_in(Client(), personas[Role.AUDITOR]).get("/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_the_home_page_reads_its_records_in_a_fixed_number_of_queries(personas):
    """More requests waiting make the page no slower in queries (no query per record)."""
    lead = personas[Role.CONTRACTOR_LEAD]

    def count() -> int:
        client = sign_in(Client(), personas[Role.DEPUTY])
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    permission(make_visitor(registered_by=lead), lead, requested_by=lead)
    device_request(personas[Role.CONTRACTOR_WORKER])
    # The first version read inside the test's transaction writes its token: once, not per page.
    dataversion.key(connection.alias)
    before = count()
    for number in range(3):
        visitor = make_visitor(f"訪問 架空{number}", f"V-80{number}", registered_by=lead)
        permission(visitor, lead, requested_by=lead)
        device_request(personas[Role.CONTRACTOR_WORKER])
    assert count() == before
