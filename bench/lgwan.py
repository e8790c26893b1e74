"""LGWAN lookup logs: import speed and memory, and the daily review's cost, against baselines.

A fiscal year of a 40-person office: 250 working days and `LGWAN_BENCH_LINES` lookups
(default 1,000,000, about 4,000 a day) in the documented sample format (`itaku.lgwan.sample`),
imported through the real import (`itaku.lgwan.importer.import_log`) and compared, in the same
run, with loading the same rows the plainest way the database allows: PostgreSQL `COPY` into a
bare table, or SQLite `executemany` into a bare table. Targets: at least 0.25× COPY, 0.3×
executemany. Peak Python memory (tracemalloc) is taken at 100,000 lines and at the timed size,
or at 10,000,000 lines generated on the fly with `LGWAN_BENCH_HUGE=1` (several minutes): it
must stay flat, the import streams. The review rules over ordinary days of that year are
compared with one plain scan of the same days' rows: target at most 3× on PostgreSQL.

Run `python -m bench lgwan` (SQLite) and with `DATABASE_URL=postgres://…` (PostgreSQL).
`LGWAN_BENCH_PARTS` names the parts to run, of `import,review,memory` (all by default): with
`review` alone the year is still imported, untimed, and the memory runs are left out.
"""

import csv
import os
import resource
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from bench.common import figure, rate, ratio
from itaku.area.models import Area, Passage
from itaku.core.dates import fiscal_year
from itaku.lgwan import actions
from itaku.lgwan.importer import import_log
from itaku.lgwan.models import (
    Account,
    Application,
    Finding,
    LogFile,
    LogSource,
    Lookup,
    RejectedLine,
    is_business_day,
)
from itaku.lgwan.rules import Day, day_counts, review_day
from itaku.lgwan.sample import SAMPLE_HEADER, SAMPLE_MAPPING, sample_line
from itaku.people.roles import Role
from itaku.retention.guard import PERMIT
from tests.factories import person_with_role

LINES = int(os.environ.get("LGWAN_BENCH_LINES", "1000000"))
SMALL = 100_000
HUGE = 10_000_000 if os.environ.get("LGWAN_BENCH_HUGE") else 0
PARTS = set(os.environ.get("LGWAN_BENCH_PARTS", "import,review,memory").split(","))
PEOPLE = 40
TERMINALS = 20
DAYS = 250
REVIEWED_DAYS = 3
# The targets the import and the review are held to (docs/lgwan-import.md).
IMPORT_TARGET = {"postgresql": 0.25, "sqlite": 0.3}
REVIEW_TARGET = 3.0
FLAT = 1.25


def _days() -> list[date]:
    days: list[date] = []
    day = timezone.localdate()
    while len(days) < DAYS:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _lines(count: int, days: list[date]) -> Iterator[str]:
    """`count` lookups spread over `days`, 9:00–17:00, each with a receipt and a subject."""
    zone = timezone.get_current_timezone()
    per_day = max(1, count // len(days))
    span = 8 * 3600
    yield ",".join(SAMPLE_HEADER) + "\n"
    for n in range(count):
        day = days[min(n // per_day, len(days) - 1)]
        second = (n % per_day) * span // per_day
        at = datetime.combine(day, clock(9), tzinfo=zone) + timedelta(seconds=second)
        person = n % PEOPLE
        yield (
            sample_line(
                at,
                f"T-{person % TERMINALS:02d}",
                f"U{person:04d}",
                receipt=f"{day:%m%d}-{n:07d}",
                resident_code=f"9{n:010d}",
                name="架空 申請者",
            )
            + "\n"
        )


def _write(path: Path, count: int, days: list[date]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.writelines(_lines(count, days))


def _setup(days: list[date]) -> LogSource:
    manager = person_with_role(Role.MANAGER, username="bench-lgwan-manager")
    area = Area.objects.create(name="照会ベンチ区域", place="試験", boundary="試験")
    for number in range(TERMINALS):
        actions.register_terminal(
            asset_number=f"T-{number:02d}",
            place="窓口",
            area=area,
            media_block_method="USB無効化",
            screen_lock_minutes=30,
            by=manager,
        )
    passages = []
    zone = timezone.get_current_timezone()
    for number in range(PEOPLE):
        person = person_with_role(Role.CITY_STAFF, username=f"bench-lgwan-{number}")
        account = actions.issue_account(account_id=f"U{number:04d}", person=person, by=manager)
        Account.objects.filter(pk=account.pk).update(issued_at=timezone.now() - timedelta(days=400))
        for day in days:
            for direction, hour in (("entry", 8), ("exit", 18)):
                at = datetime.combine(day, clock(hour), tzinfo=zone)
                passages.append(
                    Passage(
                        area=area,
                        person=person,
                        direction=direction,
                        outcome=Passage.Outcome.ADMITTED,
                        occurred_at=at,
                        recorded_at=at,
                        fiscal_year=fiscal_year(day),
                    )
                )
    Passage.objects.bulk_create(passages)
    source, _token = actions.register_source(name="bench", mapping=SAMPLE_MAPPING, by=None)
    return source


def _import(source: LogSource, path: Path) -> float:
    start = time.perf_counter()
    with path.open("rb") as stream:
        import_log(source, stream, name=path.name, by=None)
    return time.perf_counter() - start


def _clear() -> None:
    """Empty the imported lookups between runs, as `flush` does: past the retention guard with
    its permit for the whole table (a benchmark's data, not a disposal)."""
    models = (Finding, RejectedLine, Lookup, LogFile)
    tables = [model._meta.db_table for model in models]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {PERMIT} (table_name, fiscal_year) VALUES (%s, NULL)",  # noqa: S608
            [(table,) for table in tables],
        )
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(f"DELETE FROM {PERMIT} WHERE fiscal_year IS NULL")  # noqa: S608


def _baseline_postgres(path: Path) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare")
        cursor.execute(
            "CREATE TABLE bench_bare (" + ", ".join(f"c{i} text" for i in range(9)) + ")"
        )
        start = time.perf_counter()
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with (
            raw.copy("COPY bench_bare FROM STDIN (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as stream,
        ):
            while block := stream.read(1 << 20):
                copy.write(block)
        elapsed = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_bare")
    return elapsed


def _baseline_sqlite(path: Path, folder: Path) -> float:
    database = sqlite3.connect(folder / "bare.sqlite3")
    database.execute("CREATE TABLE bare (" + ", ".join(f"c{i} text" for i in range(9)) + ")")
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as stream:
        rows = csv.reader(stream)
        next(rows)
        database.executemany("INSERT INTO bare VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    database.commit()
    elapsed = time.perf_counter() - start
    database.close()
    return elapsed


def _peak_memory(source: LogSource, path: Path) -> tuple[float, float]:
    """The importing process's peak Python memory, and the greatest resident size any process
    this one started had so far: a large file is read in a second process (itaku.lgwan.apart),
    the whole of it (code and libraries too, inherited from this one) counted."""
    _clear()
    tracemalloc.start()
    with path.open("rb") as stream:
        import_log(source, stream, name=path.name, by=None)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / 1e6


def _plain_scan(day: Day) -> float:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM lgwan_lookup WHERE occurred_at >= %s AND occurred_at < %s",
            [day.start, day.end],
        )
        rows = cursor.fetchall()
    assert rows  # noqa: S101
    return time.perf_counter() - start


def _review(days: list[date]) -> None:
    """The daily pass over ordinary days of the year (every lookup's application recorded),
    against one plain scan of each day's rows."""
    reviewed = [
        Day.of(days[len(days) * (n + 1) // (REVIEWED_DAYS + 1)]) for n in range(REVIEWED_DAYS)
    ]
    rows = 0
    for day in reviewed:
        lines = Lookup.objects.filter(occurred_at__gte=day.start, occurred_at__lt=day.end)
        rows += lines.count()
        Application.objects.bulk_create(
            Application(receipt_number=r, day=day.day, recorded_at=timezone.now())
            for r in lines.values_list("receipt_number", flat=True)
        )
    # As the days before left things: the volume rule's counts of earlier days kept by their
    # reviews, the calendar's holidays read, the tables' statistics taken (autovacuum); and
    # the day's rows read once, so that neither the review nor the scan pays for a cold cache.
    day_counts(reviewed[0].day - timedelta(days=28), reviewed[-1].day)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for day in reviewed:
        is_business_day(day.day)
        _plain_scan(day)
    review = scans = 0.0
    for day in reviewed:
        start = time.perf_counter()
        review_day(day.day)
        review += time.perf_counter() - start
        scans += sorted(_plain_scan(day) for _ in range(3))[1]
    ratio(f"review rules, {REVIEWED_DAYS} days ({rows:,} rows)", review, "one plain scan", scans)
    if connection.vendor == "postgresql":
        _verdict("review", review / scans <= REVIEW_TARGET, f"≤ {REVIEW_TARGET}×")


def _verdict(name: str, met: bool, target: str) -> None:
    print(f"  {'target ' + name + ' ' + target:<44} {'met' if met else 'NOT MET'}")


def run() -> None:
    days = _days()
    source = _setup(days)
    with tempfile.TemporaryDirectory(prefix="itaku-bench-lgwan-") as name:
        _run(source, days, Path(name))


def _run(source: LogSource, days: list[date], folder: Path) -> None:
    big, small = folder / "big.csv", folder / "small.csv"
    _write(big, LINES, days)
    vendor = connection.vendor
    figure("lines in the timed file", LINES)

    if "memory" in PARTS:  # first: the children's resident size is the largest so far
        _memory(source, folder, big, small, days)
        _clear()
    seconds = _import(source, big)
    if "import" in PARTS:
        if vendor == "postgresql":
            baseline_name, baseline = "COPY into a bare table", _baseline_postgres(big)
        else:
            baseline_name, baseline = "executemany, bare table", _baseline_sqlite(big, folder)
        rate(f"import ({vendor})", LINES / seconds, baseline_name, LINES / baseline)
        target = IMPORT_TARGET.get(vendor, 0.0)
        _verdict(f"import ({vendor})", baseline / seconds >= target, f"≥ {target}×")

        again = _import(source, big)
        ratio("the same file again (hash only)", again, "first import", seconds, unit="s")

    if "review" in PARTS:
        _review(days)


def _memory(source: LogSource, folder: Path, big: Path, small: Path, days: list[date]) -> None:
    _write(small, SMALL, days)
    small_peak, small_reading = _peak_memory(source, small)
    if HUGE:
        huge = folder / "huge.csv"
        _write(huge, HUGE, days)
        (big_peak, big_reading), big_lines = _peak_memory(source, huge), HUGE
        huge.unlink()
    else:
        (big_peak, big_reading), big_lines = _peak_memory(source, big), LINES
    figure(f"peak memory importing {SMALL:,} lines", small_peak, "MB")
    figure(f"peak memory importing {big_lines:,} lines", big_peak, "MB")
    figure("memory ratio (flat is about 1)", big_peak / small_peak, "x")
    _verdict("memory flat", big_peak / small_peak <= FLAT, f"≤ {FLAT}×")
    figure(f"reading process, resident, {SMALL:,} lines", small_reading, "MB")
    figure(f"reading process, resident, {big_lines:,} lines", big_reading, "MB")
    figure("reading process ratio (flat is about 1)", big_reading / small_reading, "x")
    _verdict("reading process flat", big_reading / small_reading <= FLAT, f"≤ {FLAT}×")
