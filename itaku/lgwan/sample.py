"""The documented sample source (docs/lgwan-import.md): a mapping and how its lines look.

Demo data, tests and the benchmark use it; a city registers its own sources with the mapping
of its systems' exports.
"""

from datetime import datetime
from typing import Any

SAMPLE_SOURCE = "窓口LGWAN照会ログ"
SAMPLE_MAPPING: dict[str, Any] = {
    "header": True,
    "delimiter": ",",
    "quote": '"',
    "columns": {
        "timestamp": "照会日時",
        "terminal": "端末番号",
        "account": "利用者ID",
        "action": "操作",
        "kind": "照会種別",
        "receipt": "受付番号",
        "subject": ["住民票コード", "識別符号", "氏名"],
    },
    "actions": {"照会": "lookup", "ログイン": "login", "ログアウト": "logout"},
    "kinds": {"本人確認情報": "resident", "戸籍情報連携": "koseki"},
}
# The same columns from a system whose export has no header line and separates its fields with
# "|" (docs/lgwan-import.md): each column by its position, 1 for the first.
SAMPLE_POSITIONS_MAPPING: dict[str, Any] = {
    "header": False,
    "delimiter": "|",
    "quote": "",
    "columns": {
        "timestamp": 1,
        "terminal": 2,
        "account": 3,
        "action": 4,
        "kind": 5,
        "receipt": 6,
        "subject": [7, 8, 9],
    },
    "actions": SAMPLE_MAPPING["actions"],
    "kinds": SAMPLE_MAPPING["kinds"],
}
SAMPLE_HEADER = [
    "照会日時",
    "端末番号",
    "利用者ID",
    "操作",
    "照会種別",
    "受付番号",
    "住民票コード",
    "識別符号",
    "氏名",
]


def sample_line(
    at: datetime,
    terminal: str,
    account: str,
    action: str = "照会",
    *,
    kind: str = "本人確認情報",
    receipt: str = "",
    resident_code: str = "",
    koseki_code: str = "",
    name: str = "",
) -> str:
    """One CSV line in the sample format (no quoting: the sample values hold no commas)."""
    moment = at.strftime("%Y/%m/%d %H:%M:%S")
    return ",".join(
        [moment, terminal, account, action, kind, receipt, resident_code, koseki_code, name]
    )


def sample_file(lines: list[str], *, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([",".join(SAMPLE_HEADER), *lines]) + "\r\n").encode(encoding)
