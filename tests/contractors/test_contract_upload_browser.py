"""A manager uploads a contract text in the browser and reads the provision report."""

import pytest
from playwright.sync_api import Page, expect

from itaku.people.roles import Role
from tests.browser.support import log_in, screenshot
from tests.contractors.factories import MISSING_ONE


@pytest.mark.browser
def test_manager_uploads_a_contract_and_sees_the_missing_provision_in_red(
    browser_page: Page,  # noqa: F811
    live_server,
    personas,
    contract,
    tmp_path,
):
    page = browser_page
    text_file = tmp_path / "業務委託契約書.txt"
    text_file.write_text(MISSING_ONE, encoding="utf-8")
    log_in(page, live_server, personas[Role.MANAGER].user.username)

    page.goto(f"{live_server.url}/contracts/{contract.pk}/documents/new/")
    page.select_option("#id_kind", "contract")
    page.set_input_files("#id_file", str(text_file))
    page.get_by_role("button", name="アップロードして確認").click()

    expect(page.locator("h1")).to_have_text(contract.title)
    expect(page.locator("#provision-2-2-l .status")).to_have_text("不足")
    expect(page.locator("#provision-2-2-l .status")).to_have_class("status status-attention")
    expect(page.locator("#provision-2-2-h")).to_contain_text("第三者に委託してはならない")
    # The message points to the table, which alone lists what is missing.
    expect(page.locator(".messages")).to_contain_text("下の表")
    screenshot(page, "contract-provisions")
