"""How a source's files are written is part of its mapping (4-4): the delimiter, the quoting,
and whether the first line is a header or already a lookup (columns by position, from 1).

Each case goes through the import itself, and where it matters through `itaku lgwan`: a
mistake in the settings refuses the file with a message naming the line and the field, in
Japanese and English, and stores nothing.
"""

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from itaku.audit.models import Event
from itaku.audit.verifier import lines_root
from itaku.lgwan import actions
from itaku.lgwan.importer import split_fields
from itaku.lgwan.models import LogFile, LogSource, Lookup, RejectedLine
from itaku.lgwan.sample import SAMPLE_HEADER, SAMPLE_MAPPING, SAMPLE_POSITIONS_MAPPING
from itaku.lgwan.subjects import subject_hash
from tests.lgwan.factories import load, sample_line, yesterday

RESIDENT = "90000000001"
NAME = "架空 申請者"


def _source(
    mapping: dict[str, Any], name: str = "架空システム", encoding: str = "auto"
) -> LogSource:
    source, _token = actions.register_source(name=name, mapping=mapping, encoding=encoding, by=None)
    return source


def _fields(minute: int, **changes: str) -> list[str]:
    """One lookup's nine fields in the sample's order."""
    line = sample_line(
        yesterday(9, minute),
        "LG-01",
        "U1001",
        receipt=f"R-{minute:04d}",
        resident_code=RESIDENT,
        name=NAME,
    )
    fields = line.split(",")
    for index, value in changes.items():
        fields[int(index.removeprefix("c"))] = value
    return fields


def _file(rows: list[list[str]], delimiter: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(delimiter.join(row) for row in rows) + "\r\n").encode(encoding)


def _pipes(count: int, start: int = 0) -> list[list[str]]:
    return [_fields(minute) for minute in range(start, start + count)]


def test_a_tsv_source_reads_tabs_and_keeps_commas_inside_its_values(db):
    source = _source({**SAMPLE_MAPPING, "delimiter": "\t"})
    rows = [SAMPLE_HEADER, _fields(0, c5="R-1,2"), _fields(1)]

    result = load(source, _file(rows, "\t"), name="log.tsv")

    assert result.file.stored == 2
    assert sorted(Lookup.objects.values_list("receipt_number", flat=True)) == ["R-0001", "R-1,2"]


def test_a_tsv_source_refuses_a_comma_file_naming_line_1(db):
    """With the delimiter given, a file written otherwise is not guessed at."""
    source = _source({**SAMPLE_MAPPING, "delimiter": "\t"})

    with pytest.raises(ValidationError) as refused:
        load(source, _file([SAMPLE_HEADER, _fields(0)], ","))

    message = refused.value.messages[0]
    assert message.startswith("1行目") and "Line 1" in message
    assert "区切り文字" in message and "delimiter" in message
    assert not LogFile.objects.exists()


def test_a_source_that_detects_its_delimiter_reads_csv_and_tsv_as_before(db):
    detected = {key: value for key, value in SAMPLE_MAPPING.items() if key != "delimiter"}
    source = _source(detected)

    tsv = load(source, _file([SAMPLE_HEADER, *_pipes(2)], "\t"), name="log.tsv")
    csv = load(source, _file([SAMPLE_HEADER, *_pipes(3)], ","), name="log.csv")

    assert (tsv.file.stored, csv.file.stored, csv.file.duplicates) == (2, 1, 2)


def test_a_headerless_source_reads_its_columns_by_position_from_line_1(db):
    """Columns in another order than the sample's: the positions say which is which."""
    order = [2, 0, 1, 3, 4, 5, 8, 6, 7]  # ID, time, terminal, action, kind, receipt, name, …
    mapping = {
        "header": False,
        "delimiter": ",",
        "columns": {
            "timestamp": 2,
            "terminal": 3,
            "account": 1,
            "action": 4,
            "kind": 5,
            "receipt": 6,
            "subject": [8, 9, 7],
        },
    }
    source = _source(mapping)
    data = _file([[row[i] for i in order] for row in _pipes(3)], ",")

    result = load(source, data)

    assert result.file.stored == 3 and result.file.rejected == 0
    first = Lookup.objects.get(line_number=1)
    assert (first.terminal_name, first.account_name, first.receipt_number) == (
        "LG-01",
        "U1001",
        "R-0000",
    )
    assert first.subject_hash == subject_hash(RESIDENT, "", NAME)
    # Every line of the file is a leaf of the Merkle tree, the first one too.
    count, root = lines_root(data)
    event = Event.objects.get(code="lgwan.log.imported")
    assert (event.changes["file"]["lines"], event.changes["file"]["lines_root"]) == (
        count,
        root.hex(),
    )
    assert count == 3


def test_a_pipe_delimited_shift_jis_file_without_a_header_is_read(db):
    """The documented positions sample: `|`, no quoting (a quote mark is text), Shift_JIS."""
    source = _source(SAMPLE_POSITIONS_MAPPING, encoding="cp932")
    rows = _pipes(2)
    rows[1][5] = '"R-9"'

    result = load(source, _file(rows, "|", encoding="cp932"), name="log.txt")

    assert result.file.stored == 2
    assert sorted(Lookup.objects.values_list("receipt_number", flat=True)) == ['"R-9"', "R-0000"]
    assert Lookup.objects.filter(kind=Lookup.Kind.RESIDENT).count() == 2


def test_a_headerless_file_imported_again_adds_nothing_and_an_overlap_only_its_new_lines(db):
    source = _source(SAMPLE_POSITIONS_MAPPING)
    load(source, _file(_pipes(3), "|"))

    again = load(source, _file(_pipes(3), "|"), name="copy.txt")
    overlap = load(source, _file(_pipes(2, start=2), "|"), name="next.txt")

    assert again.already_imported
    assert (overlap.file.stored, overlap.file.duplicates) == (1, 1)
    assert Lookup.objects.count() == 4
    assert Event.objects.filter(code="lgwan.log.imported").count() == 2


def test_a_headerless_utf8_file_with_a_byte_order_mark_keeps_its_first_lookup(db):
    source = _source(SAMPLE_POSITIONS_MAPPING)
    data = b"\xef\xbb\xbf" + _file(_pipes(2), "|")

    result = load(source, data)

    assert result.file.stored == 2 and result.file.rejected == 0
    event = Event.objects.get(code="lgwan.log.imported")
    assert event.changes["file"]["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_position_beyond_the_first_lines_fields_refuses_the_file_naming_line_and_column(db):
    source = _source(
        {
            **SAMPLE_POSITIONS_MAPPING,
            "columns": {"timestamp": 1, "terminal": 2, "account": 3, "action": 4, "receipt": 12},
        }
    )

    with pytest.raises(ValidationError) as refused:
        load(source, _file(_pipes(2), "|"))

    message = refused.value.messages[0]
    assert "1行目：12列目（受付番号の列）がありません。この行の項目は9個です。" in message
    assert "Line 1: column 12 (for Receipt number column (受付番号)) is beyond the line's 9" in (
        message
    )
    assert not LogFile.objects.exists() and not Lookup.objects.exists()


def test_a_headerless_line_with_fewer_fields_than_line_1_is_set_aside(db):
    source = _source(SAMPLE_POSITIONS_MAPPING)
    rows = _pipes(3)
    rows[1] = rows[1][:7]

    result = load(source, _file(rows, "|"))

    assert result.file.stored == 2
    assert [number for number, _reason in result.rejected] == [2]
    assert "1行目は9個" in result.rejected[0][1]
    assert "Line 2: 7 fields where line 1 has 9" in result.rejected[0][1]
    assert list(RejectedLine.objects.values_list("line_number", flat=True)) == [2]


def test_a_header_name_mapping_on_a_headerless_file_is_refused_saying_so(db):
    source = _source(SAMPLE_MAPPING)

    with pytest.raises(ValidationError) as refused:
        load(source, _file(_pipes(2), ","))

    message = refused.value.messages[0]
    assert "1行目に" in message and "見出し行のないファイルでは、列を位置で指定" in message
    assert "does the file have a header line? Without one, give the columns by position." in (
        message
    )
    assert NAME not in message  # line 1 is a lookup: its values are not repeated
    assert not LogFile.objects.exists()


def test_fields_in_single_quotes_hold_the_delimiter(db):
    source = _source({**SAMPLE_POSITIONS_MAPPING, "delimiter": ",", "quote": "'"})
    row = _fields(0, c5="'R-1,2'", c8="'架空, 申請者'")

    load(source, _file([row], ","))

    lookup = Lookup.objects.get()
    assert lookup.receipt_number == "R-1,2"
    assert lookup.subject_hash == subject_hash(RESIDENT, "", "架空, 申請者")


def test_split_fields_takes_the_quote_mark_or_none():
    assert split_fields('a,"b,c",d', ",") == ["a", "b,c", "d"]
    assert split_fields("a|'b|c'|d", "|", "'") == ["a", "b|c", "d"]
    assert split_fields('a|"b|c"', "|", "") == ["a", '"b', 'c"']


def test_a_shipper_of_a_headerless_source_pushes_lines_without_a_header(db):
    source, token = actions.register_source(
        name="架空シッパー", mapping=SAMPLE_POSITIONS_MAPPING, by=None
    )
    body = _file(_pipes(2), "|")

    answer = Client().post(
        "/api/v1/lgwan/lookups/",
        body,
        content_type="text/plain",
        HTTP_AUTHORIZATION=f"Device {token}",
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["stored"] == 2
    assert sorted(Lookup.objects.values_list("line_number", flat=True)) == [1, 2]


# Through `itaku lgwan`: the mapping file carries the format, refusals name their field.


def test_the_command_registers_a_headerless_source_and_imports_its_file(db, tmp_path):
    mapping_path = tmp_path / "mapping.json"
    mapping_path.write_text(json.dumps(SAMPLE_POSITIONS_MAPPING), encoding="utf-8")
    log_path = tmp_path / "log.txt"
    log_path.write_bytes(_file(_pipes(2), "|", encoding="cp932"))

    call_command(
        "lgwan", "add-source", "架空パイプ", "--mapping", str(mapping_path), stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("lgwan", "import", str(log_path), "--source", "架空パイプ", stdout=out)

    assert LogSource.objects.get().mapping == SAMPLE_POSITIONS_MAPPING
    assert "2 lookups stored" in out.getvalue()
    assert Lookup.objects.count() == 2


def test_the_command_refuses_a_bad_format_naming_each_field_in_both_languages(db, tmp_path):
    mapping_path = tmp_path / "mapping.json"
    bad = {
        **SAMPLE_POSITIONS_MAPPING,
        "delimiter": "ab",
        "columns": {**SAMPLE_POSITIONS_MAPPING["columns"], "timestamp": "照会日時", "terminal": 0},
    }
    mapping_path.write_text(json.dumps(bad), encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command("lgwan", "add-source", "架空", "--mapping", str(mapping_path))

    message = str(refused.value)
    assert "区切り文字：「ab」ではなく" in message
    assert "Delimiter: give one character that is neither a letter nor a digit" in message
    assert "日時の列：見出し行のないファイルです。" in message
    assert "Time column: the file has no header line" in message
    assert "端末の列：列の位置は1（最初の列）から1000までの整数です。「0」は使えません。" in message
    assert "Terminal column: a column's position is a whole number from 1" in message
    assert not LogSource.objects.exists()


def test_the_command_refuses_a_file_whose_line_1_lacks_a_position(db, tmp_path):
    mapping = {
        **SAMPLE_POSITIONS_MAPPING,
        "columns": {**SAMPLE_POSITIONS_MAPPING["columns"], "subject": [7, 8, 10]},
    }
    _source(mapping, name="架空")
    log_path = tmp_path / "log.txt"
    log_path.write_bytes(_file(_pipes(1), "|"))

    with pytest.raises(CommandError) as refused:
        call_command("lgwan", "import", str(log_path), "--source", "架空")

    assert "1行目：10列目（照会対象者の列）がありません" in str(refused.value)
    assert "Line 1: column 10 (for Subject columns)" in str(refused.value)
    assert not Lookup.objects.exists()


def test_the_documented_mappings_are_the_shipped_samples():
    """docs/lgwan-import.md shows the two sample mappings; they are the ones the code ships."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "lgwan-import.md").read_text("utf-8")
    blocks = [json.loads(block.split("```")[0]) for block in text.split("```json\n")[1:]]

    assert blocks == [SAMPLE_MAPPING, SAMPLE_POSITIONS_MAPPING]
