"""The lookup log sources on the screen (4-4): a mapping is registered, changed and tried out.

Every refusal names the field it is about, in Japanese first; trying a mapping on a file shows
how each line would be read and stores nothing.
"""

import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from itaku.audit.models import Event
from itaku.lgwan import actions
from itaku.lgwan.mapping import to_fields
from itaku.lgwan.models import LogFile, LogSource, Lookup, RejectedLine
from itaku.lgwan.sample import SAMPLE_HEADER, SAMPLE_MAPPING, SAMPLE_POSITIONS_MAPPING
from itaku.people.roles import Role
from tests.factories import manager_away
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
    manager_away(manager, hours=(-1, 2))
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


# How the file is written: delimiter, quoting, header line or columns by position.

PIPES = {
    "first_line": "data",
    "delimiter": "other",
    "delimiter_other": "|",
    "quote": "none",
    "timestamp": "１",  # full-width, as an IME may type it
    "terminal": "2",
    "account": "3",
    "action": "4",
    "kind": "5",
    "receipt": "6",
    "subject": "7\n8\n9",
}


def _pipe_file(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(line.replace(",", "|") for line in lines) + "\r\n").encode(encoding)


def test_the_manager_registers_a_headerless_pipe_source_by_positions(as_role):
    client = as_role(Role.MANAGER)

    response = client.post(reverse("lgwan:source_new"), _form(**PIPES, save="1"))

    assert response.status_code == 200, response.context["form"].errors
    source = LogSource.objects.get()
    assert source.mapping == SAMPLE_POSITIONS_MAPPING
    event = Event.objects.get(code="lgwan.source.registered")
    assert event.data["changes"]["mapping"]["delimiter"] == "|"
    page = client.get(reverse("lgwan:source", args=[source.pk])).content.decode()
    assert "照会の記録（見出し行なし）" in page
    assert "「|」" in page
    assert 'value="1"' in page and 'id="id_timestamp"' in page


def test_the_sample_offers_its_format_selected(as_role):
    page = as_role(Role.MANAGER).get(reverse("lgwan:source_new") + "?sample=1").content.decode()

    assert '<option value="comma" selected>' in page
    assert '<option value="header" selected>' in page
    assert '<option value="double" selected>' in page


def test_names_without_a_header_line_and_positions_with_one_are_refused_naming_the_field(
    as_role,
):
    client = as_role(Role.MANAGER)

    names = client.post(
        reverse("lgwan:source_new"), _form(first_line="data", timestamp="", save="1")
    )
    positions = client.post(reverse("lgwan:source_new"), _form(terminal="2", save="1"))
    out_of_range = client.post(
        reverse("lgwan:source_new"), _form(**{**PIPES, "account": "0", "kind": "1001"}, save="1")
    )

    errors = names.context["form"].errors
    assert errors["timestamp"] == ["日時の列：列の位置を入れてください（最初の列が1）。"]
    assert errors["terminal"] == [
        "端末の列：見出し行のないファイルです。「端末番号」ではなく、列の位置を数字で入れてください"
        "（最初の列が1）。"
    ]
    assert 'aria-describedby="id_terminal_help id_terminal_error"' in names.content.decode()
    assert (
        "端末の列：「2」は列の位置ですが、ファイルの1行目は見出し行になっています。"
        in (positions.context["form"].errors["terminal"][0])
    )
    assert (
        "「照会の記録（見出し行なし）」を選んでください"
        in (positions.context["form"].errors["terminal"][0])
    )
    errors = out_of_range.context["form"].errors
    assert set(errors) == {"account", "kind"}
    assert "1（最初の列）から1000までの整数です。「0」は使えません。" in errors["account"][0]
    assert "「1001」" in errors["kind"][0]
    assert not LogSource.objects.exists()


def test_a_bad_delimiter_is_refused_on_the_field_that_holds_it(as_role):
    client = as_role(Role.MANAGER)
    url = reverse("lgwan:source_new")

    empty = client.post(url, _form(delimiter="other", delimiter_other="", save="1"))
    two = client.post(url, _form(delimiter="other", delimiter_other="||", save="1"))
    quote = client.post(url, _form(delimiter="other", delimiter_other='"', save="1"))

    assert empty.context["form"].errors == {
        "delimiter_other": ["その他の区切り文字：項目を区切る1文字を入れてください。"]
    }
    assert two.context["form"].errors["delimiter_other"] == [
        "区切り文字：「||」ではなく、文字や数字でない1文字（| や ; など）を入れてください。"
    ]
    assert quote.context["form"].errors["delimiter_other"] == [
        '区切り文字：「"」は引用符です。区切り文字には使えません。'
    ]
    assert 'href="#id_delimiter_other"' in two.content.decode()  # the summary links to it
    assert not LogSource.objects.exists()


def test_the_format_refusals_are_in_english_for_an_english_reader(as_role):
    client = as_role(Role.MANAGER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        reverse("lgwan:source_new"), _form(**{**PIPES, "terminal": "端末番号"}, save="1")
    )

    assert response.context["form"].errors["terminal"] == [
        "Terminal column: the file has no header line, so give the column's position as a "
        "number (1 for the first column), not “端末番号”."
    ]


def test_changing_the_delimiter_and_the_first_line_is_audited_with_before_and_after(
    source, as_role
):
    response = as_role(Role.MANAGER).post(
        reverse("lgwan:source", args=[source.pk]), _form(name=source.name, **PIPES, save="1")
    )

    assert response.status_code == 302
    event = Event.objects.get(code="lgwan.source.changed")
    old, new = event.data["changes"]["mapping"]
    assert (old["delimiter"], new["delimiter"]) == (",", "|")
    assert (old["header"], new["header"]) == (True, False)
    assert (old["columns"]["timestamp"], new["columns"]["timestamp"]) == ("照会日時", 1)
    assert event.data["capacity"] == "manager"


def test_the_preview_shows_how_a_tsv_sample_splits_and_hides_the_subject(as_role):
    client = as_role(Role.MANAGER)
    lines = [",".join(SAMPLE_HEADER), *_lines()[:1]]
    data = ("\n".join(line.replace(",", "\t") for line in lines) + "\n").encode()

    response = client.post(
        reverse("lgwan:source_new"),
        {**_form(delimiter="tab"), "preview": "1", "file": _upload(data, "head.tsv")},
    )

    trial = response.context["trial"]
    page = response.content.decode()
    assert not trial.refused
    assert [column.position for column in trial.columns] == list(range(1, 10))
    assert [str(column.field) for column in trial.columns][:4] == [
        "時刻",
        "端末",
        "LGWAN ID",
        "操作",
    ]
    assert [cell.text for cell in trial.split[0].cells][:2] == ["照会日時", "端末番号"]
    data_cells = trial.split[1].cells
    assert data_cells[1].text == "LG-01" and data_cells[5].text == "R-1"
    assert data_cells[8].hidden and not data_cells[8].empty  # the name: not shown
    assert data_cells[7].hidden and data_cells[7].empty
    assert "タブ区切り（TSV）" in page and "9列目" in page and "非表示" in page
    assert NAME not in page
    assert [line.number for line in trial.lines if line.values] == [2]


def test_the_preview_of_a_headerless_file_reads_line_1_as_a_lookup(as_role):
    client = as_role(Role.MANAGER)
    data = _pipe_file(*_lines()[:1], *_lines()[2:3])

    response = client.post(
        reverse("lgwan:source_new"),
        {**_form(**PIPES), "preview": "1", "file": _upload(data, "head.txt")},
    )

    trial = response.context["trial"]
    assert not trial.refused
    assert [line.number for line in trial.lines if line.values] == [1]
    assert [line.number for line in trial.lines if line.values is None] == [2]
    assert [line.number for line in trial.split] == [1, 2]
    assert not trial.split[0].header
    assert trial.split[0].cells[2].text == "U1001"
    page = response.content.decode()
    assert "照会の記録（見出し行なし）" in page
    assert NAME not in page


def test_the_preview_of_a_header_mapping_on_a_headerless_file_says_so_and_shows_no_lookup(
    as_role,
):
    client = as_role(Role.MANAGER)
    data = sample_file(_lines()[:1]).split(b"\r\n", 1)[1]  # the header line left out

    response = client.post(
        reverse("lgwan:source_new"),
        {**_form(), "preview": "1", "file": _upload(data)},
    )

    trial = response.context["trial"]
    page = response.content.decode()
    assert trial.refused and "見出し行のないファイルでは、列を位置で指定" in trial.refused[0]
    assert all(cell.hidden for cell in trial.split[0].cells)  # line 1 may be a lookup
    assert NAME not in page and "LG-01" not in page


def test_the_preview_hints_at_a_wrong_delimiter_and_a_header_read_as_a_lookup(as_role):
    client = as_role(Role.MANAGER)
    piped = _pipe_file(",".join(SAMPLE_HEADER), *_lines()[:1])

    detected = client.post(
        reverse("lgwan:source_new"),
        {**_form(delimiter="auto"), "preview": "1", "file": _upload(piped)},
    )
    headed = client.post(
        reverse("lgwan:source_new"),
        {**_form(**PIPES), "preview": "1", "file": _upload(piped)},
    )

    assert "1行目が1つの項目になっています。区切り文字は合っていますか。" in (
        detected.content.decode()
    )
    assert detected.context["trial"].refused
    trial = headed.context["trial"]
    assert [line.number for line in trial.lines if line.values is None] == [1]
    assert "1行目は除外されます。1行目が列名なら" in headed.content.decode()


def test_the_preview_names_a_position_beyond_line_1(as_role):
    response = as_role(Role.MANAGER).post(
        reverse("lgwan:source_new"),
        {
            **_form(**{**PIPES, "receipt": "12"}),
            "preview": "1",
            "file": _upload(_pipe_file(*_lines()[:1])),
        },
    )

    page = response.content.decode()
    assert "1行目：12列目（受付番号の列）がありません。この行の項目は9個です。" in page
    assert "Line 1: column 12" in page


def test_the_auditor_reads_how_the_file_is_written(db, as_role):
    source, _token = actions.register_source(
        name="架空パイプ", mapping=SAMPLE_POSITIONS_MAPPING, encoding="cp932", by=None
    )

    page = as_role(Role.AUDITOR).get(reverse("lgwan:source", args=[source.pk])).content.decode()

    assert "Shift_JIS (CP932)" in page
    assert "照会の記録（見出し行なし）" in page
    assert "「|」" in page and "なし（引用符も値の一部）" in page
    assert "<dt>日時の列</dt><dd>1</dd>" in page


def test_the_import_form_chooses_the_source_when_there_is_only_one(source, as_role):
    client = as_role(Role.MANAGER)

    one = _chosen_source(client)
    actions.register_source(name="架空 第二システム", mapping=SAMPLE_MAPPING, by=None)
    two = _chosen_source(client)

    assert one == [(str(source.pk), source.name)]
    assert two == []  # with two, the empty choice: which one is for the manager to say


def _chosen_source(client) -> list[tuple[str, str]]:
    html = client.get(reverse("lgwan:imports")).content.decode()
    select = re.search(r'<select name="source".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]+)" selected>([^<]*)</option>', select.group(0))
