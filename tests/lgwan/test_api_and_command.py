"""A log shipper pushes lines with its source's token; the command imports a file (4-4)."""

import io
from datetime import time, timedelta

from django.core.management import call_command
from django.test import Client

from itaku.lgwan import actions
from itaku.lgwan.models import Finding, LogFile, Lookup
from itaku.lgwan.sample import SAMPLE_MAPPING
from tests.area.factories import run_clock_at
from tests.lgwan.factories import at_today, sample_file, sample_line, yesterday

URL = "/api/v1/lgwan/lookups/"


def _source():
    return actions.register_source(name="shipper", mapping=SAMPLE_MAPPING, by=None)


def test_a_shipper_pushes_lines_with_its_token_and_a_repeat_adds_nothing(db):
    _source_, token = _source()
    body = sample_file([sample_line(yesterday(9), "LG-01", "U1001", receipt="R-1")])
    client = Client()

    first = client.post(URL, body, content_type="text/csv", HTTP_AUTHORIZATION=f"Device {token}")
    again = client.post(URL, body, content_type="text/csv", HTTP_AUTHORIZATION=f"Device {token}")

    assert first.status_code == 201, first.content
    assert first.json()["stored"] == 1
    assert again.status_code == 200
    assert again.json()["already_imported"] is True
    assert Lookup.objects.count() == 1


def test_a_bad_line_is_answered_with_its_number(db):
    _source_, token = _source()
    body = sample_file([sample_line(yesterday(9), "LG-01", "U1001"), "broken"])

    answer = Client().post(URL, body, content_type="text/csv", HTTP_AUTHORIZATION=f"Device {token}")

    assert answer.json()["rejected"][0]["line"] == 3
    assert "Line 3" in answer.json()["rejected"][0]["reason"]


def test_an_unknown_token_is_refused(db):
    _source()
    answer = Client().post(
        URL, b"x", content_type="text/csv", HTTP_AUTHORIZATION="Device not-a-token"
    )

    assert answer.status_code in {401, 403}
    assert not LogFile.objects.exists()


def test_the_command_imports_a_file_and_reports_in_both_languages(db, tmp_path):
    _source()
    path = tmp_path / "log.csv"
    path.write_bytes(sample_file([sample_line(yesterday(9), "LG-01", "U1001"), "broken"]))
    out = io.StringIO()

    call_command("lgwan", "import", str(path), "--source", "shipper", stdout=out)

    text = out.getvalue()
    assert "3行目" in text and "Line 3" in text
    assert Lookup.objects.count() == 1


def test_the_command_reviews_the_past_days_it_brought_lookups_for_not_today(db, tmp_path):
    _source()
    path = tmp_path / "log.csv"
    path.write_bytes(
        sample_file(
            [
                sample_line(yesterday(9), "LG-01", "U9999"),
                sample_line(at_today(0, 30), "LG-01", "U9999"),
            ]
        )
    )

    call_command("lgwan", "import", str(path), "--source", "shipper", stdout=io.StringIO())

    # An ID no one was issued: found on yesterday's line; today's waits for the day's end.
    found = Finding.objects.filter(rule="unknown_id")
    assert [finding.day for finding in found] == [yesterday(9).date()]


def test_the_command_refuses_an_unknown_source(db, tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(b"a,b\n")
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nowhere"):
        call_command("lgwan", "import", str(path), "--source", "nowhere")


def test_a_chunk_larger_than_any_upload_is_refused_unread(db, settings):
    settings.ITAKU_UPLOAD_MAX_BYTES = 1_000
    _source_, token = _source()
    body = sample_file(
        [sample_line(yesterday(9), "LG-01", "U1001", receipt=f"R-{n}") for n in range(40)]
    )

    answer = Client(headers={"accept-language": "ja"}).post(
        URL, body, content_type="text/csv", HTTP_AUTHORIZATION=f"Device {token}"
    )

    assert len(body) > 1_000
    assert answer.status_code == 413
    assert answer.json()["detail"] == "ログは1000バイト以下に分けて送ってください。"
    assert not LogFile.objects.exists()


def _push(token: str, body: bytes):
    return Client().post(URL, body, content_type="text/csv", HTTP_AUTHORIZATION=f"Device {token}")


def test_a_pushed_line_of_a_day_already_over_is_reviewed_at_once(db):
    _source_, token = _source()

    _push(token, sample_file([sample_line(yesterday(10), "LG-01", "U1001")]))

    assert Finding.objects.filter(rule="no_receipt", day=yesterday(10).date()).exists()


def test_the_nightly_run_reviews_the_lines_pushed_while_the_day_lasted(db, monkeypatch):
    _source_, token = _source()
    today = at_today(10).date()
    _push(token, sample_file([sample_line(at_today(9), "LG-01", "U1001")]))
    assert not Finding.objects.exists()  # the day is not over: nothing is judged yet

    run_clock_at(monkeypatch, at=time(19, 0), day=today + timedelta(days=1))
    out = io.StringIO()
    call_command("daily", stdout=out)

    assert Finding.objects.filter(rule="no_receipt", day=today).exists()
    assert "照会ログの点検" in out.getvalue()
