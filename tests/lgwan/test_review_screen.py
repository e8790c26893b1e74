"""The day's review screen: the manager ticks findings and closes them with one note (4-4)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from itaku.audit.models import Event
from itaku.lgwan import actions
from itaku.lgwan.models import Finding
from itaku.people.roles import Role

URL = "/lgwan/findings/close/"


def _finding(n: int, owner, day=None) -> Finding:
    return Finding.objects.create(
        rule="unknown_receipt",
        clause_id="4-4",
        day=day or timezone.localdate() - timedelta(days=1),
        key=f"unknown_receipt:{n}",
        owner=owner,
        detail=f"14:1{n}:00 LG-03 / LG-U0104 #1127-011{n}",
        found_at=timezone.now(),
    )


@pytest.fixture
def clerk(personas):
    return personas[Role.CITY_STAFF]


def _post(client, findings, note="申請書控えで受付番号を確認", day=None):
    day = day or timezone.localdate() - timedelta(days=1)
    return client.post(
        URL, {"day": day.isoformat(), "findings": findings, "note": note}, follow=True
    )


def test_the_manager_closes_three_findings_with_one_note(as_role, clerk, manager):
    findings = [_finding(n, clerk) for n in range(3)]
    left_open = _finding(9, clerk)

    page = _post(as_role(Role.MANAGER), [f.pk for f in findings])

    assert "3件の指摘を完了にしました。" in page.content.decode()
    for finding in findings:
        finding.refresh_from_db()
        assert finding.state == Finding.State.CLOSED
        assert finding.decided_by == manager
        assert finding.decision_note == "申請書控えで受付番号を確認"
    left_open.refresh_from_db()
    assert left_open.state == Finding.State.OPEN
    closed = Event.objects.filter(code="lgwan.finding.closed")
    assert sorted(int(e.object_id) for e in closed) == sorted(f.pk for f in findings)


def test_the_review_page_offers_a_box_for_each_open_finding_only(as_role, clerk, manager):
    open_one, closed_one = _finding(1, clerk), _finding(2, clerk)
    actions.close_finding(closed_one, note="確認済み", by=manager)
    day = open_one.day.isoformat()

    html = as_role(Role.MANAGER).get(f"/lgwan/review/?day={day}").content.decode()

    assert f'name="findings" value="{open_one.pk}"' in html
    assert f'value="{closed_one.pk}"' not in html
    assert "選んだ指摘を完了する" in html


@pytest.mark.parametrize(
    ("asked", "why"),
    [("abc", "日付を正しく入力してください。"), ("9999-12-31", "までの日付を入力してください。")],
)
def test_a_day_the_review_cannot_read_is_named_and_yesterday_shown(as_role, asked, why):
    yesterday = timezone.localdate() - timedelta(days=1)

    page = as_role(Role.MANAGER).get(f"/lgwan/review/?day={asked}")

    text = page.content.decode()
    assert page.status_code == 200
    assert "日付：" in text and why in text
    assert (
        f"代わりに令和{yesterday.year - 2018}年{yesterday.month}月{yesterday.day}日の点検" in text
    )


def test_the_day_is_offered_for_sign_off_only_once_its_findings_are_closed(as_role, clerk, manager):
    finding = _finding(1, clerk)
    client = as_role(Role.MANAGER)
    url = f"/lgwan/review/?day={finding.day.isoformat()}"

    waiting = client.get(url).content.decode()
    actions.close_finding(finding, note="確認済み", by=manager)
    ready = client.get(url).content.decode()

    assert "未完了の指摘が1件あります。上で完了してから、この日を承認してください。" in waiting
    assert 'action="/lgwan/review/sign-off/"' not in waiting
    assert 'action="/lgwan/review/sign-off/"' in ready


def test_one_finding_the_manager_may_not_close_keeps_all_open(as_role, clerk, manager):
    """3-1: a finding about the manager's own ID is someone else's to close; the batch is
    refused whole, naming it, so that no finding is closed by accident of the ticking."""
    others = _finding(1, clerk)
    own = _finding(2, manager)

    page = _post(as_role(Role.MANAGER), [others.pk, own.pk])

    text = page.content.decode()
    assert own.detail in text and "どの指摘も完了にしていません" in text
    assert set(Finding.objects.values_list("state", flat=True)) == {Finding.State.OPEN}
    assert not Event.objects.filter(code="lgwan.finding.closed").exists()


@pytest.mark.parametrize(
    ("findings", "note", "message"),
    [
        ([], "確認", "完了にする指摘を選んでください。"),
        (["abc"], "確認", "すでに完了したものか存在しないもの"),
        ([987654], "確認", "すでに完了したものか存在しないもの"),
        (None, "", "確認した内容"),
        (None, "x" * 2001, "確認した内容: この値は 2000 文字以下"),
    ],
)
def test_a_bad_request_closes_nothing_and_says_why(as_role, clerk, findings, note, message):
    finding = _finding(1, clerk)

    page = _post(as_role(Role.MANAGER), [finding.pk] if findings is None else findings, note)

    assert page.status_code == 200
    assert message in page.content.decode()
    finding.refresh_from_db()
    assert finding.state == Finding.State.OPEN


def test_a_finding_of_another_day_is_refused(as_role, clerk):
    earlier = _finding(1, clerk, day=timezone.localdate() - timedelta(days=3))

    page = _post(as_role(Role.MANAGER), [earlier.pk])

    assert "選んだ指摘に別の日のものがあります。" in page.content.decode()
    earlier.refresh_from_db()
    assert earlier.state == Finding.State.OPEN


def test_closing_none_is_refused_by_the_action(manager):
    with pytest.raises(ValidationError, match="完了にする指摘"):
        actions.close_findings([], note="確認", by=manager)
