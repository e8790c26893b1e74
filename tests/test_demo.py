import pytest
from django.core.management import call_command

from itaku.audit.models import Event
from itaku.people.models import Person, RoleAssignment, User
from itaku.people.roles import Role


@pytest.mark.django_db
def test_demo_loads_a_fictional_office_and_contractor_and_can_run_twice(capsys):
    call_command("demo")
    first = capsys.readouterr().out
    counts = (Person.objects.count(), RoleAssignment.objects.count(), Event.objects.count())
    call_command("demo")
    assert (Person.objects.count(), RoleAssignment.objects.count(), Event.objects.count()) == (
        counts
    )
    assert User.objects.filter(username="kanri").exists()
    assert "kanri" in first and "itaku-demo-2026" in first
    assert "totp-code kanri" in first
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert {Role.MANAGER, Role.DEPUTY, Role.AUDITOR, Role.CONTRACTOR_LEAD} <= roles


@pytest.mark.django_db
def test_totp_code_prints_the_current_code_of_a_demo_login(capsys):
    call_command("demo")
    capsys.readouterr()
    call_command("totp-code", "kanri")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
