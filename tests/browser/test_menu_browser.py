"""The grouped menu: one group open at a time, closed by a click outside or by Escape, and each
group's name says whether it is open."""

import pytest
from playwright.sync_api import Page, expect

from itaku.people.roles import Role
from tests.browser.support import log_in


@pytest.mark.browser
def test_a_menu_group_closes_on_a_click_outside_and_on_escape(
    browser_page: Page, live_server, personas
):
    page = browser_page
    log_in(page, live_server, personas[Role.MANAGER].user.username)
    page.goto(f"{live_server.url}/area/visitors/")
    nav = page.locator(".site-nav")
    area = nav.locator("details", has=page.locator("summary", has_text="管理区域"))
    audit = nav.locator("details", has=page.locator("summary", has_text="監査"))
    area_name, audit_name = area.locator("summary"), audit.locator("summary")
    expect(area_name).to_have_attribute("aria-expanded", "false")

    area_name.click()
    expect(area_name).to_have_attribute("aria-expanded", "true")
    expect(area.locator("ul")).to_be_visible()
    audit_name.click()  # opening another group closes the first
    expect(audit_name).to_have_attribute("aria-expanded", "true")
    expect(area_name).to_have_attribute("aria-expanded", "false")
    expect(area.locator("ul")).to_be_hidden()

    page.mouse.click(1250, 880)  # a click outside the menu, low on the right
    expect(audit_name).to_have_attribute("aria-expanded", "false")
    expect(audit.locator("ul")).to_be_hidden()

    # By keyboard: Enter opens, Tab walks into the group, Escape closes it and the focus is back
    # on the group's name.
    area_name.focus()
    page.keyboard.press("Enter")
    expect(area_name).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(area.locator("ul a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(area_name).to_have_attribute("aria-expanded", "false")
    expect(area.locator("ul")).to_be_hidden()
    expect(area_name).to_be_focused()
