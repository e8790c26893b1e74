"""A person's name never breaks across lines on a phone: not between family and given name,
not inside either (「見本 一\\n郎」), in the narrow columns of the lists that name people."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from itaku.contractors.models import Contract
from itaku.core.demo_data import DEMO_PASSWORD
from tests.browser.support import log_in, screenshot

# Each name is one inline box; a name broken over lines has one box per line.
BROKEN_NAMES = (
    """els => els.filter(el => el.getClientRects().length > 1).map(el => el.textContent)"""
)


@pytest.mark.browser
def test_names_stay_on_one_line_in_the_lists_on_a_phone(browser: Browser, live_server, capsys):
    call_command("demo")
    capsys.readouterr()
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    log_in(page, live_server, "kanri", DEMO_PASSWORD)
    contract = Contract.objects.get()
    for shot, path in [
        ("names-visitors", "/area/visitors/"),
        ("names-roster", f"/contracts/{contract.pk}/roster/"),
        ("names-people", "/people/"),
    ]:
        page.goto(live_server.url + path)
        names = page.locator(".name")
        assert names.count() > 1, path
        assert names.evaluate_all(BROKEN_NAMES) == [], path
        screenshot(page, f"{shot}-390")
    context.close()
