"""LGWAN lookup logs: import speed and memory, and the daily review's cost, against baselines.

A generated log in the documented sample format (`itaku.lgwan.sample`) is imported through the
real import (`itaku.lgwan.importer.import_log`) and compared, in the same run, with loading the
same rows the plainest way the database allows: PostgreSQL `COPY` into a bare table, or SQLite
`executemany` into a bare table. Peak Python memory (tracemalloc) is taken at two sizes: it must
stay flat, the import streams. On PostgreSQL the review rules over one day are compared with one
plain scan of that day's rows.

Sizes: `LGWAN_BENCH_LINES` (default 1,000,000) for the timed import; memory at 100,000 and at the
timed size. Run `python -m bench lgwan` (SQLite) and with `DATABASE_URL=postgres://…` (PostgreSQL).
"""

import csv
import os
import sqlite3
import tempfile
import time
import tracemalloc
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
)
from itaku.lgwan.rules import Day, review_day
from itaku.lgwan.sample import SAMPLE_HEADER, SAMPLE_MAPPING, sample_line
from itaku.people.roles import Role
from tests.factories import person_with_role

LINES = int(os.environ.get("LGWAN_BENCH_LINES", "1000000"))
SMALL = 100_000
PEOPLE = 50
TERMINALS = 25
DAYS = 20


def _days() -> list[date]:
    days: list[date] = []
    day = timezone.localdate()
    while len(days) < DAYS:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _write(path: Path, count: int, days: list[date], offset: int = 0) -> None:
    """`count` lookups spread over `days`, 9:00–17:00, each with a receipt and a subject."""
    zone = timezone.get_current_timezone()
    per_day = max(1, count // len(days))
    span = 8 * 3600
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(SAMPLE_HEADER) + "\n")
        for n in range(count):
            day = days[min(n // per_day, len(days) - 1)]
            second = (n % per_day) * span // per_day
            at = datetime.combine(day, clock(9), tzinfo=zone) + timedelta(seconds=second)
            person = (n + offset) % PEOPLE
            out.write(
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
        Account.objects.filter(pk=account.pk).update(issued_at=timezone.now() - timedelta(days=60))
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
    with transaction.atomic():
        Finding.objects.all().delete()
        RejectedLine.objects.all().delete()
        Lookup.objects.all().delete()
        LogFile.objects.all().delete()


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


def _peak_memory(source: LogSource, path: Path) -> float:
    _clear()
    tracemalloc.start()
    with path.open("rb") as stream:
        import_log(source, stream, name=path.name, by=None)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


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


def run() -> None:
    days = _days()
    source = _setup(days)
    folder = Path(tempfile.mkdtemp(prefix="itaku-bench-lgwan-"))
    big, small = folder / "big.csv", folder / "small.csv"
    _write(big, LINES, days)
    _write(small, SMALL, days)
    vendor = connection.vendor
    figure("lines in the timed file", LINES)

    seconds = _import(source, big)
    if vendor == "postgresql":
        baseline_name, baseline = "COPY into a bare table", _baseline_postgres(big)
    else:
        baseline_name, baseline = "executemany, bare table", _baseline_sqlite(big, folder)
    rate(f"import ({vendor})", LINES / seconds, baseline_name, LINES / baseline)

    again = _import(source, big)
    ratio("the same file again (hash only)", again, "first import", seconds, unit="s")

    if vendor == "postgresql":
        day = Day.of(days[len(days) // 2])
        rows = Lookup.objects.filter(occurred_at__gte=day.start, occurred_at__lt=day.end).count()
        # An ordinary day: every lookup's application was recorded.
        receipts = Lookup.objects.filter(
            occurred_at__gte=day.start, occurred_at__lt=day.end
        ).values_list("receipt_number", flat=True)
        Application.objects.bulk_create(
            Application(receipt_number=r, day=day.day, recorded_at=timezone.now()) for r in receipts
        )
        start = time.perf_counter()
        review_day(day.day)
        review = time.perf_counter() - start
        scans = sorted(_plain_scan(day) for _ in range(3))
        ratio(f"review rules over one day ({rows:,} rows)", review, "one plain scan", scans[1])

    small_peak = _peak_memory(source, small)
    big_peak = _peak_memory(source, big)
    figure("peak memory importing 100,000 lines", small_peak, "MB")
    figure(f"peak memory importing {LINES:,} lines", big_peak, "MB")
    figure("memory ratio (flat is about 1)", big_peak / small_peak, "x")
