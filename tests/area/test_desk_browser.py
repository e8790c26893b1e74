"""The entry desk in a browser, by keyboard as at the door: a worker enters and leaves, an
unapproved visitor is refused with the reason, an approved visitor enters with the monitor,
who may not then leave the visitor alone."""

import pytest
from playwright.sync_api import Page, expect

from itaku.area.models import Passage
from itaku.people.roles import Role
from tests.area.factories import approved_permission, make_visitor
from tests.browser.support import log_in, screenshot


def _enter_by_keyboard(page: Page, badge: str) -> None:
    """Type or scan the badge, tick the three checks with Tab and Space, Enter records."""
    field = page.get_by_label("名札番号又は氏名")
    field.fill("")
    field.focus()
    page.keyboard.type(badge)
    for _check in range(3):
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.wait_for_load_state()


@pytest.mark.browser
def test_the_desk_admits_refuses_and_admits_a_monitored_visitor(
    browser_page: Page,  # noqa: F811
    live_server,
    personas,
    area,
):
    page = browser_page
    worker, lead, manager = (
        personas[Role.CONTRACTOR_WORKER],
        personas[Role.CONTRACTOR_LEAD],
        personas[Role.MANAGER],
    )
    stranger = make_visitor("未許可 架空", "V-0900")
    guest = make_visitor("許可済 架空", "V-0901")
    approved_permission(guest, lead, manager)
    log_in(page, live_server, personas[Role.CITY_STAFF].user.username)

    page.goto(f"{live_server.url}/area/desk/")
    _enter_by_keyboard(page, worker.badge_number)
    expect(page.locator("#desk-result")).to_contain_text(f"{worker.name} が入室しました")
    expect(page.locator("#inside-heading")).to_have_text("入室中: 1 人")

    page.get_by_role("button", name=f"退室: {worker.name}").click()
    expect(page.locator("#desk-result")).to_contain_text(f"{worker.name} が退室しました")
    expect(page.locator("#inside-heading")).to_have_text("入室中: 0 人")

    _enter_by_keyboard(page, stranger.badge_number)
    expect(page.locator("#desk-result")).to_contain_text("入室できません")
    expect(page.locator(".desk-reasons")).to_contain_text("3-4")
    expect(page.locator(".desk-reasons")).to_contain_text("入室許可がありません")
    screenshot(page, "area-desk-refused")

    _enter_by_keyboard(page, lead.badge_number)
    _enter_by_keyboard(page, guest.badge_number)
    expect(page.locator("#desk-result")).to_contain_text(f"{guest.name} が入室しました")
    expect(page.locator("#desk-result")).to_contain_text(f"監視者: {lead.name}")
    expect(page.locator("#inside-heading")).to_have_text("入室中: 2 人")
    screenshot(page, "area-desk-visitor-admitted")

    # 3-4: the monitor may not leave the visitor alone inside.
    page.get_by_role("button", name=f"退室: {lead.name}").click()
    expect(page.locator(".field-error")).to_contain_text("3-4")
    expect(page.locator("#inside-heading")).to_have_text("入室中: 2 人")

    refused = Passage.objects.get(person=stranger)
    assert refused.outcome == Passage.Outcome.REFUSED
    assert Passage.objects.get(person=guest).monitor == lead
