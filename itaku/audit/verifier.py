"""Check an Itaku audit export on your own machine: `python verify.py BUNDLE.zip`.

One file, needing only Python 3.11's standard library and `cryptography`; it never imports
Itaku, Django or a database driver, so an auditor can read all of it before trusting it. Itaku
itself uses the same functions, so the server and the auditor compute the same hashes.

The log is a Merkle tree as in RFC 6962 / RFC 9162 section 2.1: a leaf hash is
SHA-256(0x00 || event bytes), an interior node SHA-256(0x01 || left || right). Each event is
stored with the hashes it completes: its leaf hash, then the roots of the perfect subtrees that
end at it (sizes 2, 4, 8, ... as far as its position allows). A checkpoint is a short text naming
a log, its size and its root, signed with Ed25519 by a key the city keeps.

Exit status: 0 when every log verifies, 1 when something fails (the first failing event and the
reason are printed), 2 when the bundle cannot be read.

It speaks Japanese and English (`--lang ja|en`; by default Japanese when LC_ALL, LC_MESSAGES or
LANG starts with `ja`). Its messages are the table MESSAGES below, not gettext: the file has no
catalog beside it on the auditor's machine.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
CHECKPOINT_HEADER = "itaku audit checkpoint v1"
# v2 adds one line per log of the trail, "log STREAM FISCAL-YEAR SIZE", as the heads stood when
# it was signed: a log deleted whole, or cut short, fails against any later checkpoint.
CHECKPOINT_HEADER_V2 = "itaku audit checkpoint v2"

_sha256 = hashlib.sha256

# Every message the verifier prints, Japanese then English, by key. `OK` and `FAIL` open a log's
# line in both languages, so a script reading the output needs no language of its own.
MESSAGES: dict[str, tuple[str, str]] = {
    # A log's line and the event a finding names.
    "ok": (
        "OK    {name}: イベント {size} 件、ルート {root}、検証したチェックポイント {checked} 件、"
        "最新のチェックポイント以降のイベント {tail} 件",
        "OK    {name}: {size} events, root {root}, {checked} checkpoints verified, "
        "{tail} events after the latest checkpoint",
    ),
    "fail": ("FAIL  {name}: {finding}", "FAIL  {name}: {finding}"),
    "event": ("イベント #{position}: {reason}", "event #{position}: {reason}"),
    # What a finding says.
    "unsigned": (
        "{signed_at} に署名されたサイズ {size} のチェックポイントに、信頼する鍵の有効な署名が"
        "ありません",
        "the checkpoint of size {size} signed at {signed_at} does not carry a valid signature "
        "of the trusted key",
    ),
    "rewritten": (
        "イベント #{first}〜#{last} が、{signed_at} に署名されたサイズ {size} のチェックポイントと"
        "一致しません（ログの書き換え）",
        "events #{first} to #{last} differ from the checkpoint of size {size} signed at "
        "{signed_at} (log rewritten)",
    ),
    "cut_before_checkpoint": (
        "ログはここで終わっていますが、{signed_at} に署名されたチェックポイントはイベント {size} "
        "件を含みます（末尾の切り取り）",
        "the log ends here, but a checkpoint signed at {signed_at} covers {size} events (tail cut)",
    ),
    "cut_before_head": (
        "ログはここで終わっていますが、ログの管理行にはイベント {size} 件と記録されています",
        "the log ends here, but its head records {size} events",
    ),
    "kind": (
        "保存された{column}が {kind} です。ログが書き込むことのない種類の値です（改ざん）",
        "its stored {column}: {kind}, of a kind the log never writes (tampered)",
    ),
    "beyond_head": (
        "ログの管理行が記録するイベント {limit} 件を超えて保存されています（挿入）",
        "stored beyond the {limit} events its head records (inserted)",
    ),
    "missing": (
        "欠落しています。次に保存されているイベントは #{next} です",
        "missing: the next stored event is #{next}",
    ),
    "twice": (
        "イベント #{position} が二重に、または順序を乱して保存されています",
        "event #{position} is stored twice or out of order",
    ),
    "edited": (
        "バイト列が保存されたハッシュと一致しません（編集）",
        "its bytes do not match its stored hash (edited)",
    ),
    "other_position": (
        "保存されたハッシュは別の位置のために作られたものです",
        "its stored hashes were made for another position",
    ),
    "other_position_named": (
        "保存されたハッシュは別の位置のために作られたものです"
        "（バイト列には #{claimed} とあります）",
        "its stored hashes were made for another position (its bytes say #{claimed})",
    ),
    "not_built_from": (
        "イベント #{first}〜#{last} は、保存された木の元になったイベントではありません"
        "（変更・並べ替え・挿入）",
        "events #{first} to #{last} are not the ones the stored tree was built from "
        "(changed, reordered or inserted)",
    ),
    "deleted": (
        "ログがありませんが、{signed_at} に署名された {stream} {year} のチェックポイントは"
        "このログのイベントを {size} 件と数えています（削除）",
        "the log is missing, but the checkpoint of {stream} {year} signed at {signed_at} "
        "counts {size} events in this log (deleted)",
    ),
    "cut_before_named": (
        "ログはここで終わっていますが、{signed_at} に署名された {stream} {year} の"
        "チェックポイントはこのログのイベントを {size} 件と数えています（末尾の切り取り）",
        "the log ends here, but the checkpoint of {stream} {year} signed at {signed_at} "
        "counts {size} events in this log (tail cut)",
    ),
    # What the database holds, checked by Itaku itself (itaku/audit/chain.py).
    "checkpoint_row": (
        "チェックポイントの行 {pk} を署名済みチェックポイントとして読めません（改ざん）",
        "checkpoint row {pk} cannot be read as a signed checkpoint (tampered)",
    ),
    "unreadable": (
        "保存された値を読めません（{error}）（改ざん）",
        "its stored values cannot be read ({error}) (tampered)",
    ),
    "index": (
        "索引の列（時刻・コード・操作者・対象）が保存されたバイト列と異なります（改ざん）",
        "its index columns (time, code, actor or object) differ from its stored bytes (tampered)",
    ),
    # The parts of a stored event or log a "kind" finding names.
    "column:bytes": ("バイト列", "bytes"),
    "column:hashes": ("ハッシュ", "hashes"),
    "column:position": ("位置", "position"),
    "column:head": ("ログの管理行のサイズ", "size in the log's head"),
    # Reading the bundle and the key.
    "not_ed25519": ("公開鍵が Ed25519 の鍵ではありません", "the public key is not an Ed25519 key"),
    "not_checkpoint": ("Itaku のチェックポイントではありません", "not an Itaku checkpoint"),
    "cannot_read": ("バンドルを読めません: {error}", "cannot read the bundle: {error}"),
    "bundle_key": (
        "注意: バンドル内の公開鍵を使っています。鍵 ID を市が保管するものと照合してください",
        "note: using the public key inside the bundle; compare its key ID with the city's",
    ),
    "key_id": ("鍵 ID {key_id}", "key ID {key_id}"),
    # The command line.
    "description": (
        "Itaku の監査エクスポートを手元で検証します。",
        "Check an Itaku audit export on your own machine.",
    ),
    "usage": ("使い方: ", "usage: "),
    "arguments": ("引数", "positional arguments"),
    "options": ("オプション", "options"),
    "help": ("この説明を表示して終了します", "show this help message and exit"),
    "help_bundle": (
        "`itaku audit export` が書き出した .zip",
        "the .zip written by `itaku audit export`",
    ),
    "help_public_key": (
        "市が保管するチェックポイントの公開鍵（PEM）。省略するとバンドル内のもの",
        "the city's own copy of the checkpoint public key (PEM); default: the bundle's",
    ),
    "help_checkpoints": (
        "市が別に保管したチェックポイント（`itaku audit checkpoint --out` の JSON）",
        "checkpoints the city kept separately (JSON from `itaku audit checkpoint --out`)",
    ),
    "help_lang": (
        "表示の言語。省略すると LC_ALL・LC_MESSAGES・LANG が ja で始まれば ja、それ以外は en",
        "the language of the messages; default: ja when LC_ALL, LC_MESSAGES or LANG starts "
        "with ja, else en",
    ),
    "bad_arguments": (
        "{prog}: 引数の誤り（-h で使い方を表示します）: {error}",
        "{prog}: error (-h shows the usage): {error}",
    ),
}
LANGUAGES = ("ja", "en")


def message(key: str, lang: str = "en", /, **params: object) -> str:
    """The message `key` in `lang` ("ja", or anything else for English), with its parameters."""
    japanese, english = MESSAGES[key]
    return (japanese if lang.startswith("ja") else english).format(**params)


def language_from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """POSIX order: the first of LC_ALL, LC_MESSAGES and LANG that is set decides."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(name):
            return "ja" if environ[name].startswith("ja") else "en"
    return "en"


class Unreadable(ValueError):
    """A key or checkpoint that cannot be read; says so in either language."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(message(key, "en", **params))
        self.key, self.params = key, params

    def text(self, lang: str) -> str:
        return message(self.key, lang, **self.params)


def leaf_hash(data: bytes) -> bytes:
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(NODE_PREFIX + left + right).digest()


def levels_at(index: int) -> int:
    """How many hashes the event at `index` stores: its leaf and the subtrees ending at it."""
    size = index + 1
    return (size & -size).bit_length()


def fold(frontier: Sequence[bytes]) -> bytes:
    """The root from the roots of a log's perfect subtrees, largest (leftmost) first."""
    if not frontier:
        return _sha256(b"").digest()  # RFC 9162: the hash of an empty list
    root = frontier[-1]
    for left in reversed(frontier[:-1]):
        root = node_hash(left, root)
    return root


class Tree:
    """A Merkle tree's root over entries that come in parts (an imported file's batches of
    lines): the roots of its perfect subtrees so far, the largest first, one per set bit of its
    size."""

    def __init__(self) -> None:
        self.size = 0
        self.frontier: list[bytes] = []

    def extend(self, entries: Iterable[bytes]) -> None:
        sha, leaf, node, stack = _sha256, LEAF_PREFIX, NODE_PREFIX, self.frontier
        size = self.size
        for data in entries:
            size += 1
            digest = sha(leaf + data).digest()
            carry = size
            while not carry & 1:
                digest = sha(node + stack.pop() + digest).digest()
                carry >>= 1
            stack.append(digest)
        self.size = size

    def root(self) -> bytes:
        return fold(self.frontier)


def tree_root(entries: Iterable[bytes]) -> bytes:
    """The root over event bytes held in memory: the baseline verification is measured against."""
    tree = Tree()
    tree.extend(entries)
    return tree.root()


def append_hashes(data: bytes, index: int, left_roots: Sequence[bytes]) -> bytes:
    """The hashes to store with a new event at `index`.

    `left_roots` are the roots of the perfect subtrees immediately left of it that it completes,
    nearest (smallest) first: the top hash stored with the events at index - 1, index - 2,
    index - 4, ...
    """
    digest = leaf_hash(data)
    out = [digest]
    for left in left_roots:
        digest = node_hash(left, digest)
        out.append(digest)
    if len(out) != levels_at(index):
        raise ValueError(f"event {index} completes {levels_at(index) - 1} subtrees")
    return b"".join(out)


def completed_by(index: int) -> list[int]:
    """The positions whose top hash a new event at `index` needs (see append_hashes)."""
    return [index - (1 << level) for level in range(levels_at(index) - 1)]


def frontier_positions(size: int) -> list[tuple[int, int]]:
    """(last position, level) of each perfect subtree making up a log of `size`, leftmost first."""
    found = []
    end = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            end += 1 << level
            found.append((end - 1, level))
    return found


# RFC 9162 2.1.3 and 2.1.4: proofs, over any function giving the root of a range of leaves.
RangeRoot = Callable[[int, int], bytes]


def _split(size: int) -> int:
    """The largest power of two smaller than `size` (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_proof(index: int, size: int, root_of: RangeRoot) -> list[bytes]:
    if not 0 <= index < size:
        raise ValueError(f"position {index} is not in a log of {size}")
    proof: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            proof.append(root_of(lo + k, hi))
            hi = lo + k
        else:
            proof.append(root_of(lo, lo + k))
            lo += k
    proof.reverse()
    return proof


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2, with `leaf` the leaf hash."""
    if index >= size:
        return False
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def consistency_proof(old_size: int, size: int, root_of: RangeRoot) -> list[bytes]:
    if not 0 < old_size <= size:
        raise ValueError(f"no consistency proof from {old_size} to {size}")
    proof: list[bytes] = []

    def subproof(m: int, lo: int, hi: int, complete: bool) -> None:
        n = hi - lo
        if m == n:
            if not complete:
                proof.append(root_of(lo, hi))
            return
        k = _split(n)
        if m <= k:
            subproof(m, lo, lo + k, complete)
            proof.append(root_of(lo + k, hi))
        else:
            subproof(m - k, lo + k, hi, False)
            proof.append(root_of(lo, lo + k))

    subproof(old_size, 0, size, True)
    return proof


def verify_consistency(
    old_size: int, size: int, old_root: bytes, root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2."""
    if old_size == size:
        return old_root == root and not proof
    if not 0 < old_size < size or not proof:
        return False
    items = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root starts the path
        items.insert(0, old_root)
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = items[0]
    for c in items[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == root


def lines_root(data: bytes) -> tuple[int, bytes]:
    """Number of lines and the Merkle root over them, for an imported file (one leaf a line)."""
    lines = data.splitlines()
    return len(lines), tree_root(lines)


# Checkpoints: a signed note naming the log, its size and root.


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise Unreadable("not_ed25519")
    return key


@dataclass(frozen=True)
class Checkpoint:
    stream: str
    fiscal_year: int
    size: int
    root: bytes
    signed_at: str
    key_id: str
    note: bytes
    signature: bytes
    # (stream, fiscal year, size) of every log when it was signed; empty for v1 checkpoints.
    logs: tuple[tuple[str, int, int], ...] = ()

    @staticmethod
    def note_text(
        stream: str,
        fiscal_year: int,
        size: int,
        root: bytes,
        signed_at: str,
        logs: Iterable[tuple[str, int, int]] | None = None,
    ) -> bytes:
        lines = [
            CHECKPOINT_HEADER if logs is None else CHECKPOINT_HEADER_V2,
            f"stream {stream}",
            f"fiscal-year {fiscal_year}",
            f"size {size}",
            f"root {root.hex()}",
            f"signed-at {signed_at}",
        ]
        for name, year, count in sorted(logs or ()):
            lines.append(f"log {name} {year} {count}")
        return ("\n".join(lines) + "\n").encode()

    @classmethod
    def from_note(cls, note: bytes, signature: bytes, signer: str) -> Checkpoint:
        """Read the signed text itself, so what is checked is what was signed."""
        lines = note.decode().splitlines()
        if not lines or lines[0] not in (CHECKPOINT_HEADER, CHECKPOINT_HEADER_V2):
            raise Unreadable("not_checkpoint")
        values: dict[str, str] = {}
        logs: list[tuple[str, int, int]] = []
        for line in lines[1:]:
            name, value = line.split(" ", 1)
            if name == "log" and lines[0] == CHECKPOINT_HEADER_V2:
                stream, year, count = value.split(" ")
                logs.append((stream, int(year), int(count)))
            else:
                values[name] = value
        return cls(
            stream=values["stream"],
            fiscal_year=int(values["fiscal-year"]),
            size=int(values["size"]),
            root=bytes.fromhex(values["root"]),
            signed_at=values["signed-at"],
            key_id=signer,
            note=note,
            signature=signature,
            logs=tuple(logs),
        )

    def signed_by(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(self.signature, self.note)
        except InvalidSignature:
            return False
        return True

    def as_json(self) -> dict[str, str]:
        return {
            "note": self.note.decode(),
            "signature": base64.b64encode(self.signature).decode(),
            "key_id": self.key_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Checkpoint:
        return cls.from_note(
            data["note"].encode(), base64.b64decode(data["signature"]), data["key_id"]
        )


# Verifying a whole log, streamed in position order.


@dataclass
class Finding:
    """What is wrong at `position`: the key of a message in MESSAGES and its parameters."""

    position: int
    key: str
    params: dict[str, object] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The reason alone, in `lang`."""
        params = dict(self.params)
        if "column" in params:
            params["column"] = message(f"column:{params['column']}", lang)
        return message(self.key, lang, **params)

    @property
    def reason(self) -> str:
        return self.text("en")

    def describe(self, lang: str = "en") -> str:
        return message("event", lang, position=self.position, reason=self.text(lang))

    def __str__(self) -> str:
        return self.describe("en")


@dataclass
class LogReport:
    stream: str
    fiscal_year: int
    size: int = 0
    root: bytes = b""
    checked_checkpoints: list[Checkpoint] = field(default_factory=list)
    finding: Finding | None = None

    @property
    def ok(self) -> bool:
        return self.finding is None

    @property
    def unsigned_tail(self) -> int:
        """Events after the latest verified checkpoint: not yet covered by a signature."""
        signed = max((c.size for c in self.checked_checkpoints), default=0)
        return self.size - signed


def verify_log(
    stream: str,
    fiscal_year: int,
    rows: Iterable[tuple[int, bytes, bytes]],
    *,
    checkpoints: Iterable[Checkpoint] = (),
    public_key: Ed25519PublicKey | None = None,
    recorded_size: int | None = None,
) -> LogReport:
    """Check a log given as (position, event bytes, stored hashes) in position order.

    Hashes only the stored bytes (nothing is decoded or re-serialised) and compares every
    stored hash; stops at the first event that fails. Checkpoints are checked against the root
    at their size, so a log rewritten with recomputed hashes still fails against a checkpoint
    signed before the rewrite. `recorded_size` is the size the database's head row claims.
    """
    report = LogReport(stream, fiscal_year)
    if recorded_size is not None and type(recorded_size) is not int:
        report.finding = _unexpected(0, "head", recorded_size)
        return report
    pending = sorted(
        (c for c in checkpoints if c.stream == stream and c.fiscal_year == fiscal_year),
        key=lambda c: c.size,
    )
    for checkpoint in pending:
        if public_key is None or not checkpoint.signed_by(public_key):
            report.finding = Finding(
                checkpoint.size,
                "unsigned",
                {"size": checkpoint.size, "signed_at": checkpoint.signed_at},
            )
            return report
    due = iter(pending)
    next_checkpoint = next(due, None)
    next_size = next_checkpoint.size if next_checkpoint is not None else -1
    last_good = 0
    limit = recorded_size if recorded_size is not None else sys.maxsize
    # The loop is the in-memory tree_root() plus one comparison per event: anything slower
    # would make verifying cost more than the hashing it cannot avoid.
    sha, leaf, node = _sha256, LEAF_PREFIX, NODE_PREFIX
    stack: list[bytes] = []
    push, pop = stack.append, stack.pop
    size = 0
    for position, data, stored in rows:
        if position != size or size >= limit:
            report.finding = _out_of_place(position, size, limit)
            break
        try:
            digest = sha(leaf + data).digest()
        except TypeError:  # text, NULL or a number where the log stores bytes
            report.finding = _unexpected(size, "bytes", data)
            break
        size += 1
        if size & 1:
            push(digest)
            if stored != digest:
                report.finding = _diagnose(size, data, stored, digest)
                break
        else:
            computed = digest
            carry = size
            while not carry & 1:
                digest = sha(node + pop() + digest).digest()
                computed += digest
                carry >>= 1
            push(digest)
            if stored != computed:
                report.finding = _diagnose(size, data, stored, computed)
                break
        if size == next_size:
            root = fold(stack)
            while next_checkpoint is not None and next_checkpoint.size == size:
                if root != next_checkpoint.root:
                    report.finding = Finding(
                        last_good,
                        "rewritten",
                        {
                            "first": last_good,
                            "last": size - 1,
                            "size": size,
                            "signed_at": next_checkpoint.signed_at,
                        },
                    )
                    break
                report.checked_checkpoints.append(next_checkpoint)
                last_good = size
                next_checkpoint = next(due, None)
            if report.finding:
                break
            next_size = next_checkpoint.size if next_checkpoint is not None else -1
    report.size = size
    if report.finding is None:
        report.root = fold(stack)
        if next_checkpoint is not None:
            report.finding = Finding(
                size,
                "cut_before_checkpoint",
                {"signed_at": next_checkpoint.signed_at, "size": next_checkpoint.size},
            )
        elif recorded_size is not None and recorded_size != size:
            report.finding = Finding(size, "cut_before_head", {"size": recorded_size})
    return report


def _unexpected(position: int, column: str, value: object) -> Finding:
    """A stored value of a kind the log never writes: text or NULL for bytes, and the like."""
    return Finding(position, "kind", {"column": column, "kind": _kind(value)})


def _kind(value: object) -> str:
    if value is None:
        return "NULL"
    return f"{type(value).__name__} {str(value)[:20]!r}"


def _out_of_place(position: object, expected: int, limit: int) -> Finding:
    if type(position) is not int:
        return _unexpected(expected, "position", position)
    if expected >= limit:
        return Finding(expected, "beyond_head", {"limit": limit})
    if position > expected:
        return Finding(expected, "missing", {"next": position})
    return Finding(position, "twice", {"position": position})


def _diagnose(size: int, data: bytes, stored: object, joined: bytes) -> Finding:
    """Only once an event failed: say how, naming the smallest run of events concerned."""
    position = size - 1
    if not isinstance(stored, bytes | bytearray | memoryview):
        return _unexpected(position, "hashes", stored)
    stored = bytes(stored)
    computed = [joined[i : i + HASH_SIZE] for i in range(0, len(joined), HASH_SIZE)]
    if bytes(stored[:HASH_SIZE]) != computed[0]:
        return Finding(position, "edited")
    if len(stored) != HASH_SIZE * len(computed):
        claimed = _claimed(position, data)
        if claimed is None:
            return Finding(position, "other_position")
        return Finding(position, "other_position_named", {"claimed": claimed})
    level = next(
        level
        for level, digest in enumerate(computed)
        if bytes(stored[level * HASH_SIZE : (level + 1) * HASH_SIZE]) != digest
    )
    first = size - (1 << level)
    return Finding(first, "not_built_from", {"first": first, "last": size - 1})


def _claimed(position: int, data: bytes) -> object:
    """Only once something failed: the position the event's own bytes name, if another."""
    try:
        claimed = json.loads(data).get("seq")
    except (ValueError, AttributeError, TypeError):
        return None
    return claimed if claimed != position else None


def check_coverage(
    reports: list[LogReport],
    checkpoints: Iterable[Checkpoint],
    public_key: Ed25519PublicKey | None,
    *,
    fiscal_year: int | None = None,
    stream: str | None = None,
) -> list[LogReport]:
    """Every log a signed checkpoint names must be there, at least as long as it says.

    A checkpoint names its own log and size, and (v2) every log of the trail with its size
    when it was signed. A log deleted together with its head and its own checkpoints, or one
    cut short after its checkpoints were deleted, fails against any checkpoint kept elsewhere
    or signed for another log. Returns `reports` with a report added for each missing log.
    """
    if public_key is None:
        return reports
    named: dict[tuple[str, int], tuple[int, Checkpoint]] = {}
    for checkpoint in checkpoints:
        if not checkpoint.signed_by(public_key):
            continue  # verify_log reports a bad signature on the log it names
        claims = [(checkpoint.stream, checkpoint.fiscal_year, checkpoint.size), *checkpoint.logs]
        for name, year, size in claims:
            if fiscal_year is not None and year != fiscal_year:
                continue
            if stream is not None and name != stream:
                continue
            if size > named.get((name, year), (-1, checkpoint))[0]:
                named[(name, year)] = (size, checkpoint)
    found = {(report.stream, report.fiscal_year): report for report in reports}
    for (name, year), (size, checkpoint) in sorted(named.items()):
        report = found.get((name, year))
        said = {
            "stream": checkpoint.stream,
            "year": checkpoint.fiscal_year,
            "signed_at": checkpoint.signed_at,
            "size": size,
        }
        if report is None:
            missing = LogReport(name, year)
            missing.finding = Finding(0, "deleted", said)
            reports.append(missing)
        elif report.ok and report.size < size:
            report.finding = Finding(report.size, "cut_before_named", said)
    return reports


def read_hashes(text: str) -> Iterator[tuple[int, bytes]]:
    """Lines of `hashes.txt`: an event's stored position, then its stored hashes in hex."""
    for line in text.splitlines():
        position, hashes = line.split(" ")
        yield int(position), bytes.fromhex(hashes)


# The bundle: manifest.json, public_key.pem, checkpoints.json, logs/<stream>/events.jsonl
# (each event's exact bytes, one a line) and logs/<stream>/hashes.txt (on the same line
# number: the position the event is stored at and the hashes stored with it).


def read_checkpoints(text: str) -> list[Checkpoint]:
    """Checkpoints as a JSON list, or one JSON object a line (`itaku audit checkpoint --out`)."""
    if text.lstrip().startswith("["):
        return [Checkpoint.from_json(item) for item in json.loads(text)]
    return [Checkpoint.from_json(json.loads(line)) for line in text.splitlines() if line.strip()]


def read_bundle(
    path: Path, public_key_pem: bytes | None, extra_checkpoints: Sequence[Path]
) -> list[LogReport]:
    with zipfile.ZipFile(path) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        key = load_public_key(public_key_pem or bundle.read("public_key.pem"))
        checkpoints = [Checkpoint.from_json(c) for c in json.loads(bundle.read("checkpoints.json"))]
        for extra in extra_checkpoints:
            checkpoints += read_checkpoints(extra.read_text())
        fiscal_year = int(manifest["fiscal_year"])
        reports = []
        for stream, head in sorted(manifest["logs"].items()):
            lines = bundle.read(f"logs/{stream}/events.jsonl").split(b"\n")[:-1]
            hashes = read_hashes(bundle.read(f"logs/{stream}/hashes.txt").decode())
            # A file cut shorter than the other ends the log early: the head's size tells.
            paired = zip(lines, hashes, strict=False)
            rows = ((position, data, stored) for data, (position, stored) in paired)
            reports.append(
                verify_log(
                    stream,
                    fiscal_year,
                    rows,
                    checkpoints=checkpoints,
                    public_key=key,
                    recorded_size=int(head["size"]),
                )
            )
        return check_coverage(reports, checkpoints, key, fiscal_year=fiscal_year)


def describe(report: LogReport, lang: str = "en") -> str:
    name = f"{report.stream} {report.fiscal_year}"
    if report.finding is not None:
        return message("fail", lang, name=name, finding=report.finding.describe(lang))
    return message(
        "ok",
        lang,
        name=name,
        size=report.size,
        root=report.root.hex(),
        checked=len(report.checked_checkpoints),
        tail=report.unsigned_tail,
    )


class _Formatter(argparse.HelpFormatter):
    """argparse's own words ("usage:") are English; the verifier says them in its language."""

    prefix = message("usage", "en")

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, self.prefix)


class _JapaneseFormatter(_Formatter):
    prefix = message("usage", "ja")


class _Parser(argparse.ArgumentParser):
    def __init__(self, lang: str) -> None:
        self.lang = lang
        super().__init__(
            description=message("description", lang),
            formatter_class=_JapaneseFormatter if lang == "ja" else _Formatter,
            add_help=False,
        )

    def error(self, message_text: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, message("bad_arguments", self.lang, prog=self.prog, error=message_text) + "\n")


def _parser(lang: str) -> argparse.ArgumentParser:
    def say(key: str) -> str:
        return message(key, lang)

    parser = _Parser(lang)
    arguments = parser.add_argument_group(say("arguments"))
    arguments.add_argument("bundle", type=Path, help=say("help_bundle"))
    options = parser.add_argument_group(say("options"))
    options.add_argument("-h", "--help", action="help", help=say("help"))
    options.add_argument("--public-key", type=Path, help=say("help_public_key"))
    options.add_argument(
        "--checkpoints", type=Path, action="append", default=[], help=say("help_checkpoints")
    )
    options.add_argument("--lang", choices=LANGUAGES, default=lang, help=say("help_lang"))
    return parser


def _language(argv: Sequence[str]) -> str:
    """--lang, read before the parser is built so that its help speaks that language."""
    for position, argument in enumerate(argv):
        value = None
        if argument == "--lang" and position + 1 < len(argv):
            value = argv[position + 1]
        elif argument.startswith("--lang="):
            value = argument.partition("=")[2]
        if value in LANGUAGES:
            return value
    return language_from_environment()


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser(_language(argv)).parse_args(argv)
    lang = args.lang
    pem = args.public_key.read_bytes() if args.public_key else None
    try:
        reports = read_bundle(args.bundle, pem, args.checkpoints)
    except Unreadable as error:
        print(message("cannot_read", lang, error=error.text(lang)), file=sys.stderr)
        return 2
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        print(message("cannot_read", lang, error=error), file=sys.stderr)
        return 2
    if pem is None:
        print(message("bundle_key", lang))
    with zipfile.ZipFile(args.bundle) as bundle:
        key = load_public_key(pem or bundle.read("public_key.pem"))
    print(message("key_id", lang, key_id=key_id(key)))
    for report in reports:
        print(describe(report, lang))
    return 0 if all(report.ok for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
