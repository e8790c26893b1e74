"""The audit screens in a browser: a look at people is recorded, the auditor verifies the chain."""

import pytest
from playwright.sync_api import Page, expect

from itaku.people.roles import Role
from tests.browser.support import log_in, screenshot


@pytest.mark.browser
def test_the_manager_signs_and_the_auditor_verifies_and_sees_who_looked_at_whom(
    browser_page: Page, live_server, personas, signing_key
):
    page = browser_page
    manager, auditor = personas[Role.MANAGER], personas[Role.AUDITOR]
    log_in(page, live_server, manager.user.username)
    page.goto(f"{live_server.url}/people/")
    page.goto(f"{live_server.url}/audit/status/")
    page.get_by_role("button", name="今すぐチェックポイントに署名").click()
    expect(page.locator(".messages")).to_contain_text("署名しました")
    page.get_by_role("button", name="ログアウト").click()

    log_in(page, live_server, auditor.user.username)
    page.goto(f"{live_server.url}/audit/status/")
    expect(page.get_by_role("button", name="今すぐチェックポイントに署名")).to_have_count(0)
    page.get_by_role("button", name="今すぐ検証").click()
    expect(page.get_by_role("status")).to_contain_text("すべてのログの検証に成功しました")
    screenshot(page, "audit-status-ja")

    page.goto(f"{live_server.url}/audit/")
    page.select_option("#id_object_type", "people.person")
    page.fill("#id_object_id", str(auditor.pk))
    page.get_by_role("button", name="表示").click()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("個人情報の閲覧")
    expect(row).to_contain_text(manager.name)
    expect(row).to_contain_text(auditor.name)
    screenshot(page, "audit-events-who-looked-at-whom-ja")
