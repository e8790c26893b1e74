"""Importing lookup logs (4-4): nothing stored twice, nothing lost, every refusal names its line."""

import hashlib
import hmac
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.test import override_settings

from itaku.audit.models import Event
from itaku.audit.verifier import lines_root
from itaku.lgwan import apart, importer, subjects
from itaku.lgwan.importer import line_key
from itaku.lgwan.models import LogFile, Lookup, RejectedLine
from itaku.lgwan.sample import SAMPLE_HEADER
from itaku.lgwan.subjects import subject_hash
from tests.lgwan.factories import load, make_source, sample_file, sample_line, yesterday

RESIDENT = "12345678901"
KOSEKI = "1234567890123456"


def _lines(count: int = 3, start: int = 9) -> list[str]:
    return [
        sample_line(
            yesterday(start, minute),
            "LG-01",
            "U1001",
            receipt=f"R-{minute:04d}",
            resident_code=RESIDENT,
            name="旅券 花子",
        )
        for minute in range(count)
    ]


def test_a_file_is_stored_with_one_audit_event_naming_its_hash_and_merkle_root(source):
    data = sample_file(_lines(3))

    result = load(source, data, name="2026-11-26.csv")

    assert result.file.stored == 3
    assert Lookup.objects.count() == 3
    event = Event.objects.get(code="lgwan.log.imported")
    count, root = lines_root(data)
    assert event.changes["file"] == {
        "name": "2026-11-26.csv",
        "sha256": hashlib.sha256(data).hexdigest(),
        "lines": count,
        "lines_root": root.hex(),
    }


def test_the_same_file_twice_adds_nothing(source):
    data = sample_file(_lines(3))
    load(source, data)

    again = load(source, data, name="copy.csv")

    assert again.already_imported
    assert Lookup.objects.count() == 3
    assert LogFile.objects.count() == 1
    assert Event.objects.filter(code="lgwan.log.imported").count() == 1


def test_an_overlapping_file_stores_only_its_new_lines(source):
    load(source, sample_file(_lines(3)))

    result = load(source, sample_file(_lines(5)), name="longer.csv")

    assert result.file.stored == 2
    assert result.file.duplicates == 3
    assert Lookup.objects.count() == 5


def test_the_event_counts_the_lookups_stored_per_fiscal_year_and_their_days(source):
    """Across 3/31 and 4/1: from the lines as read when all were stored; from the database when
    some were there already (only the new ones count)."""
    tokyo = ZoneInfo("Asia/Tokyo")

    def lines(*moments: tuple[int, int, int]) -> list[str]:
        return [
            sample_line(datetime(y, m, d, 10, tzinfo=tokyo), "LG-01", "U1001", receipt=f"R{d}")
            for y, m, d in moments
        ]

    first = load(source, sample_file(lines((2026, 3, 30), (2026, 3, 31), (2026, 4, 1))))
    second = load(
        source,
        sample_file(lines((2026, 3, 31), (2026, 4, 1), (2026, 4, 2), (2026, 4, 3))),
        name="overlapping.csv",
    )

    counted = [
        event.changes["lookups_by_fiscal_year"]
        for event in Event.objects.filter(code="lgwan.log.imported").order_by("pk")
    ]
    assert counted == [{"2025": 2, "2026": 1}, {"2026": 2}]
    assert first.days() == [date(2026, 3, 30), date(2026, 3, 31), date(2026, 4, 1)]
    assert second.days() == [date(2026, 4, 2), date(2026, 4, 3)]


def test_the_same_lines_in_another_column_order_are_not_stored_twice(source):
    load(source, sample_file(_lines(3)))
    order = list(reversed(range(len(SAMPLE_HEADER))))
    rows = [[SAMPLE_HEADER[i] for i in order]]
    for line in _lines(4):
        fields = line.split(",")
        rows.append([fields[i] for i in order])
    data = ("\n".join(",".join(row) for row in rows) + "\n").encode()

    result = load(source, data, name="reordered.csv")

    assert result.file.stored == 1
    assert Lookup.objects.count() == 4
    assert Lookup.objects.get(line_number=5).receipt_number == "R-0003"


def test_bad_lines_are_set_aside_with_their_numbers_and_the_good_ones_stored(source):
    lines = _lines(2)
    lines.insert(1, "2026/13/45 99:00:00,LG-01,U1001,照会,本人確認情報,R-1,,,")
    lines.append(sample_line(yesterday(10), "LG-01", "U1001", "削除"))
    lines.append("too,few")

    result = load(source, sample_file(lines))

    assert result.file.stored == 2
    assert [number for number, _ in result.rejected] == [3, 5, 6]
    assert "日時ではありません" in result.rejected[0][1]
    assert "is not a date and time" in result.rejected[0][1]
    assert "削除" in result.rejected[1][1]
    assert list(RejectedLine.objects.values_list("line_number", flat=True)) == [3, 5, 6]
    assert Event.objects.get(code="lgwan.log.imported").changes["rejected"] == 3


def test_a_file_cut_in_the_middle_keeps_its_whole_lines_and_the_rest_comes_later(source):
    full = sample_file(_lines(4))
    cut = full[: full.rindex(b"\r\n", 0, len(full) - 2) + 20]  # the last line cut short

    first = load(source, cut, name="cut.csv")
    assert first.file.stored == 3
    assert first.rejected and first.rejected[0][0] == 5
    assert "header" in first.rejected[0][1]

    second = load(source, full, name="whole.csv")
    assert second.file.stored == 1
    assert second.file.duplicates == 3
    assert Lookup.objects.count() == 4


def test_shift_jis_is_detected_and_read(source):
    result = load(source, sample_file(_lines(2), encoding="cp932"))

    assert result.file.stored == 2
    assert Lookup.objects.filter(receipt_number="R-0001").exists()


def test_a_file_in_the_wrong_encoding_is_refused_naming_line_1(db):
    utf8_only = make_source(encoding="utf-8", name="UTF-8のみ")

    with pytest.raises(ValidationError) as refused:
        load(utf8_only, sample_file(_lines(2), encoding="cp932"))

    message = refused.value.messages[0]
    assert "1行目" in message and "Line 1" in message
    assert Lookup.objects.count() == 0
    assert LogFile.objects.count() == 0


def test_a_header_missing_a_mapped_column_is_refused(source):
    data = "照会日時,端末番号,操作\n2026/11/26 09:00:00,LG-01,照会\n".encode()

    with pytest.raises(ValidationError, match="利用者ID"):
        load(source, data)
    assert LogFile.objects.count() == 0


def test_an_empty_file_is_refused_and_stores_nothing(source):
    with pytest.raises(ValidationError) as refused:
        load(source, b"")

    assert "empty" in refused.value.messages[0]
    assert LogFile.objects.count() == 0


def test_a_header_only_file_stores_nothing_and_rejects_nothing(source):
    result = load(source, sample_file([]))

    assert result.file.stored == 0
    assert result.file.rejected == 0


def test_the_subject_is_stored_only_as_a_keyed_hash(source):
    load(source, sample_file(_lines(1)))

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM lgwan_lookup")
        stored = repr(cursor.fetchall())
    assert RESIDENT not in stored and "花子" not in stored
    lookup = Lookup.objects.get()
    assert lookup.subject_hash == subject_hash(RESIDENT, "", "旅券 花子")
    # The same person typed with full-width digits is the same subject.
    assert subject_hash("１２３４５６７８９０１", "旅券　花子") == lookup.subject_hash


def test_a_koseki_lookup_keeps_its_kind(source):
    line = sample_line(
        yesterday(9), "LG-01", "U1001", kind="戸籍情報連携", receipt="R-9", koseki_code=KOSEKI
    )
    load(source, sample_file([line]))

    assert Lookup.objects.get().kind == Lookup.Kind.KOSEKI


def test_without_a_key_production_refuses_to_hash(settings):
    settings.ITAKU_LOOKUP_SUBJECT_KEY = ""
    settings.DEBUG = False
    subjects.forget_key()
    try:
        with pytest.raises(ImproperlyConfigured, match="ITAKU_LOOKUP_SUBJECT_KEY"):
            subject_hash(RESIDENT)
    finally:
        subjects.forget_key()


def test_another_key_gives_another_hash(db):
    ours = subject_hash(RESIDENT)
    subjects.forget_key()
    try:
        with override_settings(ITAKU_LOOKUP_SUBJECT_KEY="another-key"):
            other = subject_hash(RESIDENT)
    finally:
        subjects.forget_key()
    assert other != ours


def test_times_are_stored_in_their_zone_with_the_fiscal_year_of_the_citys_day(source):
    """The last second of a fiscal year and the first of the next, a time with fractions, one
    written with its own offset, and a source whose log is written in UTC."""
    lines = [
        "2026/03/31 23:59:59,LG-01,U1001,照会,本人確認情報,R-1,1,,",
        "2026/04/01 00:00:00,LG-01,U1001,照会,本人確認情報,R-2,1,,",
        "2026-04-01T08:30:15.250000,LG-01,U1001,照会,本人確認情報,R-3,1,,",
        "2026-03-31T15:00:00+00:00,LG-01,U1001,照会,本人確認情報,R-4,1,,",
    ]
    load(source, sample_file(lines))
    utc_source = make_source(name="UTC-source")
    utc_source.mapping = {**utc_source.mapping, "time_zone": "UTC"}
    utc_source.save()
    load(utc_source, sample_file(["2026/03/31 14:59:59,LG-01,U1001,照会,本人確認情報,R-5,1,,"]))

    tokyo = ZoneInfo("Asia/Tokyo")
    stored = {
        lookup.receipt_number: (lookup.occurred_at, lookup.fiscal_year)
        for lookup in Lookup.objects.all()
    }
    assert stored == {
        "R-1": (datetime(2026, 3, 31, 23, 59, 59, tzinfo=tokyo), 2025),
        "R-2": (datetime(2026, 4, 1, tzinfo=tokyo), 2026),
        "R-3": (datetime(2026, 4, 1, 8, 30, 15, 250000, tzinfo=tokyo), 2026),
        "R-4": (datetime(2026, 4, 1, tzinfo=tokyo), 2026),
        "R-5": (datetime(2026, 3, 31, 23, 59, 59, tzinfo=tokyo), 2025),
    }
    # The same moment written in two ways is one lookup's time, but the lines differ.
    assert Lookup.objects.filter(occurred_at=datetime(2026, 4, 1, tzinfo=tokyo)).count() == 2


def test_the_subject_hash_is_hmac_sha256_under_the_key(db, settings):
    subjects.forget_key()
    try:
        with override_settings(ITAKU_LOOKUP_SUBJECT_KEY="見本の鍵"):
            ours = subject_hash(RESIDENT, "", "旅券　花子")
        expected = hmac.new(
            "見本の鍵".encode(), f"{RESIDENT}\x1f旅券花子".encode(), hashlib.sha256
        ).hexdigest()
    finally:
        subjects.forget_key()
    assert ours == expected


def test_backslashes_and_tabs_in_a_field_are_stored_as_written(source):
    lines = [
        "2026/11/26 09:00:00,LG-01,U1001,照会,本人確認情報,R\\1,1,,",
        "2026/11/26 09:01:00,LG-01,U1001,照会,本人確認情報,R\t2,1,,",
        "2026/11/26 09:02:00,LG-01,U1001,照会,本人確認情報,R\\N,1,,",
    ]
    load(source, sample_file(lines))

    assert sorted(Lookup.objects.values_list("receipt_number", flat=True)) == [
        "R\t2",
        "R\\1",
        "R\\N",
    ]


def test_lines_read_inline_are_stored_as_read_field_by_field(source):
    """After its hour's first line, a line is read inline: the same time, key, subject hash and
    fiscal year as `LineParser.values` gives; a minute or second out of range is still refused."""
    lines = [
        "2026/11/26 09:00:00,LG-01,U1001,照会,本人確認情報,R-1,12345678901,,旅券 花子",
        "2026/11/26 09:59:59,LG-01,U1001,照会,戸籍情報連携,R-2,,1234567890123456,旅券　花子",
        "2026/11/26 09:07:05, LG-01 ,U1001,ログイン,,,,,",
        "2026/11/26 09:60:00,LG-01,U1001,照会,本人確認情報,R-3,1,,",
        "2026/11/26 09:10:61,LG-01,U1001,照会,本人確認情報,R-4,1,,",
        "2026/11/26 09:11:00,LG-01,U1001,照会,その他,R-5,１２３,,",
        "2026-11-26T09:12:00,LG-01,U1001,照会,本人確認情報,R-6,1,,",
    ]

    result = load(source, sample_file(lines))

    assert [number for number, _ in result.rejected] == [5, 6]
    tokyo = ZoneInfo("Asia/Tokyo")
    for lookup in Lookup.objects.all():
        values = {
            "occurred_at": lookup.occurred_at.astimezone(tokyo),
            "terminal_name": lookup.terminal_name,
            "account_name": lookup.account_name,
            "action": lookup.action,
            "kind": lookup.kind,
            "receipt_number": lookup.receipt_number,
            "subject_hash": lookup.subject_hash,
        }
        assert lookup.line_key == line_key(values)
        assert lookup.fiscal_year == 2026
    stored = {
        lookup.receipt_number: (lookup.occurred_at, lookup.kind, lookup.subject_hash)
        for lookup in Lookup.objects.all()
    }
    assert stored == {
        "R-1": (
            datetime(2026, 11, 26, 9, tzinfo=tokyo),
            "resident",
            subject_hash("12345678901", "", "旅券 花子"),
        ),
        "R-2": (
            datetime(2026, 11, 26, 9, 59, 59, tzinfo=tokyo),
            "koseki",
            subject_hash("", "1234567890123456", "旅券花子"),
        ),
        "": (datetime(2026, 11, 26, 9, 7, 5, tzinfo=tokyo), "", ""),
        "R-5": (datetime(2026, 11, 26, 9, 11, tzinfo=tokyo), "other", subject_hash("123")),
        "R-6": (datetime(2026, 11, 26, 9, 12, tzinfo=tokyo), "resident", subject_hash("1")),
    }
    assert Lookup.objects.get(receipt_number="").terminal_name == "LG-01"


def test_a_large_file_read_in_a_second_process_is_stored_as_one_read_here(db, monkeypatch):
    """A file of at least `APART` bytes is read in a second process (`itaku.lgwan.apart`):
    the same lookups, refusals, counts and Merkle root as a file read in the importing one."""
    lines = _lines(7) + ["too,few"] + _lines(5, start=10)
    lines.insert(3, sample_line(yesterday(11), "LG-01", "U1001", "削除"))
    data = sample_file(lines)
    monkeypatch.setattr(importer, "BATCH", 4)  # several batches, one with each refusal
    from_apart: list[Any] = []  # the batches that came back from the second process
    done = apart._done

    def counted(item: Any, result: Any) -> tuple[Any, Any]:
        from_apart.append(item)
        return done(item, result)

    monkeypatch.setattr(apart, "_done", counted)

    def imported(apart: int) -> dict[str, Any]:
        monkeypatch.setattr(importer, "APART", apart)
        source = make_source(name=f"apart {apart}")
        result = load(source, data)
        stored = Lookup.objects.filter(file=result.file).order_by("line_number")
        rejected = RejectedLine.objects.filter(file=result.file).order_by("line_number")
        return {
            "file": (result.file.lines, result.file.lines_root, result.file.stored),
            "lookups": list(stored.values_list(*LOOKUP_VALUES)),
            "rejected": list(rejected.values_list("line_number", "line_sha256", "reason")),
            "shown": result.rejected,
            "days": result.days(),
        }

    read_apart = imported(0)
    assert len(from_apart) == 4
    assert read_apart == imported(len(data) + 1)
    assert len(from_apart) == 4
    assert read_apart["file"] == (15, lines_root(data)[1].hex(), 12)
    assert [number for number, _reason in read_apart["shown"]] == [5, 10]
    assert read_apart["lookups"][0][0] == 2  # line 1 is the header


LOOKUP_VALUES = (
    "line_number",
    "line_key",
    "occurred_at",
    "terminal_name",
    "account_name",
    "action",
    "kind",
    "receipt_number",
    "subject_hash",
    "fiscal_year",
)
