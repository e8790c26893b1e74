"""Every page below the start page says where it is: breadcrumbs from ホーム that end with the
page itself, so a person who arrived from a link or a bookmark can step back up."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from itaku.people.roles import Role
from tests.conftest import sign_in
from tests.screens.crawl import demo_person, walk

# Pages that stand outside the menu's tree: the start page itself and the login steps.
TOP = {"policy:home", "people:password_change"}
CRUMBS = re.compile(r'<nav class="breadcrumbs".*?</nav>', re.S)


def crumb_problem(html: str) -> str | None:
    nav = CRUMBS.search(html)
    if nav is None:
        return "has no breadcrumbs"
    items = re.findall(r"<li>(.*?)</li>", nav.group(0), re.S)
    if not items or 'aria-current="page"' not in items[-1]:
        return "has breadcrumbs that do not end with the page itself"
    if sum('aria-current="page"' in item for item in items) != 1:
        return "names more than one breadcrumb as the page itself"
    return None


@pytest.mark.django_db
def test_every_page_below_the_start_page_has_breadcrumbs_ending_with_itself(capsys):
    call_command("demo")
    capsys.readouterr()
    problems = []
    for role in (Role.MANAGER, Role.CONTRACTOR_LEAD, Role.AUDITOR):
        for name, visit in walk(sign_in(Client(), demo_person(role))).html_pages().items():
            if name in TOP:
                continue
            problem = crumb_problem(visit.content)
            if problem:
                problems.append(f"{role.value}: {visit.url} ({name}) {problem}")
    assert not problems, "\n".join(problems)


def test_a_page_named_only_by_its_parent_is_reported():
    parent_only = (
        '<nav class="breadcrumbs"><ol><li><a href="/">ホーム</a></li>'
        '<li><a href="/incidents/">事故対応</a></li></ol></nav>'
    )
    assert crumb_problem(parent_only) == "has breadcrumbs that do not end with the page itself"
    assert crumb_problem("<main></main>") == "has no breadcrumbs"
