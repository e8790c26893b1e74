"""The lookup log sources on the screen (4-4): a mapping is registered, changed and tried out.

Every refusal names the field it is about, in Japanese first; trying a mapping on a file shows
how each line would be read and stores nothing.
"""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from itaku.audit.models import Event
from itaku.lgwan import actions
from itaku.lgwan.mapping import to_fields
from itaku.lgwan.models import LogFile, LogSource, Lookup, RejectedLine
from itaku.lgwan.sample import SAMPLE_MAPPING
from itaku.people import actions as people_actions
from itaku.people.roles import Role
from tests.lgwan.factories import load, sample_file, sample_line, yesterday

NAME = "架空 申請者"


def _form(**changes: str) -> dict[str, str]:
    return {"name": "架空 窓口システム", "encoding": "auto", **to_fields(SAMPLE_MAPPING), **changes}


def _upload(data: bytes, name: str = "head.csv") -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def _lines() -> list[str]:
    return [
        sample_line(yesterday(9), "LG-01", "U1001", receipt="R-1", name=NAME),
        "昨日の朝,LG-01,U1001,照会,本人確認情報,,,,",
        sample_line(yesterday(9, 10), "LG-01", "U1001", action="削除"),
        sample_line(yesterday(9, 15), "LG-01", "U1001").rsplit(",", 3)[0],
    ]


def test_the_manager_registers_a_source_from_the_sample_and_sees_its_token_once(as_role):
    client = as_role(Role.MANAGER)
    offered = client.get(reverse("lgwan:source_new") + "?sample=1").content.decode()

    response = client.post(reverse("lgwan:source_new"), _form(save="1"))

    assert 'value="照会日時"' in offered
    source = LogSource.objects.get(name="架空 窓口システム")
    assert source.mapping == SAMPLE_MAPPING
    page = response.content.decode()
    assert 'id="source-token"' in page
    assert source.token_hint in page
    assert Event.objects.filter(code="lgwan.source.registered").count() == 1
    assert (
        'id="source-token"'
        not in client.get(reverse("lgwan:source", args=[source.pk])).content.decode()
    )


def test_a_mapping_without_its_required_columns_is_refused_naming_each_field(as_role):
    client = as_role(Role.MANAGER)

    response = client.post(reverse("lgwan:source_new"), _form(timestamp="", account="  ", save="1"))

    errors = response.context["form"].errors
    assert set(errors) == {"timestamp", "account"}
    page = response.content.decode()
    assert "日時の列：ファイルの見出し行にある列名を入れてください。" in page
    assert "LGWAN IDの列：" in page
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_timestamp_help id_timestamp_error"' in page
    assert not LogSource.objects.exists()


def test_the_refusals_are_in_english_for_an_english_reader(as_role):
    client = as_role(Role.MANAGER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("lgwan:source_new"), _form(timestamp="", save="1"))

    assert "Time column: give the column&#x27;s name as the file&#x27;s header line writes it." in (
        response.content.decode()
    )


def test_a_column_given_twice_a_bad_format_or_zone_and_a_word_given_twice_are_refused(as_role):
    client = as_role(Role.MANAGER)

    response = client.post(
        reverse("lgwan:source_new"),
        _form(
            account="端末番号",
            timestamp_format="YYYY/MM/DD",
            time_zone="Mars/Olympus",
            logout_values="ログアウト\n照会",
            save="1",
        ),
    )

    errors = response.context["form"].errors
    assert set(errors) == {"account", "timestamp_format", "time_zone", "logout_values"}
    assert "「端末番号」" in errors["account"][0] and "端末の列" in errors["account"][0]
    assert "YYYY/MM/DD" in errors["timestamp_format"][0]
    assert "Mars/Olympus" in errors["time_zone"][0]
    assert "照会" in errors["logout_values"][0]
    assert not LogSource.objects.exists()


def test_the_command_line_and_the_screen_refuse_the_same_mapping(db):
    broken = {"columns": {"timestamp": "照会日時", "terminal": "端末番号"}, "actions": {"x": "y"}}

    with pytest.raises(ValidationError) as refused:
        actions.register_source(name="架空", mapping=broken, by=None)

    assert {"account", "action", "mapping"} <= set(refused.value.message_dict)


def test_changing_a_mapping_is_audited_with_before_and_after(source, as_role):
    client = as_role(Role.MANAGER)

    response = client.post(
        reverse("lgwan:source", args=[source.pk]),
        _form(name=source.name, receipt="受付No", save="1"),
    )

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.mapping["columns"]["receipt"] == "受付No"
    event = Event.objects.get(code="lgwan.source.changed")
    old, new = event.data["changes"]["mapping"]
    assert (old["columns"]["receipt"], new["columns"]["receipt"]) == ("受付番号", "受付No")
    assert set(event.data["changes"]) == {"mapping"}


def test_the_deputy_changes_a_mapping_only_while_the_manager_is_away(source, as_role, manager):
    client = as_role(Role.DEPUTY)
    url = reverse("lgwan:source", args=[source.pk])
    values = _form(name=source.name, receipt="受付No", save="1")

    refused = client.post(url, values)
    now = timezone.now()
    people_actions.record_absence(
        manager,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        reason="出張",
        by=manager,
    )
    accepted = client.post(url, values)

    assert refused.status_code == 200
    assert "3-1" in refused.context["form"].non_field_errors()[0]
    assert accepted.status_code == 302
    source.refresh_from_db()
    assert source.mapping["columns"]["receipt"] == "受付No"
    assert Event.objects.get(code="lgwan.source.changed").data["capacity"] == "deputy"


def test_trying_a_mapping_shows_each_line_as_read_and_stores_nothing(source, as_role):
    client = as_role(Role.MANAGER)
    before = Event.objects.count()

    response = client.post(
        reverse("lgwan:source", args=[source.pk]),
        {
            **_form(name=source.name, receipt=""),
            "preview": "1",
            "file": _upload(sample_file(_lines())),
        },
    )

    page = response.content.decode()
    trial = response.context["trial"]
    assert [line.number for line in trial.lines if line.values] == [2]
    reasons = {line.number: line.reason for line in trial.lines if line.values is None}
    assert sorted(reasons) == [3, 4, 5]
    assert reasons[3].startswith("3行目") and "昨日の朝" in reasons[3]
    assert reasons[4].startswith("4行目") and "削除" in reasons[4]
    assert reasons[5].startswith("5行目") and "Line 5:" in reasons[5]
    assert "4行目" in page and "削除" in page
    assert NAME not in page  # the subject is never shown
    assert "何も保存していません" in page
    assert LogFile.objects.count() == Lookup.objects.count() == RejectedLine.objects.count() == 0
    assert Event.objects.count() == before
    source.refresh_from_db()
    assert source.mapping == SAMPLE_MAPPING  # the tried mapping was not saved


def test_the_preview_sets_aside_the_lines_the_import_sets_aside(source):
    from itaku.lgwan.preview import preview

    data = sample_file(_lines())

    trial = preview(source, io.BytesIO(data))
    result = load(source, data)

    assert [line.number for line in trial.lines if line.values is None] == [
        number for number, _reason in result.rejected
    ]
    assert [line.reason for line in trial.lines if line.values is None] == [
        reason for _number, reason in result.rejected
    ]


def test_the_preview_names_a_column_the_header_lacks(source, as_role):
    client = as_role(Role.MANAGER)

    response = client.post(
        reverse("lgwan:source", args=[source.pk]),
        {
            **_form(name=source.name, receipt="受付No"),
            "preview": "1",
            "file": _upload(sample_file(_lines())),
        },
    )

    assert response.context["trial"].refused
    assert "受付No" in response.content.decode()


def test_the_preview_tells_lines_already_stored(source, as_role):
    data = sample_file(_lines()[:1])
    load(source, data)

    response = as_role(Role.MANAGER).post(
        reverse("lgwan:source", args=[source.pk]),
        {**_form(name=source.name), "preview": "1", "file": _upload(data)},
    )

    assert response.context["trial"].already_stored == 1


def test_trying_without_a_file_asks_for_one(source, as_role):
    response = as_role(Role.MANAGER).post(
        reverse("lgwan:source", args=[source.pk]), {**_form(name=source.name), "preview": "1"}
    )

    assert "file" in response.context["trial_form"].errors
    assert response.context["trial"] is None


def test_the_auditor_reads_the_mapping_but_cannot_change_it(source, as_role):
    client = as_role(Role.AUDITOR)

    page = client.get(reverse("lgwan:source", args=[source.pk])).content.decode()
    refused = client.post(reverse("lgwan:source", args=[source.pk]), _form(name="改ざん", save="1"))

    assert 'id="mapping"' in page and "照会日時" in page
    assert 'enctype="multipart/form-data"' not in page
    assert refused.status_code == 403
    source.refresh_from_db()
    assert source.name != "改ざん"
    assert not Event.objects.filter(code="lgwan.source.changed").exists()


def test_the_sources_are_in_the_lgwan_menu_with_breadcrumbs(source, as_role):
    page = as_role(Role.MANAGER).get(reverse("lgwan:source", args=[source.pk])).content.decode()

    assert reverse("lgwan:sources") in page
    assert reverse("lgwan:rules") in page
    assert f'<span aria-current="page">{source.name}</span>' in page
