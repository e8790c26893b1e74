import pytest
from playwright.sync_api import Page, expect

from itaku.people.roles import Role
from tests.browser.support import log_in, screenshot


@pytest.mark.browser
def test_manager_logs_in_with_second_factor_and_reads_the_dashboard_in_both_languages(
    browser_page: Page, live_server, personas
):
    page = browser_page
    manager = personas[Role.MANAGER]
    page.goto(live_server.url)
    expect(page.locator("h1")).to_have_text("Itakuにログイン")

    log_in(page, live_server, manager.user.username)

    expect(page.locator("h1")).to_have_text("遵守状況ダッシュボード")
    expect(page.locator("#clause-3-1")).to_contain_text("管理者は市民生活総務課長とし")
    expect(page.locator("#clause-6-6 .status")).to_have_text("証跡なし")
    screenshot(page, "dashboard-ja")

    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Compliance dashboard")
    expect(page.locator("#clause-6-6 .status")).to_have_text("No evidence yet")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(page, "dashboard-en")


@pytest.mark.browser
def test_wrong_password_keeps_the_user_on_the_login_page_with_a_japanese_message(
    browser_page: Page, live_server, personas
):
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", personas[Role.CITY_STAFF].user.username)
    page.fill("#id_password", "not-the-password")
    page.locator("form:has(#id_password) button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("ユーザー名またはパスワードが違います")
