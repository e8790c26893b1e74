"""5-5, 5-6: the contractor trains its lead and workers on the city's policy."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itaku.contractors.models.contracts import Contract
from itaku.people.models import Person
from itaku.retention.models import FiscalRecord


class TrainingSession(FiscalRecord):
    """5-6: the contractor trains its lead and workers on the policy (5-5)."""

    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("contract"),
    )
    held_on = models.DateField(_("held on"))
    content = models.TextField(_("content"))
    material = models.CharField(_("material"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=100)
    attendees = models.ManyToManyField(
        Person, verbose_name=_("attendees"), related_name="trainings"
    )
    recorded_by = models.ForeignKey(
        Person, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    # 3-6: kept by the fiscal year of this date; evidence for 5-6.
    fiscal_date_field = "held_on"
    retention_clause = "5-6"

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on.isoformat()} {self.material}"


def last_trained_on(person: Person) -> date | None:
    session = person.trainings.order_by("-held_on").first()
    return session.held_on if session else None


def training_valid_from(day: date) -> date:
    """5-6: training held on or after this day still counts on `day`."""
    return day - timedelta(days=settings.ITAKU_TRAINING_VALID_DAYS)
