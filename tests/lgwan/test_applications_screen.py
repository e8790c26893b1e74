"""Applications (受付番号) brought in on the import screen: the lookups' justification (4-4)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from itaku.audit.models import Event
from itaku.lgwan.models import Application
from itaku.people.roles import Role

URL = "/lgwan/applications/"


def _upload(client, text: str, encoding: str = "utf-8"):
    upload = SimpleUploadedFile("applications.csv", text.encode(encoding), "text/csv")
    return client.post(URL, {"file": upload}, follow=True)


def test_the_manager_imports_applications_and_sees_the_days_they_cover(as_role):
    page = _upload(
        as_role(Role.MANAGER),
        "受付番号,受付日\n1127-0001,2026-11-27\n1127-0002,2026/11/27\n1126-0001,2026-11-26\n",
    )

    text = page.content.decode()
    assert "申請3件を追加しました。" in text
    held = text[text.index('id="application-days"') :]
    assert held.index("令和8年11月27日") < held.index("令和8年11月26日")
    assert "<td>2</td>" in held and "<td>1</td>" in held
    assert set(Application.objects.values_list("day", flat=True)) == {
        date(2026, 11, 27),
        date(2026, 11, 26),
    }


def test_a_bad_line_is_named_once_and_the_good_ones_are_kept(as_role):
    page = _upload(as_role(Role.MANAGER), "受付番号,受付日\n1127-0001,2026-11-27\n1127-0002,昨日\n")

    text = page.content.decode()
    assert "申請1件を追加しました。" in text
    assert text.count("3行目") == 1
    assert Application.objects.count() == 1
    assert Event.objects.get(code="lgwan.application.imported").changes["rejected"] == [3]


def test_the_same_applications_twice_are_kept_once(as_role):
    client = as_role(Role.MANAGER)
    _upload(client, "受付番号,受付日\n1127-0001,2026-11-27\n")

    page = _upload(client, "受付番号,受付日\n1127-0001,2026-11-27\n")

    assert "申請0件を追加しました。" in page.content.decode()
    assert Application.objects.count() == 1


def test_a_file_without_the_columns_is_refused_whole(as_role):
    page = _upload(as_role(Role.MANAGER), "番号,日\n1127-0001,2026-11-27\n")

    assert "受付番号" in page.content.decode()
    assert not Application.objects.exists()


def test_past_twenty_bad_lines_the_rest_are_counted_not_listed(as_role):
    lines = "".join(f"1127-{n:04d},不明\n" for n in range(25))

    page = _upload(as_role(Role.MANAGER), "受付番号,受付日\n" + lines)

    text = page.content.decode()
    assert "21行目" in text and "22行目" not in text
    assert "ほかに5行を除外しました。" in text


def test_a_day_as_a_spreadsheet_writes_it_is_read(as_role):
    _upload(as_role(Role.MANAGER), "受付番号,受付日\n0105-0001,2026/1/5\n")

    assert Application.objects.get().day == date(2026, 1, 5)


def test_a_day_outside_the_calendar_is_a_refused_line(as_role):
    page = _upload(as_role(Role.MANAGER), "受付番号,受付日\n0101-0001,0001-01-01\n")

    assert "2行目" in page.content.decode()
    assert not Application.objects.exists()


def test_every_refused_line_is_numbered_in_the_audit_event_however_many(as_role):
    lines = "".join(f"1127-{n:04d},不明\n" for n in range(150))

    page = _upload(as_role(Role.MANAGER), "受付番号,受付日\n" + lines)

    assert "ほかに130行を除外しました。" in page.content.decode()
    event = Event.objects.get(code="lgwan.application.imported")
    assert event.changes["rejected"] == list(range(2, 152))
