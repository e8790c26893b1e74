"""The Content-Security-Policy blocks nothing the pages need: no violation on the main screens."""

import pytest
from playwright.sync_api import Page

from itaku.people.roles import Role
from tests.area.factories import make_area
from tests.browser.support import log_in

PAGES = [
    "/dashboard/",
    "/area/",
    "/area/desk/",
    "/area/inside/",
    "/area/visitors/",
    "/area/records/",
    "/audit/",
    "/audit/status/",
    "/contracts/",
]


# What the policy lets a page load and run is the page's own: the same on every database.
pytestmark = pytest.mark.once


@pytest.mark.browser
def test_the_main_screens_run_under_the_policy_without_a_violation(
    browser_page: Page, live_server, personas
):
    make_area()
    page = browser_page
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    log_in(page, live_server, personas[Role.MANAGER].user.username)
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")

    assert not refused
