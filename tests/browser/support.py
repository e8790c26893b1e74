"""Browser-test fixtures and helpers, loaded for the whole suite from tests/conftest.py.

Playwright for Python drives Debian's chromium against the live server. One browser serves
every browser test of the run, whatever folder it is in.

Playwright's own browser download does not work here, so the suite uses /usr/bin/chromium
(installed by scripts/system-deps). Screenshots are kept under test-artifacts/.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TEST_PASSWORD = "correct-horse-battery"  # noqa: S105 - the factories' password

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps (browser tests never skip)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def log_in(page: Page, live_server, username: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the login page, passing the second step with a current code if asked."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form:has(#id_password) button[type=submit]").click()
    page.wait_for_load_state()
    if "/login/otp/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.fill("#id_token", f"{code:06d}")
        page.locator("form:has(#id_token) button[type=submit]").click()
        page.wait_for_load_state()
