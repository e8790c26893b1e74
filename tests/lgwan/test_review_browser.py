"""The day's lookup review in a browser: the manager chooses every open finding, closes them
with one note and signs the day off."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from itaku.lgwan.models import DayReview, Finding
from itaku.people.roles import Role
from tests.browser.support import log_in, screenshot


@pytest.mark.browser
def test_the_manager_closes_the_days_findings_with_one_note_and_signs_the_day_off(
    browser_page: Page, live_server, personas
):
    page = browser_page
    day = timezone.localdate() - timedelta(days=1)
    findings = [
        Finding.objects.create(
            rule="no_receipt",
            clause_id="4-4",
            day=day,
            key=f"no_receipt:browser-{n}",
            owner=personas[Role.CITY_STAFF],
            detail=f"10:12:3{n} LG-01 / LG-U9004",
            found_at=timezone.now(),
        )
        for n in range(2)
    ]
    log_in(page, live_server, personas[Role.MANAGER].user.username)

    page.goto(f"{live_server.url}/lgwan/review/?day={day.isoformat()}")
    expect(page.locator("#findings")).to_contain_text("受付番号のない照会")
    page.get_by_label("未対応の指摘をすべて選ぶ").check()
    expect(page.get_by_label("「10:12:31 LG-01 / LG-U9004」を選ぶ")).to_be_checked()
    page.get_by_label("確認した内容").fill("申請書控えで受付番号の記入漏れを確認")
    page.get_by_role("button", name="選んだ指摘を完了する").click()
    expect(page.locator(".messages")).to_contain_text("2件の指摘を完了にしました")
    expect(page.locator("#findings")).to_contain_text("申請書控えで受付番号の記入漏れを確認")

    page.get_by_role("button", name="承認する").click()
    expect(page.locator("#signed-off")).to_contain_text("承認済み")
    screenshot(page, "lgwan-review-signed-off")

    for finding in findings:
        finding.refresh_from_db()
        assert finding.state == Finding.State.CLOSED
    assert DayReview.objects.get(day=day).decided_by == personas[Role.MANAGER]
