"""Every screen, for every role, in Japanese: no serious accessibility fault, fits a phone.

The pages are those a role reaches by following links from its start page (tests/screens/crawl.py,
one address per URL pattern) over the demo's fictional office. axe-core, shipped inside the
axe-playwright-python wheel, checks each page; a screenshot at 1280 px and at 390 px is kept under
test-artifacts/screens/ for people to look at.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser

from itaku.core.demo_data import DEMO_PASSWORD
from itaku.people.demo import PEOPLE
from itaku.people.roles import Role
from tests.browser.support import ARTIFACTS, log_in
from tests.conftest import sign_in
from tests.screens.crawl import demo_person, walk

SHOTS = ARTIFACTS / "screens"
SERIOUS = {"serious", "critical"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}


def _shot_name(role: Role, name: str, width: int) -> str:
    return f"{role.value}--{re.sub(r'[^a-z0-9_]+', '-', name)}--{width}.png"


@pytest.mark.browser
@pytest.mark.once
def test_every_screen_of_every_role_is_accessible_and_fits_a_phone(
    browser: Browser, live_server, capsys
):
    call_command("demo")
    capsys.readouterr()
    SHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    faults: list[str] = []
    checked: set[str] = set()
    for role in Role:
        username = next(row[0] for row in PEOPLE if row[4] == role and row[0])
        pages = walk(sign_in(Client(), demo_person(role))).html_pages()
        context = browser.new_context(
            locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, live_server, username, DEMO_PASSWORD)
        for name, visit in pages.items():
            # Bounded: a page an earlier role has shown is checked again only as a start page,
            # where the role's own menu and header are.
            if name in checked and visit.found_on:
                continue
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(live_server.url + visit.url)
            assert page.locator("html").get_attribute("lang") == "ja"
            for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
                if violation["impact"] in SERIOUS:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    faults.append(f"{role.value} {visit.url}: {violation['id']} {targets}")
            page.screenshot(path=str(SHOTS / _shot_name(role, name, 1280)), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
            overflow = page.evaluate("document.documentElement.scrollWidth")
            if overflow > 390:
                faults.append(f"{role.value} {visit.url}: {overflow} px wide on a 390 px screen")
            page.screenshot(path=str(SHOTS / _shot_name(role, name, 390)), full_page=True)
            checked.add(name)
        context.close()
    assert len(checked) > 30
    assert not faults, "\n".join(faults)
