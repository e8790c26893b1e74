"""The home page's to-do lists kept between requests are served only for the data they were
read from, and only to the person (and login, and roles) they were read for."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from itaku.area.models import CarryInRequest
from itaku.people.models import Person
from itaku.people.roles import Role
from itaku.policy import dataversion
from tests.conftest import sign_in
from tests.factories import person_with_role
from tests.policy.test_home import device_request, section

pytestmark = pytest.mark.django_db


def _page(client: Client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_a_write_behind_the_app_changes_the_managers_to_do_list_on_the_next_request(personas):
    request = device_request(personas[Role.CONTRACTOR_WORKER])
    client = sign_in(Client(), personas[Role.MANAGER])
    # The first version read inside the test's transaction writes its token: once, not per page.
    dataversion.key(connection.alias)
    first, html = _page(client)
    assert "見本の勤怠管理用ノートパソコン" in section(html, "decide")
    kept, _html = _page(client)
    assert kept < first, "the second page is served the kept to-do list"

    # What someone with a database shell might write.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CarryInRequest._meta.db_table} SET device = %s WHERE id = %s",  # noqa: S608
            ["書き換えられた端末（見本）", request.pk],
        )
    _queries, html = _page(client)
    waiting = section(html, "decide")
    assert "書き換えられた端末（見本）" in waiting
    assert "見本の勤怠管理用ノートパソコン" not in waiting


def _worker_like(worker: Person) -> Person:
    other = person_with_role(Role.CONTRACTOR_WORKER, username="other-worker")
    other.organization = worker.organization
    other.save()
    return other


def test_one_workers_kept_list_is_never_shown_to_another_with_the_same_roles(personas):
    worker = personas[Role.CONTRACTOR_WORKER]
    other = _worker_like(worker)
    device_request(worker)
    # Signing in writes the login's last time: both before the pages, so that only the person
    # differs between them (same roles, same data, same minute).
    mine_client, their_client = sign_in(Client(), worker), sign_in(Client(), other)
    _queries, mine = _page(mine_client)
    assert "見本の勤怠管理用ノートパソコン" in section(mine, "waiting")
    _queries, theirs = _page(their_client)
    assert "見本の勤怠管理用ノートパソコン" not in theirs
    _queries, mine_again = _page(mine_client)
    assert "見本の勤怠管理用ノートパソコン" in section(mine_again, "waiting")


def test_the_managers_kept_list_is_not_the_deputys(personas):
    device_request(personas[Role.CONTRACTOR_WORKER])
    manager = sign_in(Client(), personas[Role.MANAGER])
    deputy = sign_in(Client(), personas[Role.DEPUTY])
    _queries, managers = _page(manager)
    assert "見本の勤怠管理用ノートパソコン" in section(managers, "decide")
    _queries, deputys = _page(deputy)
    assert section(deputys, "decide") == ""
    assert "見本の勤怠管理用ノートパソコン" in section(deputys, "manager_decides")
