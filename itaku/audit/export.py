"""The export bundle an auditor checks on their own machine (see verifier.py for the layout)."""

import json
from datetime import UTC
from pathlib import Path
from shutil import copyfileobj
from tempfile import SpooledTemporaryFile
from typing import BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils import timezone

from itaku.audit import verifier
from itaku.audit.chain import stored_rows
from itaku.audit.models import Checkpoint, Log
from itaku.audit.signing import public_pem

README = """\
Itaku 監査証跡エクスポート / Itaku audit trail export — fiscal year {year}

確認方法 / How to check (Python 3.11+, with the `cryptography` package):

    python verify.py {name} --public-key CITY_PUBLIC_KEY.pem

市が別に保管している公開鍵とチェックポイントで確認してください。同梱の verify.py と公開鍵は
便宜のためのものです。
Check with the public key and checkpoints the city keeps separately (--checkpoints FILE); the
verify.py and public key inside this bundle are a convenience, not a trust anchor.

表示は日本語と英語です（--lang ja|en。省略時は LANG などの環境変数が ja で始まれば日本語）。
It speaks Japanese and English (--lang ja|en; by default Japanese when LANG or LC_ALL starts
with ja).

logs/<stream>/events.jsonl  each event's exact stored bytes, one a line, in order
logs/<stream>/hashes.txt    per event: its stored position and hashes (leaf, then subtrees)
checkpoints.json            signed checkpoints (Ed25519) of this fiscal year
"""


def bundle_name(fiscal_year: int) -> str:
    return f"itaku-audit-{fiscal_year}.zip"


def write_bundle(fiscal_year: int, out: BinaryIO, public_key: Ed25519PublicKey) -> dict[str, int]:
    """Write the events, hashes and checkpoints of one fiscal year; returns each log's size.

    The heads are read first and only events below them are written, so writers appending
    meanwhile never make a bundle inconsistent.
    """
    heads = {
        log.stream: log.size
        for log in Log.objects.filter(fiscal_year=fiscal_year, size__gt=0).order_by("stream")
    }
    checkpoints = Checkpoint.objects.filter(fiscal_year=fiscal_year).order_by("stream", "size")
    manifest = {
        "format": "itaku-audit-export-1",
        "fiscal_year": fiscal_year,
        "exported_at": timezone.now().astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "key_id": verifier.key_id(public_key),
        "logs": {stream: {"size": size} for stream, size in heads.items()},
    }
    with ZipFile(out, "w", ZIP_DEFLATED) as bundle:
        bundle.writestr("manifest.json", json.dumps(manifest, indent=2))
        bundle.writestr("public_key.pem", public_pem(public_key))
        bundle.writestr(
            "checkpoints.json", json.dumps([c.signed().as_json() for c in checkpoints], indent=2)
        )
        for stream, size in heads.items():
            # A zip takes one member at a time: the hashes wait in a spooled file meanwhile.
            with SpooledTemporaryFile(max_size=16 * 1024 * 1024) as hashes:
                with bundle.open(f"logs/{stream}/events.jsonl", "w") as events:
                    for position, body, stored in stored_rows(stream, fiscal_year, below=size):
                        events.write(bytes(body) + b"\n")
                        hashes.write(b"%d %s\n" % (position, bytes(stored).hex().encode()))
                hashes.seek(0)
                with bundle.open(f"logs/{stream}/hashes.txt", "w") as member:
                    copyfileobj(hashes, member)
        bundle.writestr("verify.py", Path(verifier.__file__).read_bytes())
        name = bundle_name(fiscal_year)
        bundle.writestr("README.txt", README.format(year=fiscal_year, name=name))
    return heads
