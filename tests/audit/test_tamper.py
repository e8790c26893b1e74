"""Tampering behind the application is detected, naming the first failing event.

Each test plays a database administrator who switches the guard off and alters a log of 20
events with a checkpoint signed at 10 and at 20, then asks `chain.verify` (what `itaku audit
verify` and the status page use) and the auditor's standalone verifier on an export.
"""

import json
from io import BytesIO
from pathlib import Path

import pytest
from django.db import connection

from itaku.audit import chain
from itaku.audit.actions import sign_checkpoints
from itaku.audit.export import write_bundle
from itaku.audit.log import canonical_bytes
from itaku.audit.models import Event
from itaku.audit.verifier import Finding, append_hashes, completed_by, read_bundle
from tests.audit.conftest import append, guard_switched_off, public_key_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_log(signing_key):
    append(10)
    sign_checkpoints(signing_key, by=None)
    events = append(10)
    sign_checkpoints(signing_key, by=None)
    return events[0].fiscal_year


def first_failure(year: int) -> Finding:
    reports = {r.stream: r for r in chain.verify(year).reports}
    finding = reports["sample"].finding
    assert finding is not None, "the tampering went unnoticed"
    return finding


def bundle_failure(year: int, tmp_path: Path, signing_key) -> Finding:
    path = tmp_path / "bundle.zip"
    path.write_bytes(_bundle(year, signing_key))
    reports = {r.stream: r for r in read_bundle(path, None, [])}
    finding = reports["sample"].finding
    assert finding is not None, "the auditor's verifier missed the tampering"
    return finding


def _bundle(year: int, signing_key) -> bytes:
    out = BytesIO()
    write_bundle(year, out, signing_key.public_key())
    return out.getvalue()


def execute(sql: str, params: list[object]) -> None:
    with guard_switched_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def body_of(seq: int) -> bytes:
    return bytes(Event.objects.get(stream="sample", seq=seq).body)


def test_an_untouched_log_verifies(signed_log, tmp_path, signing_key):
    result = chain.verify(signed_log)
    assert result.ok and result.checkpoints_checked
    (report,) = [r for r in result.reports if r.stream == "sample"]
    assert report.size == 20 and len(report.checked_checkpoints) == 2
    path = tmp_path / "bundle.zip"
    path.write_bytes(_bundle(signed_log, signing_key))
    assert all(r.ok for r in read_bundle(path, None, []))


def test_edited_bytes_are_named(signed_log, tmp_path, signing_key):
    edited = body_of(7).replace(b'"number":7', b'"number":8')
    execute("UPDATE audit_event SET body = %s WHERE stream = 'sample' AND seq = 7", [edited])
    finding = first_failure(signed_log)
    assert finding.position == 7 and "edited" in finding.reason
    assert bundle_failure(signed_log, tmp_path, signing_key).position == 7


def test_a_deleted_event_is_named(signed_log, tmp_path, signing_key):
    execute("DELETE FROM audit_event WHERE stream = 'sample' AND seq = %s", [7])
    finding = first_failure(signed_log)
    assert finding.position == 7 and "missing" in finding.reason
    assert bundle_failure(signed_log, tmp_path, signing_key).position == 7


def test_an_event_inserted_at_the_end_is_named(signed_log, tmp_path, signing_key):
    forged = canonical_bytes({"code": "sample.thing.noted", "seq": 20, "stream": "sample"})
    left = [bytes(Event.objects.get(stream="sample", seq=p).hashes)[-32:] for p in completed_by(20)]
    execute(
        "INSERT INTO audit_event (stream, fiscal_year, seq, occurred_at, code, object_type, "
        "object_id, body, hashes) VALUES ('sample', %s, 20, %s, 'sample.thing.noted', '', '', "
        "%s, %s)",
        [signed_log, connection.ops.adapt_datetimefield_value(Event.objects.first().occurred_at),
         forged, append_hashes(forged, 20, left)],
    )  # fmt: skip
    finding = first_failure(signed_log)
    assert finding.position == 20 and "inserted" in finding.reason


def test_an_event_inserted_in_the_middle_is_named(signed_log):
    """Later events are renumbered to make room; the hashes stored with them give it away."""
    with guard_switched_off(), connection.cursor() as cursor:
        for seq in range(19, 4, -1):
            cursor.execute(
                "UPDATE audit_event SET seq = seq + 1 WHERE stream = 'sample' AND seq = %s", [seq]
            )
        forged = canonical_bytes({"code": "sample.thing.noted", "seq": 5, "stream": "sample"})
        left = bytes(Event.objects.get(stream="sample", seq=4).hashes)[-32:]
        cursor.execute(
            "INSERT INTO audit_event (stream, fiscal_year, seq, occurred_at, code, object_type, "
            "object_id, body, hashes) SELECT stream, fiscal_year, 5, occurred_at, code, '', '', "
            "%s, %s FROM audit_event WHERE stream = 'sample' AND seq = 4",
            [forged, append_hashes(forged, 5, [left])],
        )
        cursor.execute("UPDATE audit_log SET size = size + 1 WHERE stream = 'sample'")
    finding = first_failure(signed_log)
    # The forged event fits where it stands; the event pushed out of place does not.
    assert finding.position == 6
    assert "another position (its bytes say #5)" in finding.reason


def test_two_swapped_events_are_named(signed_log, tmp_path, signing_key):
    with guard_switched_off(), connection.cursor() as cursor:
        for old, new in [(4, 1000), (6, 4), (1000, 6)]:
            cursor.execute(
                "UPDATE audit_event SET seq = %s WHERE stream = 'sample' AND seq = %s", [new, old]
            )
    finding = first_failure(signed_log)
    assert finding.position == 4
    assert bundle_failure(signed_log, tmp_path, signing_key).position == 4


def test_a_cut_tail_is_named(signed_log, tmp_path, signing_key):
    execute("DELETE FROM audit_event WHERE stream = 'sample' AND seq >= %s", [15])
    finding = first_failure(signed_log)
    assert finding.position == 15 and "tail cut" in finding.reason
    assert bundle_failure(signed_log, tmp_path, signing_key).position == 15


def test_a_cut_tail_with_a_lowered_head_fails_against_the_checkpoint(signed_log):
    with guard_switched_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE stream = 'sample' AND seq >= 15")
        cursor.execute("UPDATE audit_log SET size = 15 WHERE stream = 'sample'")
    finding = first_failure(signed_log)
    assert finding.position == 15 and "covers 20 events" in finding.reason


def rewrite_from(position: int) -> None:
    """Change one event and recompute every stored hash after it, as a careful forger would."""
    rows = list(
        Event.objects.filter(stream="sample").order_by("seq").values_list("seq", "body", "hashes")
    )
    stored = [bytes(hashes) for _seq, _body, hashes in rows]
    with guard_switched_off(), connection.cursor() as cursor:
        for seq, body, _hashes in rows[position:]:
            body = bytes(body)
            if seq == position:
                body = body.replace(b'"number":2', b'"number":9')
            stored[seq] = append_hashes(body, seq, [stored[p][-32:] for p in completed_by(seq)])
            cursor.execute(
                "UPDATE audit_event SET body = %s, hashes = %s "
                "WHERE stream = 'sample' AND seq = %s",
                [body, stored[seq], seq],
            )


def test_a_rewritten_log_fails_against_the_checkpoint_signed_before(
    signed_log, tmp_path, signing_key
):
    rewrite_from(12)
    finding = first_failure(signed_log)
    # The checkpoint at 10 still holds: the rewrite lies between it and the one at 20.
    assert finding.position == 10
    assert "checkpoint of size 20" in finding.reason
    assert bundle_failure(signed_log, tmp_path, signing_key).position == 10


def test_checkpoints_kept_by_the_city_catch_a_rewrite_that_also_removed_them(
    signed_log, tmp_path, signing_key
):
    kept = tmp_path / "kept.jsonl"
    from itaku.audit.models import Checkpoint

    kept.write_text(
        "\n".join(json.dumps(c.signed().as_json()) for c in Checkpoint.objects.all()) + "\n"
    )
    rewrite_from(12)
    execute("DELETE FROM audit_checkpoint WHERE stream = %s", ["sample"])
    path = tmp_path / "bundle.zip"
    path.write_bytes(_bundle(signed_log, signing_key))
    assert all(r.ok for r in read_bundle(path, None, []))  # nothing left to contradict it
    (report,) = [r for r in read_bundle(path, None, [kept]) if r.stream == "sample"]
    assert report.finding is not None and report.finding.position == 10


def test_checkpoints_re_signed_with_another_key_are_not_trusted(signed_log, tmp_path, settings):
    """A forger who cannot use the city's key signs with their own and ships it in the bundle."""
    from itaku.audit.signing import generate

    forger = generate(tmp_path / "forger.pem")
    sign_checkpoints(forger, by=None)
    path = tmp_path / "bundle.zip"
    path.write_bytes(_bundle(signed_log, forger))
    city_key = public_key_file(settings).read_bytes()
    (report,) = [r for r in read_bundle(path, city_key, []) if r.stream == "sample"]
    assert report.finding is not None and "valid signature" in report.finding.reason


def test_a_damaged_log_is_never_signed(signed_log, signing_key):
    append(1)
    execute("DELETE FROM audit_event WHERE stream = 'sample' AND seq = %s", [3])
    signing = sign_checkpoints(signing_key, by=None)
    assert [(r.stream, r.finding.position) for r in signing.refused] == [("sample", 3)]
    assert all(c.stream != "sample" for c in signing.made)
