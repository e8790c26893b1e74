"""One way to decide: anything requested, then decided (3-1).

A visitor permission, a device request, a pledge to confirm, a report to review, a role change:
each is a `Decision` whose `TRANSITIONS` table names the steps allowed from each state, the audit
event each step writes, and the authority it needs. `decide()` is the only function that moves
one: it checks the table, the authority (the manager, or the deputy while the manager is recorded
absent), refuses the people the record concerns, and updates only if the state is still the one
read, so two people deciding at once give exactly one decision and one event.
"""

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from itaku.audit.log import record
from itaku.people.authority import require_approving_capacity
from itaku.people.models import Person
from itaku.people.roles import Capacity

Authority = Callable[[Person, datetime], str]


@dataclass(frozen=True)
class Step:
    """One allowed move of the table: the event it writes and who may take it.

    `authority(person, at)` returns the capacity to record or raises ValidationError. A step
    without authority (the owner marking a task done) can be taken by anyone the view lets in,
    the people the record concerns included.
    """

    event: enum.StrEnum
    authority: Authority | None = require_approving_capacity


class Decision(models.Model):
    """Abstract: a record that is requested, then decided once per step, by whom and how."""

    state = models.CharField(gettext_lazy("state"), max_length=20)
    decided_by = models.ForeignKey(
        Person,
        verbose_name=gettext_lazy("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_capacity = models.CharField(
        gettext_lazy("capacity"), max_length=20, choices=Capacity.choices, blank=True
    )
    decided_at = models.DateTimeField(gettext_lazy("decided at"), null=True, blank=True)
    decision_note = models.TextField(gettext_lazy("note"), blank=True)

    # From each state, the states it may move to and the step that does it.
    TRANSITIONS: ClassVar[Mapping[str, Mapping[str, Step]]]
    # The people a record concerns (who asked, whom it is for): none of them may decide it.
    PARTY_FIELDS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def parties(self) -> set[int]:
        return {pk for pk in (getattr(self, f"{name}_id") for name in self.PARTY_FIELDS) if pk}

    def step_to(self, state: str) -> Step | None:
        return self.TRANSITIONS.get(self.state, {}).get(state)

    def can_move_to(self, state: str) -> bool:
        return self.step_to(state) is not None


D = TypeVar("D", bound=Decision)


def capacity_for(record: Decision, step: Step, person: Person, at: datetime) -> str:
    """The capacity in which `person` may take `step` on `record`; a readable refusal if none."""
    if step.authority is None:
        return ""
    if person.pk in record.parties():
        raise ValidationError(
            _("No one decides a request they made or one that concerns them (3-1).")
        )
    return step.authority(person, at)


@transaction.atomic
def decide(
    record_: D,
    to: str,
    *,
    by: Person,
    note: str = "",
    changes: Mapping[str, Any] | None = None,
    **fields: Any,
) -> D:
    """Move `record_` to state `to`, with `fields` saved alongside, and log the step.

    The state read in memory is the one the update expects: if someone else moved the record
    meanwhile, nothing is written and the caller is told it was already decided.
    """
    now = timezone.now()
    old = record_.state
    step = record_.step_to(to)
    if step is None:
        raise ValidationError(
            _("This cannot change from “%(old)s” to “%(new)s”.")
            % {"old": _label(record_, old), "new": _label(record_, to)}
        )
    capacity = capacity_for(record_, step, by, now)
    model = type(record_)
    updated = model._default_manager.filter(pk=record_.pk, state=old).update(
        state=to,
        decided_by=by,
        decided_capacity=capacity,
        decided_at=now,
        decision_note=note,
        **fields,
    )
    if not updated:
        raise ValidationError(_("This has already been decided or changed meanwhile."))
    record_.refresh_from_db()
    record(
        step.event,
        actor=by,
        capacity=capacity,
        target=record_,
        changes={"state": [old, to], "note": note, **(changes or {})},
    )
    return record_


def _label(record_: Decision, state: str) -> str:
    choices = dict(record_._meta.get_field("state").flatchoices)
    return str(choices.get(state, state))
