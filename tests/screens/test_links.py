"""Every link a role is shown leads to a page that opens for it: no 403, no dead end."""

import pytest
from django.core.management import call_command
from django.test import Client

from itaku.people.roles import Role
from tests.conftest import sign_in
from tests.screens.crawl import demo_person, walk


@pytest.mark.django_db
def test_every_link_each_role_is_shown_opens_for_it(capsys):
    call_command("demo")
    capsys.readouterr()
    problems = []
    for role in Role:
        client = sign_in(Client(), demo_person(role))
        result = walk(client)
        assert len(result.html_pages()) >= 2, f"{role}: the walk found no pages"
        problems += [
            f"{role.value}: {visit.url} answered {visit.status} (linked from {visit.found_on})"
            for visit in result.broken()
        ]
    assert not problems, "\n".join(problems)
