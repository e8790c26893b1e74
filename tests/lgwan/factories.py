"""LGWAN records for tests. Names and codes are plainly fictional."""

import io
from datetime import datetime, time, timedelta

from django.utils import timezone

from itaku.area.models import Area
from itaku.lgwan import actions
from itaku.lgwan.importer import ImportResult, import_log
from itaku.lgwan.models import Account, LogSource, Measure, Terminal
from itaku.lgwan.sample import SAMPLE_MAPPING, SAMPLE_SOURCE, sample_file, sample_line
from itaku.people.models import Person

__all__ = ["sample_file", "sample_line"]


def make_source(encoding: str = "auto", name: str = SAMPLE_SOURCE) -> LogSource:
    source, _token = actions.register_source(
        name=name, mapping=SAMPLE_MAPPING, encoding=encoding, by=None
    )
    return source


def make_terminal(area: Area, by: Person, asset: str = "LG-01", lock: int = 10) -> Terminal:
    terminal = actions.register_terminal(
        asset_number=asset,
        place="旅券窓口 2番",
        area=area,
        media_block_method="USBストレージをデバイス制御で無効化",
        screen_lock_minutes=lock,
        by=by,
    )
    for measure in Measure:
        actions.verify_terminal(terminal, measure=measure, passed=True, by=by)
    return terminal


def make_account(person: Person, by: Person, account_id: str = "U1001") -> Account:
    """An ID issued long enough ago to cover the lookups of the tests' past days."""
    account = actions.issue_account(account_id=account_id, person=person, by=by)
    Account.objects.filter(pk=account.pk).update(issued_at=timezone.now() - timedelta(days=60))
    account.refresh_from_db()
    return account


def at_today(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(
        timezone.localdate(), time(hour, minute, second), tzinfo=timezone.get_current_timezone()
    )


def yesterday(hour: int, minute: int = 0) -> datetime:
    return at_today(hour, minute) - timedelta(days=1)


def load(source: LogSource, data: bytes, name: str = "log.csv", by=None) -> ImportResult:
    return import_log(source, io.BytesIO(data), name=name, by=by)
