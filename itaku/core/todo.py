"""The to-do registry: what each person's home page lists, contributed by each app.

Each app's `todo.py` registers one function per kind of task:

    @todo.provider
    def visitors_to_decide(person: Person, now: datetime) -> list[TodoItem | None]: ...

The home page asks every provider for the signed-in person and lists what they return, grouped
by kind, each item linked to the screen that resolves it. A provider returns nothing for people
it does not concern, and reads its records in a fixed number of queries however many there are.
`memo()` keeps what several providers ask of the same person (their roles, whether they may
decide as the manager) to one query per page.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from itaku.people.models import Person
    from itaku.people.roles import Role

T = TypeVar("T")


class Kind(models.TextChoices):
    """The home page's sections, in the order they are shown."""

    DECIDE = "decide", _("Waiting for your decision")
    DO = "do", _("To do")
    MANAGER_DECIDES = "manager_decides", _("Waiting for the manager's decision")
    WAITING = "waiting", _("Your requests and reports")
    STATUS = "status", _("Your status at the door")
    FINDING = "finding", _("Compliance findings")


class Tone(models.TextChoices):
    """The colour of an item's status badge (the dashboard's status classes)."""

    OK = "ok", "ok"
    ATTENTION = "attention", "attention"
    PENDING = "no_evidence", "pending"


@dataclass(frozen=True)
class TodoItem:
    """One line of a home page: what, where to resolve it, and by when.

    `url` is "" when there is no screen for this person to open; the home page also drops any
    link whose page the person may not open. `status` is a short badge ("申請中"), `note` a line
    of explanation under the title ("決定は管理者の不在中のみ").
    """

    title: Promise | str
    url: str
    kind: Kind
    due: date | None = None
    overdue: bool = False
    status: Promise | str = ""
    tone: Tone = Tone.PENDING
    note: Promise | str = ""
    clause: str = ""


# A provider may leave gaps (None) where a record is not this person's to see: they are dropped.
Provider = Callable[["Person", datetime], Sequence[TodoItem | None]]
_providers: list[Provider] = []


def provider(func: Provider) -> Provider:
    """Register a function that lists a person's to-do items at a moment."""
    if func not in _providers:
        _providers.append(func)
    return func


def providers() -> list[Provider]:
    return list(_providers)


def collect(person: "Person", now: datetime) -> list[TodoItem]:
    """Every registered provider's items for `person`: overdue first, then by due date."""
    found = [item for func in _providers for item in func(person, now) if item is not None]
    return sorted(found, key=lambda item: (not item.overdue, item.due or date.max))


def memo(person: "Person", key: str, compute: Callable[[], T]) -> T:
    """What `compute` gives, kept on this `person` object for the rest of the page."""
    cache: dict[str, Any] = person.__dict__.setdefault("_todo_memo", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]  # type: ignore[no-any-return]


def roles(person: "Person", day: date) -> "frozenset[Role]":
    return memo(person, f"roles:{day.isoformat()}", lambda: person.roles_on(day))
