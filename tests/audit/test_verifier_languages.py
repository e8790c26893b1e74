"""The auditor's verifier speaks Japanese and English, chosen by --lang or the locale."""

import re
import string
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from itaku.audit import verifier
from itaku.audit.models import Event
from itaku.people.roles import Role
from tests.audit.conftest import (
    append,
    guard_switched_off,
    public_key_file,
    run_standalone_verifier,
)

pytestmark = pytest.mark.django_db


def exported(tmp_path: Path, count: int = 5) -> Path:
    append(count)
    call_command("audit", "checkpoint", stdout=StringIO(), stderr=StringIO())
    year = Event.objects.first().fiscal_year
    bundle = tmp_path / "bundle.zip"
    call_command("audit", "export", "--fiscal-year", str(year), str(bundle), stdout=StringIO())
    return bundle


def edited(bundle: Path, tmp_path: Path) -> Path:
    """The bundle with one event's bytes changed: the verifier must name that event."""
    out = tmp_path / "edited.zip"
    with zipfile.ZipFile(bundle) as original, zipfile.ZipFile(out, "w") as changed:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "logs/sample/events.jsonl":
                data = data.replace(b'"number":1', b'"number":7')
            changed.writestr(item, data)
    return out


def test_it_speaks_japanese_when_asked(signing_key, settings, tmp_path):
    bundle = exported(tmp_path)
    key = public_key_file(settings)
    result = run_standalone_verifier(bundle, "--public-key", key, "--lang", "ja", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "鍵 ID " in result.stdout
    assert re.search(r"^OK    sample \d+: イベント 5 件、", result.stdout, re.MULTILINE)
    assert "events" not in result.stdout


def test_a_japanese_locale_chooses_japanese_and_any_other_english(signing_key, tmp_path):
    bundle = exported(tmp_path)
    japanese = run_standalone_verifier(bundle, cwd=tmp_path, LANG="ja_JP.UTF-8")
    assert "注意: バンドル内の公開鍵を使っています" in japanese.stdout
    english = run_standalone_verifier(bundle, cwd=tmp_path, LANG="en_US.UTF-8")
    assert "note: using the public key inside the bundle" in english.stdout
    assert "5 events" in english.stdout
    # LC_ALL overrides LANG, as everywhere on POSIX; --lang overrides both.
    overridden = run_standalone_verifier(bundle, cwd=tmp_path, LANG="ja_JP.UTF-8", LC_ALL="C")
    assert "5 events" in overridden.stdout
    asked = run_standalone_verifier(bundle, "--lang", "en", cwd=tmp_path, LC_ALL="ja_JP.UTF-8")
    assert "5 events" in asked.stdout


def test_a_tampered_event_is_named_in_either_language(signing_key, tmp_path):
    changed = edited(exported(tmp_path), tmp_path)
    japanese = run_standalone_verifier(changed, "--lang", "ja", cwd=tmp_path)
    english = run_standalone_verifier(changed, "--lang", "en", cwd=tmp_path)
    assert japanese.returncode == english.returncode == 1
    assert "イベント #1: バイト列が保存されたハッシュと一致しません（編集）" in japanese.stdout
    assert "event #1: its bytes do not match its stored hash (edited)" in english.stdout


def test_an_unreadable_bundle_and_bad_arguments_are_said_in_japanese(tmp_path):
    (tmp_path / "not.zip").write_bytes(b"not a zip")
    unreadable = run_standalone_verifier(tmp_path / "not.zip", "--lang", "ja", cwd=tmp_path)
    assert unreadable.returncode == 2
    assert "バンドルを読めません" in unreadable.stderr
    missing = run_standalone_verifier("--lang", "ja", cwd=tmp_path)
    assert missing.returncode == 2 and "引数の誤り" in missing.stderr
    helped = run_standalone_verifier("--help", cwd=tmp_path, LANG="ja_JP.UTF-8")
    assert helped.returncode == 0
    assert helped.stdout.startswith("使い方: ")
    assert "市が保管するチェックポイントの公開鍵" in helped.stdout
    assert "オプション" in helped.stdout


def test_every_message_has_both_languages_with_the_same_parameters():
    fields = string.Formatter()
    for key, (japanese, english) in verifier.MESSAGES.items():
        assert japanese and english, key
        named = [
            {name for _, name, _, _ in fields.parse(text) if name} for text in (japanese, english)
        ]
        assert named[0] == named[1], key
    assert not re.search(r"[ぁ-んァ-ン一-龥]", "".join(e for _, e in verifier.MESSAGES.values()))


def test_the_status_page_gives_the_reason_in_the_pages_language(as_role, signing_key):
    append(3)
    with guard_switched_off():
        Event.objects.filter(stream="sample", seq=1).update(body=b'{"forged":true}')
    year = Event.objects.first().fiscal_year
    client = as_role(Role.AUDITOR)
    asked = {"fiscal_year": year, "verify": "1"}
    page = client.get(reverse("audit:status"), asked).content.decode()
    assert "#1 — バイト列が保存されたハッシュと一致しません（編集）" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("audit:status"), asked).content.decode()
    assert "#1 — its bytes do not match its stored hash (edited)" in page
