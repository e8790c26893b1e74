"""Helpers the area's actions share."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from itaku.area.models import requestable_by
from itaku.people.models import Person


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _lock(person: Person) -> None:
    """Serialise passages of one person, so a desk and a gate cannot both admit them."""
    Person.objects.select_for_update().filter(pk=person.pk).first()


def _require_requestable(person: Person, by: Person, day: date, clause: str) -> None:
    """A request is filed in one's own name (see `requestable_by`)."""
    if not requestable_by(by, day).filter(pk=person.pk).exists():
        raise ValidationError(
            {
                "person": _(
                    "%(by)s may not file this request for %(name)s: a request is made in one's "
                    "own name, the contractor lead's also for their company's people and "
                    "visitors (%(clause)s)."
                )
                % {"by": by.name, "name": person.name, "clause": clause}
            }
        )
