"""`itaku check-contract FILE [--format json|text]`: report, exit codes, bilingual errors."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from itaku.contractors.contract_check import MAX_UPLOAD_BYTES

CONTRACTS = Path(__file__).parent / "contracts"


def run(*args: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("check-contract", *args, stdout=out)
    except SystemExit as exit:
        return out.getvalue(), int(exit.code or 0)
    return out.getvalue(), 0


def test_complete_contract_exits_0_and_says_all_found():
    output, code = run(str(CONTRACTS / "complete.txt"))

    assert code == 0
    assert "13項目すべての規定があります。" in output
    assert "第9条: 第9条 乙は、本業務の全部又は一部を再委託してはならない。" in output


def test_contract_with_missing_provisions_exits_1_and_lists_them_in_japanese():
    output, code = run(str(CONTRACTS / "missing_c_and_l.txt"))

    assert code == 1
    assert "2-2-c  [なし]  提供されるサービスレベルの保証" in output
    assert "欠けている規定: 2-2-c, 2-2-l" in output


def test_json_format_has_one_entry_per_provision():
    output, code = run(str(CONTRACTS / "missing_c_and_l.txt"), "--format", "json")

    data = json.loads(output)
    assert code == 1
    assert len(data["provisions"]) == 13
    assert data["provisions"][7]["id"] == "2-2-h"
    assert data["provisions"][7]["passages"][0]["where"] == "第9条"
    assert data["provisions"][11] == {"id": "2-2-l", "present": False, "passages": []}


def test_bad_document_exits_2_with_the_problem_in_japanese_and_english(tmp_path):
    fake = tmp_path / "contract.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)

    with pytest.raises(CommandError) as caught:
        run(str(fake))

    assert caught.value.returncode == 2
    assert str(caught.value).splitlines() == [
        "contract.pdf は拡張子が .pdf ですが、内容がPDFではありません。",
        "contract.pdf is named .pdf but its content is not a PDF.",
    ]


def test_missing_file_exits_2_naming_the_file(tmp_path):
    with pytest.raises(CommandError) as caught:
        run(str(tmp_path / "none.txt"))

    assert caught.value.returncode == 2
    assert "none.txt" in str(caught.value)


def test_file_over_the_size_limit_exits_2_saying_so(tmp_path):
    large = tmp_path / "契約書.txt"
    with large.open("wb") as stream:
        stream.truncate(MAX_UPLOAD_BYTES + 10)

    with pytest.raises(CommandError) as caught:
        run(str(large))

    assert caught.value.returncode == 2
    assert "契約書.txt は上限の20 MBを超えています。" in str(caught.value)
