"""The one way to write the audit trail.

Action functions call `record()` inside their own transaction, so the change and its event are
committed together or not at all. Event codes are enumerations (`enum.StrEnum`) declared by each
app in its `events.py`, never free strings.
"""

import enum
import re
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from itaku.audit.context import current_source
from itaku.audit.models import Event

EVENT_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


def record(
    code: enum.StrEnum,
    *,
    actor: Any,
    capacity: str = "",
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> Event:
    """Append one event. Must run inside the transaction that makes the change."""
    if not isinstance(code, enum.StrEnum) or not EVENT_CODE.match(code.value):
        raise ValueError(f"audit event codes are dotted enumeration members, not {code!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run in the transaction that makes the change")
    return Event.objects.create(
        occurred_at=timezone.now(),
        code=code.value,
        actor=actor,
        capacity=capacity,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        changes=changes or {},
        source=current_source(),
    )
