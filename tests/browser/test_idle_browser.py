"""4-5: the idle logout warns first, offers to stay, says why afterwards and keeps typed text."""

import pytest
from playwright.sync_api import Page, expect

from itaku.people.roles import Role
from tests.browser.support import TEST_PASSWORD, log_in

# The warning's timing and the typed text kept are the page's own: the same on every database.
pytestmark = pytest.mark.once


@pytest.mark.browser
def test_the_idle_warning_comes_before_the_logout_and_its_button_keeps_the_session(
    browser_page: Page, live_server, personas, settings
):
    settings.SESSION_COOKIE_AGE = 6  # the warning comes after 3 s, the logout after 8 s
    page = browser_page
    log_in(page, live_server, personas[Role.CITY_STAFF].user.username)
    page.goto(f"{live_server.url}/area/visitors/")
    warning = page.locator("#idle-warning")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=6_000)
    expect(warning).to_contain_text("まもなくログアウトします")
    expect(page.get_by_role("button", name="ログインを続ける")).to_be_focused()

    page.get_by_role("button", name="ログインを続ける").click()
    expect(warning).to_be_hidden()
    assert "/area/visitors/" in page.url  # the page stayed: nothing typed was lost

    # Left alone again, the session ends and the login page says why.
    page.wait_for_url("**/login/**", timeout=15_000)
    expect(page.locator("#idle-logout-reason")).to_contain_text("一定時間操作がなかったため")


@pytest.mark.browser
def test_text_typed_before_an_idle_logout_is_back_after_logging_in_again(
    browser_page: Page, live_server, personas, settings
):
    settings.SESSION_COOKIE_AGE = 4
    page = browser_page
    username = personas[Role.CITY_STAFF].user.username
    log_in(page, live_server, username)
    page.goto(f"{live_server.url}/area/visitors/")
    page.fill("#id_purpose", "発券機の点検（入力途中）")
    page.fill("#id_new_name", "保守 架空次郎")

    page.wait_for_url("**/login/**", timeout=15_000)
    expect(page.locator("#id_purpose")).to_have_count(0)
    settings.SESSION_COOKIE_AGE = 900
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("form:has(#id_password) button[type=submit]").click()

    page.wait_for_url("**/area/visitors/")
    expect(page.locator("#id_purpose")).to_have_value("発券機の点検（入力途中）")
    expect(page.locator("#id_new_name")).to_have_value("保守 架空次郎")
    stored = page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")
    assert "csrfmiddlewaretoken" not in stored
    assert TEST_PASSWORD not in stored

    # Sending the form forgets what was kept, whatever the server answers.
    page.locator("form:has(#id_purpose) button[type=submit]").click()
    page.wait_for_load_state()
    assert "発券機の点検" not in page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")
