"""Audit trail: audited writes against plain ones and django-auditlog, verification against
in-memory hashing, and an inclusion proof in a log of 10 million events.

The write figures run in child processes (`python -m bench.audit writes`), one on a SQLite file
and one on PostgreSQL (postgres://postgres@127.0.0.1:5432/itaku_bench, recreated each run) when
it is reachable, each configured with django-auditlog added to INSTALLED_APPS. django-auditlog
is not a dependency of Itaku: the benchmark installs it with `pip install --target` into a
folder of its own and puts that folder last on the child's path.
"""

import enum
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import figure, rate

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/itaku_bench"
AUDITLOG_DIR = Path(tempfile.gettempdir()) / "itaku-bench-auditlog"
WRITES, ROUNDS = 250, 21
VERIFY_EVENTS = 100_000
PROOF_LOG = 10_000_000


class BenchEvent(enum.StrEnum):
    RENAMED = "bench.person.renamed"
    NOTED = "benchverify.thing.noted"


def run() -> None:
    auditlog_ready = _install_auditlog()
    print(
        f"  writes: one-row changes, one transaction each; median of {ROUNDS} interleaved rounds "
        f"of {WRITES}"
    )
    with tempfile.TemporaryDirectory(prefix="itaku-bench-audit-") as folder:
        _child_writes("SQLite", f"sqlite:///{Path(folder) / 'writes.sqlite3'}", auditlog_ready)
    if _recreate_postgres_database():
        _child_writes("PostgreSQL", POSTGRES_URL, auditlog_ready)
    else:
        print(f"  PostgreSQL: skipped, not reachable at {POSTGRES_URL}")
    _verification()
    _proof_in_ten_million()


# Writes: an audited change against the same change alone, and against django-auditlog.


def _install_auditlog() -> bool:
    if (AUDITLOG_DIR / "auditlog").is_dir():
        return True
    result = subprocess.run(  # noqa: S603 - pip with fixed arguments
        [
            sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
            str(AUDITLOG_DIR), "django-auditlog", "python-dateutil", "six",
        ],
        capture_output=True,
        text=True,
    )  # fmt: skip
    if result.returncode != 0:
        print(f"  django-auditlog: not compared, installing it failed: {result.stderr.strip()}")
        return False
    return True


def _recreate_postgres_database() -> bool:
    import psycopg

    try:
        with psycopg.connect(
            "postgres://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3
        ) as admin:
            admin.execute("DROP DATABASE IF EXISTS itaku_bench WITH (FORCE)")
            admin.execute("CREATE DATABASE itaku_bench")
    except psycopg.OperationalError:
        return False
    return True


def _child_writes(label: str, database_url: str, with_auditlog: bool) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    env["ITAKU_BENCH_AUDITLOG"] = str(AUDITLOG_DIR) if with_auditlog else ""
    result = subprocess.run(  # noqa: S603 - this module, in a fresh interpreter
        [sys.executable, "-m", "bench.audit", "writes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(f"  {label}: the write benchmark failed:\n{result.stderr}")
        return
    rates: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    plain, audited = rates["plain"], rates["itaku"]
    rate(f"{label}: audited change (change + event)", audited, "same change unaudited", plain)
    if "auditlog" in rates:
        logged = rates["auditlog"]
        rate(f"{label}: django-auditlog change", logged, "same change unaudited", plain)
        ours, theirs = plain / audited - 1, plain / logged - 1
        print(
            f"  {label + ': overhead per write':<44} Itaku {ours:6.0%}   "
            f"baseline django-auditlog: {theirs:6.0%}   "
            f"ratio {ours / theirs if theirs else float('nan'):6.2f}x"
        )
    else:
        print(f"  {label}: django-auditlog not compared: {rates.get('auditlog_skipped', '')}")


def _configure_child() -> bool:
    """Django for the child: the bench settings, plus django-auditlog when it was installed."""
    import django
    from django.conf import settings

    import bench.settings as base

    values = {name: getattr(base, name) for name in dir(base) if name.isupper()}
    auditlog_dir = os.environ.get("ITAKU_BENCH_AUDITLOG", "")
    if auditlog_dir:
        sys.path.append(auditlog_dir)  # last, so Itaku's own Django is the one imported
        values["INSTALLED_APPS"] = [*values["INSTALLED_APPS"], "auditlog"]
    settings.configure(**values)
    django.setup()
    return bool(auditlog_dir)


def _writes_child() -> None:
    with_auditlog = _configure_child()
    from django.core.management import call_command
    from django.db import transaction

    from itaku.audit.log import record
    from itaku.people.models import Organization, Person

    call_command("migrate", verbosity=0)
    organization = Organization.objects.create(name="ベンチ市", kind=Organization.Kind.CITY)
    person = Person.objects.create(name="試験 一郎", organization=organization)

    def plain(number: int) -> None:
        with transaction.atomic():
            person.name = f"試験 一郎 {number}"
            person.save(update_fields=["name"])

    def audited(number: int) -> None:
        with transaction.atomic():
            old = person.name
            person.name = f"試験 一郎 {number}"
            person.save(update_fields=["name"])
            record(
                BenchEvent.RENAMED,
                actor=person,
                target=person,
                changes={"name": [old, person.name]},
            )

    # django-auditlog records the same plain change through its signals while registered.
    loops: dict[str, Callable[[int], None]] = {"plain": plain, "itaku": audited}
    rates: dict[str, Any] = {}
    if with_auditlog:
        from auditlog.registry import auditlog  # type: ignore[import-not-found]

        loops["auditlog"] = plain
    # Short rounds, interleaved, in alternating order: whatever else the machine is doing
    # weighs on every variant alike. Each figure is the median round.
    samples: dict[str, list[float]] = {name: [] for name in loops}
    for round_number in range(ROUNDS):
        order = list(loops) if round_number % 2 == 0 else list(reversed(loops))
        for name in order:
            if name == "auditlog":
                auditlog.register(Person)
            start = time.perf_counter()
            for number in range(WRITES):
                loops[name](number)
            samples[name].append(WRITES / (time.perf_counter() - start))
            if name == "auditlog":
                auditlog.unregister(Person)
    rates.update({name: statistics.median(values) for name, values in samples.items()})
    print(json.dumps(rates))


# Verification: the stored log checked from the database, against hashing it in memory.


def _verification() -> None:
    from django.db import transaction

    from itaku.audit import chain
    from itaku.audit.log import record
    from itaku.audit.verifier import tree_root

    padding = "x" * 120  # events of about 200 bytes, as the issue measures
    for first in range(0, VERIFY_EVENTS, 1000):
        with transaction.atomic():
            for number in range(first, first + 1000):
                record(BenchEvent.NOTED, actor=None, changes={"n": number, "pad": padding})
    (name, year, size) = chain.logs(stream="benchverify")[0]
    bodies = [body for _seq, body, _hashes in chain.stored_rows(name, year)]
    average = statistics.mean(len(body) for body in bodies)

    def in_memory() -> None:
        tree_root(bodies)

    def from_database() -> None:
        (report,) = chain.verify(year, name, index=False).reports
        assert report.ok and report.size == size

    def with_index_check() -> None:
        (report,) = chain.verify(year, name).reports
        assert report.ok and report.size == size

    baseline = size / _best_seconds(in_memory)
    verified = size / _best_seconds(from_database)
    print(f"  verification: {size:,} events of {average:.0f} bytes on average")
    rate("verify from the database (events/s)", verified, "same tree in memory", baseline)
    # `itaku audit verify` also decodes each event to compare the index columns with it.
    checked = size / _best_seconds(with_index_check)
    rate("verify + index columns (events/s)", checked, "hashes only", verified)


def _best_seconds(func: Callable[[], None], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


# A proof in a log of 10 million: computed over synthetic events in memory, streamed.


def _proof_in_ten_million() -> None:
    from itaku.audit.verifier import inclusion_proof, leaf_hash, tree_root, verify_inclusion

    padding = b"x" * 180

    def event(number: int) -> bytes:
        return b'{"n":%d,"pad":"%s"}' % (number, padding)

    def range_root(lo: int, hi: int) -> bytes:
        return tree_root(event(number) for number in range(lo, hi))

    position = 7_654_321
    start = time.perf_counter()
    proof = inclusion_proof(position, PROOF_LOG, range_root)
    built = time.perf_counter() - start
    # The proof's subtrees cover every other event, so folding them with the event's leaf
    # gives the log's root without a second pass over 10 million events (the tests check these
    # functions against RFC 6962's definition).
    leaf = leaf_hash(event(position))
    root = _root_from_proof(position, PROOF_LOG, leaf, proof)
    checks = []
    for _ in range(1000):
        start = time.perf_counter()
        ok = verify_inclusion(leaf, position, PROOF_LOG, proof, root)
        checks.append(time.perf_counter() - start)
    assert ok
    size_bytes = 32 * len(proof) + 16  # the hashes, plus position and log size as 8-byte numbers
    print(
        f"  proof for event #{position:,} in a log of {PROOF_LOG:,}: built in {built:.1f} s by "
        "hashing synthetic 200-byte events in memory (no database rows)"
    )
    print(
        f"  {'inclusion proof size':<44} {size_bytes:10,} B    baseline limit: 1,024 B   "
        f"ratio {size_bytes / 1024:6.2f}x"
    )
    check = statistics.median(checks)
    print(
        f"  {'inclusion proof check':<44} {check * 1e6:10.1f} µs   baseline limit: 1,000 µs   "
        f"ratio {check / 1e-3:6.3f}x"
    )
    figure("hashes in the proof", len(proof))


def _root_from_proof(position: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes:
    """Fold the proof upwards (RFC 9162 2.1.3.2) to the root it stands for."""
    from itaku.audit.verifier import node_hash

    fn, sn, root = position, size - 1, leaf
    for sibling in proof:
        if fn & 1 or fn == sn:
            root = node_hash(sibling, root)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            root = node_hash(root, sibling)
        fn >>= 1
        sn >>= 1
    return root


if __name__ == "__main__" and sys.argv[1:] == ["writes"]:
    _writes_child()
