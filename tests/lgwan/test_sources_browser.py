"""A source for a `|`-separated file without a header line, set up and tried in a browser (4-4).

The manager chooses how the file is written, gives the columns by position, and tries the
mapping on the head of a file: the page shows how the lines split, without a serious
accessibility fault, and fits a phone. Screenshots at 1280 and 390 px are kept.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from itaku.lgwan.models import LogSource, Lookup
from itaku.lgwan.sample import SAMPLE_POSITIONS_MAPPING, sample_line
from itaku.people.roles import Role
from tests.browser.support import log_in, screenshot
from tests.browser.test_screens_browser import AXE_OPTIONS, SERIOUS
from tests.lgwan.factories import yesterday

NAME = "架空 申請者"


def _head() -> bytes:
    lines = [
        sample_line(yesterday(9), "LG-01", "LG-U0102", "ログイン", kind=""),
        sample_line(yesterday(9, 12), "LG-01", "LG-U0102", receipt="1126-0001", name=NAME),
        sample_line(yesterday(9, 31), "LG-01", "LG-U0102", action="削除"),
    ]
    return ("\r\n".join(line.replace(",", "|") for line in lines) + "\r\n").encode("cp932")


def _fits_a_phone(page: Page, name: str) -> None:
    faults = [
        violation["id"]
        for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert not faults
    screenshot(page, f"{name}--1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, f"{name}--390")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser
def test_the_manager_sets_up_a_headerless_pipe_source_and_tries_it(
    browser_page: Page, live_server, personas
):
    page = browser_page
    log_in(page, live_server, personas[Role.MANAGER].user.username)
    page.goto(f"{live_server.url}/lgwan/sources/new/?sample=1")
    page.get_by_label("取込元の名称").fill("架空 窓口システム（パイプ区切り）")
    page.get_by_label("文字コード").select_option("cp932")
    page.get_by_label("ファイルの1行目").select_option("data")
    page.locator("#id_delimiter").select_option("other")
    page.get_by_label("その他の区切り文字").fill("|")
    page.get_by_label("引用符").select_option("none")
    for field, position in [("timestamp", "1"), ("terminal", "2"), ("account", "3")]:
        page.locator(f"#id_{field}").fill(position)
    page.locator("#id_action").fill("4")
    page.locator("#id_kind").fill("5")
    page.locator("#id_receipt").fill("6")
    page.locator("#id_subject").fill("7\n8\n9")
    _fits_a_phone(page, "lgwan-source-form")

    page.locator("#id_file").set_input_files(
        files=[{"name": "head.txt", "mimeType": "text/plain", "buffer": _head()}]
    )
    page.get_by_role("button", name="上の対応づけで試す（保存しません）").click()

    split = page.locator("#preview-split")
    expect(split).to_contain_text("1列目")
    expect(split).to_contain_text("LG-U0102")
    expect(split).to_contain_text("非表示")
    expect(page.locator("#preview-lines")).to_contain_text("削除")
    assert NAME not in page.content()
    _fits_a_phone(page, "lgwan-source-preview")

    page.get_by_role("button", name="登録してトークンを表示").click()
    expect(page.locator("#source-token")).to_be_visible()
    assert LogSource.objects.get().mapping == SAMPLE_POSITIONS_MAPPING
    assert not Lookup.objects.exists()
