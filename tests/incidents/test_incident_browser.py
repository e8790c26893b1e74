"""The whole path in a browser: the lead reports from a phone-sized screen, the manager's mail
arrives at a real SMTP server, the superior is told, the written report and its PDF, what the
law requires, publication, and the close."""

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from itaku.incidents.models import Incident
from itaku.people.roles import Role
from tests.browser.support import log_in, screenshot


def _phone(browser: Browser) -> Page:
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.mark.browser
def test_an_incident_from_the_phone_report_to_its_close(
    browser: Browser, browser_page: Page, live_server, people, smtp
):
    lead = people[Role.CONTRACTOR_LEAD]
    phone = _phone(browser)
    log_in(phone, live_server, lead.user.username)
    phone.goto(f"{live_server.url}/incidents/new/")
    phone.select_option("#id_kind", "loss")
    phone.fill("#id_summary", "申請書（見本）の所在不明")
    phone.fill("#id_place", "旅券窓口")
    # One column on a phone: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "incident-report-phone")
    phone.get_by_role("button", name="報告", exact=True).click()
    expect(phone.locator(".messages")).to_contain_text("管理者と次席者に通知しました")
    incident = Incident.objects.get()

    smtp.wait(1)
    recipients, message = smtp.messages[0]
    assert "manager@example.jp" in recipients
    assert "申請書（見本）の所在不明" in str(message["Subject"])

    page = browser_page
    log_in(page, live_server, people[Role.MANAGER].user.username)
    page.goto(f"{live_server.url}/incidents/")
    expect(page.locator("#awaiting")).to_contain_text("申請書（見本）の所在不明")
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    page.get_by_role("button", name="報告を受けたことを記録").click()
    expect(page.locator("#manager-told")).to_contain_text("発覚から")
    page.select_option("#id_superior-superior", str(people[Role.SUPERIOR].pk))
    page.fill("#id_superior-measures", "保管庫の捜索を指示")
    page.get_by_role("button", name="上席者への報告を記録").click()
    expect(page.locator("#superior-told")).to_contain_text(people[Role.SUPERIOR].name)

    phone.goto(f"{live_server.url}/incidents/{incident.pk}/report/")
    for field, value in {
        "assets": "旅券申請書（紙）",
        "records_count": "150",
        "persons_count": "150",
        "data_items": "氏名、住所、生年月日",
        "place": "旅券窓口 書類保管庫",
        "circumstances": "日次点検で申請書の束が見当たらなかった。",
        "cause": "保管庫への収納漏れ",
        "city_instructions": "捜索を続けること",
        "contractor_responses": "捜索中",
        "prevention": "終業時の二人点検",
    }.items():
        phone.fill(f"#id_{field}", value)
    phone.get_by_role("button", name="報告書を保存").click()
    expect(phone.locator("#written-report")).to_contain_text("150")

    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    pdf = page.request.get(f"{live_server.url}/incidents/{incident.pk}/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    page.get_by_role("button", name="事故報告書を確認").click()
    expect(page.locator("#written-report")).to_contain_text("確認")

    expect(page.locator("#law-verdict")).to_contain_text("個人情報保護委員会への報告")
    expect(page.locator("#law")).to_contain_text("本人の数が法令の基準（100人）を超える")
    today = timezone.localdate().isoformat()
    page.select_option("#id_commission-stage", "preliminary")
    page.fill("#id_commission-on", today)
    page.get_by_role("button", name="報告を記録").click()
    page.select_option("#id_commission-stage", "final")
    page.get_by_role("button", name="報告を記録").click()
    page.fill("#id_notice-on", today)
    page.get_by_role("button", name="通知を記録").click()
    expect(page.locator("#law")).to_contain_text("報告済み")

    page.fill("#id_draft-text", "本市の委託先において旅券申請書の所在不明が発生しました。")
    page.fill("#id_draft-reasons", "本人の数が100人を超えるため")
    page.get_by_role("button", name="文案を保存").click()
    page.select_option("#id_decide-publish", "yes")
    page.fill("#id_decide-published_on", today)
    page.get_by_role("button", name="判断を記録").click()
    expect(page.locator("#publication")).to_contain_text("公表済み")

    page.fill("#id_close-note", "再発防止策を確認")
    page.get_by_role("button", name="事故を終結").click()
    expect(page.locator("#closed")).to_contain_text(people[Role.MANAGER].name)
    screenshot(page, "incident-closed")
    incident.refresh_from_db()
    assert incident.state == Incident.State.CLOSED
    phone.context.close()
