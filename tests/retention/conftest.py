"""One record of every evidence model, made as users make them (the demo, plus the 2-2 records
the demo does not have), and a way past the guard for tests that play the database owner."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from itaku.contractors import actions
from itaku.contractors.models import Contract, ReturnItem
from itaku.people.models import Person
from itaku.people.roles import Role
from itaku.retention.guard import guarded_tables, trigger_name


def demo_person(role: Role) -> Person:
    return Person.objects.filter(role_assignments__role=role).order_by("pk")[0]


@pytest.fixture
def every_record(db, capsys) -> dict[str, Person]:
    call_command("demo")
    capsys.readouterr()
    manager, lead = demo_person(Role.MANAGER), demo_person(Role.CONTRACTOR_LEAD)
    contract = Contract.objects.get()
    today = timezone.localdate()
    actions.add_subcontractor(contract, name="架空下請株式会社", work="清掃", by=lead)
    actions.waive_provision(contract, provision_id="2-2-l", reason="別途覚書で定める。", by=manager)
    item = actions.add_return_item(
        contract, asset="申請書控え", quantity=1, method=ReturnItem.Method.RETURN, by=manager
    )
    actions.complete_return_item(item, done_on=today, by=lead)
    actions.certify_disposal(
        contract,
        what="申請書控え",
        how_many=1,
        how="溶解処理",
        disposed_on=today,
        witnessed_by="職員 例田 三郎",
        by=manager,
    )
    return {"manager": manager, "lead": lead}


@contextmanager
def guard_dropped(table: str) -> Iterator[None]:
    """What the database owner could do: delete behind the guard, inside the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            assert table in guarded_tables(connection)
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                [trigger_name(table)],
            )
            (sql,) = cursor.fetchone()
            cursor.execute(f'DROP TRIGGER "{trigger_name(table)}"')
            yield
            cursor.execute(sql)
