"""Run by test_concurrency in separate processes: append events, one transaction each.

`python -m tests.audit.writer COUNT` with DATABASE_URL naming the shared database.
"""

import enum
import os
import sys


class ConcurrencyEvent(enum.StrEnum):
    WRITTEN = "concurrency.event.written"


def main(count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.db import transaction

    from itaku.audit.log import record

    for number in range(count):
        with transaction.atomic():
            record(
                ConcurrencyEvent.WRITTEN,
                actor=None,
                changes={"writer": os.getpid(), "number": number},
            )


if __name__ == "__main__":
    main(int(sys.argv[1]))
