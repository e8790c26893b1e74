"""Each person's to-do list for the home page, kept between requests while the stored data is
unchanged, like the compliance report (`itaku.policy.compliance_report.current`).

The key is the report's (`compliance_report.version`: the data's version, which the database's
triggers change with every write whoever writes, the minute, the language and the time zone)
with the person, their login and the roles they hold today: one person's items are never kept
under a key another's request could read. The links are already filtered for those roles.

Each process keeps the lists of its latest few hundred viewers; a list is shared between the
requests of the same key: callers read it, never change it.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime

from itaku.core import todo
from itaku.core.todo import TodoItem
from itaku.people.models import Person
from itaku.people.roles import Role
from itaku.policy import compliance_report
from itaku.policy.reads import shared_reads

# One current list per viewer of this process, and a few left from before a change.
KEPT = 256
_kept: "OrderedDict[Hashable, tuple[TodoItem, ...]]" = OrderedDict()
_lock = threading.Lock()


def current(
    person: Person,
    user_pk: object,
    roles: frozenset[Role],
    now: datetime,
    shown: Callable[[TodoItem], TodoItem],
) -> tuple[TodoItem, ...]:
    """`person`'s to-do items at `now` (`todo.collect`), each passed through `shown` (what this
    viewer's roles let them open), computed once per version of the stored data and minute."""
    key = (
        *compliance_report.version(person._state.db or "default", now),
        person.pk,
        user_pk,
        tuple(sorted(role.value for role in roles)),
    )
    with _lock:
        items = _kept.get(key)
        if items is not None:
            _kept.move_to_end(key)
            return items
    # The to-do lists and the compliance findings among them share one report's reads.
    with shared_reads(now):
        items = tuple(shown(item) for item in todo.collect(person, now))
    with _lock:
        _kept[key] = items
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return items


def forget() -> None:
    """Drop the kept lists: for what the data's version does not cover, the registered
    providers and the settings, which change only when a test changes them."""
    with _lock:
        _kept.clear()
