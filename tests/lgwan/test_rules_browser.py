"""The review rules in a browser: the manager reads the list, changes a threshold and finds the
change on the audit trail in words."""

import pytest
from playwright.sync_api import Page, expect

from itaku.audit.models import Event
from itaku.people.roles import Role
from tests.browser.support import log_in, screenshot


@pytest.mark.browser
def test_the_manager_changes_a_threshold_and_reads_the_change_on_the_audit_trail(
    browser_page: Page, live_server, personas
):
    page = browser_page
    log_in(page, live_server, personas[Role.MANAGER].user.username)

    page.goto(f"{live_server.url}/lgwan/rules/")
    screenshot(page, "lgwan-rules")
    page.get_by_role("link", name="同じIDを同時に2台の端末で使用").click()
    screenshot(page, "lgwan-rule")
    page.get_by_label("時間枠（分）").fill("15")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#rules")).to_contain_text("時間枠（分）: 15")

    event = Event.objects.get(code="lgwan.rule.changed")
    page.goto(f"{live_server.url}/audit/event/{event.pk}/")
    expect(page.locator("main")).to_contain_text("時間枠（分）: 5 → 15")
    screenshot(page, "lgwan-rule-changed-event")
