"""The fields every decided record of the contractor keeps (3-1)."""

from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from itaku.people.models import Person
from itaku.people.roles import Capacity


# 3-1: who confirmed, approved or reviewed, in which capacity, and when. Empty until it happens.
def _by(label: Any) -> "models.ForeignKey[Person | None, Person | None]":
    return models.ForeignKey(
        Person,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


def _capacity() -> "models.CharField[str, str]":
    return models.CharField(_("capacity"), max_length=20, choices=Capacity.choices, blank=True)


def _at(label: Any) -> "models.DateTimeField[datetime | None, datetime | None]":
    return models.DateTimeField(label, null=True, blank=True)
