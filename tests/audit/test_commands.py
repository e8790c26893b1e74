"""`itaku audit …` on the command line, and the auditor's verifier on its own."""

import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from itaku.audit import verifier
from itaku.audit.models import Checkpoint, Event
from tests.audit.conftest import (
    append,
    guard_switched_off,
    public_key_file,
    run_standalone_verifier,
)

pytestmark = pytest.mark.django_db


def audit(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_keygen_writes_a_key_pair_and_never_overwrites(tmp_path):
    path = tmp_path / "city.pem"
    printed = audit("keygen", str(path))
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert (tmp_path / "city.pem.pub").read_bytes().startswith(b"-----BEGIN PUBLIC KEY")
    assert "key ID" in printed
    with pytest.raises(CommandError):
        audit("keygen", str(path))


def test_a_checkpoint_run_elsewhere_signs_and_keeps_a_copy(tmp_path, settings):
    """The server holds only the public key; the run with --key happens where the key is."""
    audit("keygen", str(tmp_path / "city.pem"))
    settings.ITAKU_AUDIT_SIGNING_KEY = ""
    settings.ITAKU_AUDIT_PUBLIC_KEY = str(tmp_path / "city.pem.pub")
    append(4)
    kept = tmp_path / "kept.jsonl"
    audit("checkpoint", "--key", str(tmp_path / "city.pem"), "--out", str(kept))
    assert Checkpoint.objects.filter(stream="sample", size=4).exists()
    kept_notes = [json.loads(line)["note"] for line in kept.read_text().splitlines()]
    assert any("stream sample\n" in note and "size 4\n" in note for note in kept_notes)
    assert "OK    sample" in audit("verify", "--stream", "sample")


def test_verify_names_the_first_failing_event_and_exits_with_1(signing_key):
    append(6)
    with guard_switched_off():
        Event.objects.filter(stream="sample", seq=2).update(body=b'{"forged":true}')
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify", "--stream", "sample", stdout=out)
    assert exit_.value.code == 1
    assert "FAIL  sample" in out.getvalue() and "event #2" in out.getvalue()


def test_the_exported_bundle_verifies_with_the_standalone_file_alone(
    signing_key, tmp_path, settings
):
    append(9)
    audit("checkpoint")
    year = Event.objects.first().fiscal_year
    audit("export", "--fiscal-year", str(year), str(tmp_path))
    bundle = tmp_path / f"itaku-audit-{year}.zip"
    public_key = public_key_file(settings)
    result = run_standalone_verifier(bundle, "--public-key", public_key, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK    sample" in result.stdout and "9 events" in result.stdout


def test_the_standalone_verifier_exits_with_1_on_a_tampered_bundle(signing_key, tmp_path):
    append(3)
    audit("checkpoint")
    year = Event.objects.first().fiscal_year
    audit("export", "--fiscal-year", str(year), str(tmp_path / "b.zip"))
    with (
        zipfile.ZipFile(tmp_path / "b.zip") as original,
        zipfile.ZipFile(tmp_path / "t.zip", "w") as tampered,
    ):
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "logs/sample/events.jsonl":
                data = data.replace(b'"number":1', b'"number":7')
            tampered.writestr(item, data)
    assert verifier.main([str(tmp_path / "t.zip")]) == 1


def test_export_without_a_public_key_says_what_to_set(settings, tmp_path):
    settings.ITAKU_AUDIT_SIGNING_KEY = ""
    settings.ITAKU_AUDIT_PUBLIC_KEY = ""
    with pytest.raises(CommandError, match="ITAKU_AUDIT_PUBLIC_KEY"):
        audit("export", "--fiscal-year", "2025", str(tmp_path / "x.zip"))


def test_prove_prints_an_inclusion_proof_that_checks(signing_key):
    append(13)
    year = Event.objects.first().fiscal_year
    proof = json.loads(audit("prove", "sample", str(year), "6"))
    assert verifier.verify_inclusion(
        verifier.leaf_hash(proof["event"].encode()),
        6,
        proof["size"],
        [bytes.fromhex(node) for node in proof["proof"]],
        bytes.fromhex(proof["root"]),
    )
