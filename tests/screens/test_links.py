"""Every link a role is shown leads to a page that opens for it: no 403, no dead end; and the
select boxes on those pages start with words, not Django's "---------"."""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client

from itaku.people.roles import Role
from tests.conftest import sign_in
from tests.screens.crawl import demo_person, walk


@pytest.mark.django_db
def test_every_link_each_role_is_shown_opens_for_it_and_its_select_boxes_read_well(capsys):
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
        problems += [
            f"{role.value}: {visit.url}: {problem}"
            for visit in result.html_pages().values()
            for problem in empty_choice_problems(visit.content)
        ]
    assert not problems, "\n".join(problems)


class _Selects(HTMLParser):
    """Each select box's first option, and whether its form filters a list (GET)."""

    def __init__(self) -> None:
        super().__init__()
        self.filtering = False
        self.select: str | None = None
        self.option: list[str] | None = None
        self.first: dict[str, tuple[bool, str]] = {}  # select name -> (in a filter, label)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form":
            self.filtering = (named.get("method") or "get").lower() == "get"
        elif tag == "select":
            self.select = named.get("name") or "?"
        elif tag == "option" and self.select and self.select not in self.first:
            self.option = [] if named.get("value") == "" else None

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.select:
            if self.option is not None:
                self.first[self.select] = (self.filtering, "".join(self.option).strip())
            self.option = None
            self.first.setdefault(self.select, (self.filtering, ""))
        elif tag == "select":
            self.select = None


def empty_choice_problems(html: str) -> list[str]:
    """A select box's empty choice says what it does: すべて in a filter, never Django's dashes."""
    parser = _Selects()
    parser.feed(html)
    problems = []
    for name, (filtering, label) in parser.first.items():
        if "---" in label:
            problems.append(f"the select box {name} starts with {label!r}")
        elif filtering and label and label != "すべて":
            problems.append(f"the filter {name} starts with {label!r}, not すべて")
    return problems
