import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from itaku.core.demo_data import DEMO_PASSWORD
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


@pytest.mark.browser
def test_on_a_phone_the_dashboard_opens_with_what_needs_attention_and_folds_the_rest(
    browser: Browser, live_server, capsys
):
    call_command("demo")
    capsys.readouterr()
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    log_in(page, live_server, "shokuin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("#overall")).to_contain_text("要対応の条項が")
    # The first clause shown needs attention; no ok clause is open before one that does.
    statuses = page.locator(".clause .clause-head .status").evaluate_all(
        "els => els.filter(el => el.checkVisibility()).map(el => el.className)"
    )
    assert statuses and all("status-attention" in status for status in statuses)
    screenshot(page, "dashboard-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # About 24,000 px with every clause in a table; the target is under 8,000.
    assert page.evaluate("document.documentElement.scrollHeight") < 8000
    screenshot(page, "dashboard-390")

    # Every clause stays one jump and one tap away.
    expect(page.locator("#clause-6-6")).to_be_hidden()
    page.locator(".chapter-toc a[href='#chapter-6']").click()
    page.locator("#chapter-6 details.clauses-ok > summary").click()
    expect(page.locator("#clause-6-6")).to_be_visible()
    expect(page.locator("#clause-6-6 .status")).to_have_text("適合")
    context.close()
