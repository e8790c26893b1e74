"""Demo LGWAN: two counter terminals, IDs for the counter staff and a month of lookups.

The lookups follow the area's demo history (staff inside from about 8:45 to 17:15) and go
through the real import, as a CSV in the documented sample format. A few anomalies are planted
for each review rule on the last business days; older days are reviewed and signed off.
"""

import io
import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from itaku.area.demo import AREA_NAME
from itaku.area.models import Area
from itaku.core.demo_data import DemoLogin
from itaku.lgwan import actions
from itaku.lgwan.importer import import_log
from itaku.lgwan.models import (
    Account,
    Application,
    DayReview,
    Finding,
    LogSource,
    Measure,
    Verification,
    is_business_day,
)
from itaku.lgwan.rules import review_day
from itaku.lgwan.sample import SAMPLE_MAPPING, SAMPLE_SOURCE, sample_file, sample_line
from itaku.people.decisions import decide
from itaku.people.models import Person

HISTORY_DAYS = 30
# Badge → LGWAN ID: the counter workers and one city clerk.
IDS = {"K-0102": "LG-U0102", "K-0103": "LG-U0103", "K-0104": "LG-U0104", "C-0004": "LG-U9004"}
TERMINALS = ["LG-01", "LG-02", "LG-03", "LG-04"]  # one per counter, one ID each
# Planted on the last business days so the review screen has something to show.
UNKNOWN_ID = "LG-U0999"
UNREGISTERED = "LG-99"


def _at(day: date, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=timezone.get_current_timezone())


def _working_days(today: date) -> list[date]:
    days = [today - timedelta(days=offset) for offset in range(HISTORY_DAYS, 0, -1)]
    # The office's business days, as the area's demo history has people inside on them only.
    return [day for day in days if is_business_day(day)]


def load() -> list[DemoLogin]:
    if LogSource.objects.filter(name=SAMPLE_SOURCE).exists():
        return []
    area = Area.objects.filter(name=AREA_NAME).first()
    if area is None:
        return []
    manager = Person.objects.get(badge_number="C-0001")
    today = timezone.localdate()
    long_ago = timezone.now() - timedelta(days=HISTORY_DAYS + 10)
    terminals = []
    for number, asset in enumerate(TERMINALS, start=1):
        terminal = actions.register_terminal(
            asset_number=asset,
            place=f"旅券窓口 {number}番カウンター",
            area=area,
            media_block_method="資産管理ソフトのデバイス制御でUSBストレージ・光学ドライブを無効化",
            screen_lock_minutes=30,
            verify_every_days=30,
            by=manager,
        )
        for measure in Measure:
            actions.verify_terminal(
                terminal,
                measure=measure,
                passed=True,
                note="月次点検",
                by=manager,
                at=timezone.now() - timedelta(days=7 + number),
            )
        terminals.append(terminal)
    for badge, account_id in IDS.items():
        account = actions.issue_account(
            account_id=account_id, person=Person.objects.get(badge_number=badge), by=manager
        )
        Account.objects.filter(pk=account.pk).update(issued_at=long_ago)
    source, _token = actions.register_source(
        name=SAMPLE_SOURCE, mapping=SAMPLE_MAPPING, encoding="auto", by=manager
    )
    days = _working_days(today)
    lines, receipts = _lookups(days)
    Application.objects.bulk_create(
        [
            Application(receipt_number=receipt, day=day, recorded_at=timezone.now())
            for receipt, day in receipts
        ],
        ignore_conflicts=True,
    )
    import_log(source, io.BytesIO(sample_file(lines)), name="demo-lookups.csv", by=manager)
    _review(days, manager)
    return []


def _lookups(days: list[date]) -> tuple[list[str], list[tuple[str, date]]]:
    rng = random.Random(20250324)  # noqa: S311 - the same fiction on every machine
    lines: list[str] = []
    receipts: list[tuple[str, date]] = []
    workers = list(IDS.values())
    for day in days:
        counter = 0
        for index, account in enumerate(workers):
            terminal = TERMINALS[index]
            for start, end in ((9, 12), (13, 17)):
                moment = _at(day, start, rng.randrange(5, 20))
                lines.append(sample_line(moment, terminal, account, "ログイン"))
                stop = _at(day, end, 0)
                while True:
                    moment += timedelta(minutes=rng.randrange(8, 20), seconds=rng.randrange(60))
                    if moment >= stop:
                        break
                    counter += 1
                    receipt = f"{day:%m%d}-{counter:04d}"
                    receipts.append((receipt, day))
                    koseki = rng.random() < 0.3
                    lines.append(
                        sample_line(
                            moment,
                            terminal,
                            account,
                            kind="戸籍情報連携" if koseki else "本人確認情報",
                            receipt=receipt,
                            resident_code="" if koseki else f"9{rng.randrange(10**10):010d}",
                            koseki_code=f"{rng.randrange(10**16):016d}" if koseki else "",
                            name="架空 申請者",
                        )
                    )
                lines.append(sample_line(stop, terminal, account, "ログアウト"))
    lines.extend(_planted(days, rng))
    return lines, receipts


def _planted(days: list[date], rng: random.Random) -> list[str]:
    """One or two of each anomaly, on the last two business days."""
    last, before = days[-1], days[-2]
    return [
        # No 受付番号 (4-4).
        sample_line(_at(last, 10, 12, 30), "LG-01", "LG-U0102", resident_code="90000000001"),
        # A 受付番号 matching no application of the day (4-4).
        sample_line(
            _at(last, 11, 3, 10), "LG-01", "LG-U0102", receipt="0401-9999", name="架空 照会"
        ),
        # After leaving the area and out of hours: the sharing signal (4-2) and 4-4.
        sample_line(_at(before, 18, 40), "LG-02", "LG-U0103", "ログイン"),
        sample_line(_at(before, 18, 42), "LG-02", "LG-U0103", receipt=f"{before:%m%d}-0001"),
        sample_line(_at(before, 18, 45), "LG-02", "LG-U0103", "ログアウト"),
        # In the lunch break, from a PC the terminal register does not have (4-1).
        sample_line(_at(before, 12, 30), UNREGISTERED, "LG-U0103", "ログイン"),
        sample_line(_at(before, 12, 32), UNREGISTERED, "LG-U0103", receipt=f"{before:%m%d}-0002"),
        sample_line(_at(before, 12, 34), UNREGISTERED, "LG-U0103", "ログアウト"),
        # One ID on both terminals at once (4-2).
        sample_line(_at(last, 14, 20, 5), "LG-02", "LG-U0102", receipt=f"{last:%m%d}-0002"),
        # An ID the city never issued (4-2).
        sample_line(_at(last, 15, 1), "LG-01", UNKNOWN_ID, receipt=f"{last:%m%d}-0003"),
        # A session left open (4-5) and a terminal used on past its 30-minute lock, in the
        # lunch break of the counter's own worker.
        sample_line(_at(last, 12, 5, 30), "LG-01", "LG-U9004", "ログイン"),
        sample_line(_at(last, 12, 6), "LG-01", "LG-U9004", receipt=f"{last:%m%d}-0004"),
        sample_line(_at(last, 12, 45), "LG-01", "LG-U9004", receipt=f"{last:%m%d}-0005"),
        # Far above the worker's own baseline (4-4): a burst of lookups in an afternoon.
        *[
            sample_line(
                _at(last, 13, 30) + timedelta(seconds=25 * n),
                "LG-03",
                "LG-U0104",
                receipt=f"{last:%m%d}-{n + 1:04d}",
            )
            for n in range(120)
        ],
    ]


def _review(days: list[date], manager: Person) -> None:
    """Older days reviewed and signed off, as the manager does each morning."""
    for day in days[:-2]:
        if not is_business_day(day):
            continue
        review_day(day)
        for finding in Finding.objects.filter(day=day, state=Finding.State.OPEN):
            decide(finding, Finding.State.CLOSED, by=manager, note="申請書控えと照合し問題なし")
        review = DayReview.objects.get_or_create(day=day)[0]
        decide(review, DayReview.State.SIGNED, by=manager, note="確認済み")
    for day in days[-2:]:
        review_day(day)
    assert Verification.objects.exists()  # noqa: S101 - the terminals were verified above
